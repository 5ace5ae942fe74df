import Foundation
import Kryteria

/// A profile path as the engine writes it in `missing` lists and schema problems:
/// `employees[0].fte`, `statute.not_for_profit`, optionally with a leading `$.`.
/// Indices are 0-based, as in JSON.
public struct ReplPath: Equatable, CustomStringConvertible {
    public enum Step: Equatable {
        case key(String)
        case index(Int)
    }

    public var steps: [Step]

    /// Parses `a.b[2].c`; nil when the text is not a path.
    public init?(_ text: String) {
        var s = Substring(text.trimmingCharacters(in: .whitespaces))
        if s.hasPrefix("$.") { s = s.dropFirst(2) } else if s == "$" { s = "" }
        var steps: [Step] = []
        var key = ""
        var i = s.startIndex
        var afterIndex = false
        func flushKey() -> Bool {
            if key.isEmpty { return false }
            steps.append(.key(key))
            key = ""
            return true
        }
        while i < s.endIndex {
            let c = s[i]
            if c == "." {
                if key.isEmpty && !afterIndex { return nil }
                if !key.isEmpty { _ = flushKey() }
                afterIndex = false
                i = s.index(after: i)
                // a dot must be followed by a key
                if i == s.endIndex || s[i] == "." || s[i] == "[" { return nil }
            } else if c == "[" {
                if !key.isEmpty { _ = flushKey() } else if steps.isEmpty { return nil }
                guard let close = s[i...].firstIndex(of: "]"),
                      let n = Int(s[s.index(after: i)..<close]), n >= 0 else { return nil }
                steps.append(.index(n))
                i = s.index(after: close)
                afterIndex = true
                if i < s.endIndex && s[i] != "." && s[i] != "[" { return nil }
            } else if c == "]" || c == " " || c == "=" {
                return nil
            } else {
                key.append(c)
                i = s.index(after: i)
            }
        }
        if !key.isEmpty { _ = flushKey() }
        if steps.isEmpty { return nil }
        self.steps = steps
    }

    public init(steps: [Step]) { self.steps = steps }

    public var description: String {
        var out = ""
        for st in steps {
            switch st {
            case .key(let k): out += out.isEmpty ? k : "." + k
            case .index(let n): out += "[\(n)]"
            }
        }
        return out
    }

    /// The path as schema problems write it: `$.employees[0].fte`.
    public var problemPath: String { "$." + description }

    /// Whether `other` (a problem path, `$.`-prefixed or not) is this path or lies under it.
    public func covers(_ other: String) -> Bool {
        var o = other
        if o.hasPrefix("$.") { o.removeFirst(2) }
        let me = description
        return o == me || o.hasPrefix(me + ".") || o.hasPrefix(me + "[")
    }
}

/// Editing a JSON value (as produced by JSONSerialization) at a path.
public enum JSONEdit {
    public enum Failure: Error, CustomStringConvertible {
        case notAContainer(String)
        case indexOutOfRange(String, Int)
        case absent(String)
        public var description: String {
            switch self {
            case .notAContainer(let p): return p
            case .indexOutOfRange(let p, _): return p
            case .absent(let p): return p
            }
        }
    }

    /// The value at the path, nil when absent.
    public static func get(_ root: Any, _ path: ReplPath) -> Any? {
        var cur: Any = root
        for st in path.steps {
            switch st {
            case .key(let k):
                guard let d = cur as? [String: Any], let v = d[k] else { return nil }
                cur = v
            case .index(let n):
                guard let a = cur as? [Any], n < a.count else { return nil }
                cur = a[n]
            }
        }
        return cur
    }

    /// Sets the value at the path, creating intermediate objects and arrays. An index may
    /// be at most the array's length (appending); a longer jump is refused.
    public static func set(_ root: inout [String: Any], _ path: ReplPath, _ value: Any) throws {
        var any: Any = root
        try set(&any, path.steps[...], value, done: [])
        root = any as! [String: Any]
    }

    private static func set(_ node: inout Any, _ steps: ArraySlice<ReplPath.Step>, _ value: Any, done: [ReplPath.Step]) throws {
        guard let first = steps.first else { node = value; return }
        let rest = steps.dropFirst()
        let here = ReplPath(steps: done + [first]).description
        switch first {
        case .key(let k):
            var d: [String: Any]
            if let existing = node as? [String: Any] { d = existing }
            else if node is NSNull || done.isEmpty { d = [:] }
            else { throw Failure.notAContainer(ReplPath(steps: done).description) }
            var child: Any = d[k] ?? fresh(for: rest.first)
            try set(&child, rest, value, done: done + [first])
            d[k] = child
            node = d
        case .index(let n):
            var a: [Any]
            if let existing = node as? [Any] { a = existing }
            else if node is NSNull { a = [] }
            else { throw Failure.notAContainer(ReplPath(steps: done).description) }
            if n > a.count { throw Failure.indexOutOfRange(here, a.count) }
            var child: Any = n < a.count ? a[n] : fresh(for: rest.first)
            try set(&child, rest, value, done: done + [first])
            if n < a.count { a[n] = child } else { a.append(child) }
            node = a
        }
    }

    /// An empty container suited to the next step.
    private static func fresh(for next: ReplPath.Step?) -> Any {
        switch next {
        case .index?: return [Any]()
        case .key?: return [String: Any]()
        case nil: return NSNull()
        }
    }

    /// Removes the value at the path (an array element is removed, the later ones shift).
    public static func remove(_ root: inout [String: Any], _ path: ReplPath) throws {
        var any: Any = root
        try remove(&any, path.steps[...], done: [])
        root = any as! [String: Any]
    }

    private static func remove(_ node: inout Any, _ steps: ArraySlice<ReplPath.Step>, done: [ReplPath.Step]) throws {
        guard let first = steps.first else { return }
        let rest = steps.dropFirst()
        let here = ReplPath(steps: done + [first]).description
        switch first {
        case .key(let k):
            guard var d = node as? [String: Any], var child = d[k] else { throw Failure.absent(here) }
            if rest.isEmpty { d.removeValue(forKey: k) } else {
                try remove(&child, rest, done: done + [first])
                d[k] = child
            }
            node = d
        case .index(let n):
            guard var a = node as? [Any], n < a.count else { throw Failure.absent(here) }
            if rest.isEmpty { a.remove(at: n) } else {
                var child = a[n]
                try remove(&child, rest, done: done + [first])
                a[n] = child
            }
            node = a
        }
    }

    /// A value typed at the prompt: JSON when it parses as JSON, else the text as a string.
    public static func parseValue(_ text: String) -> Any {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let v = try? JSONSerialization.jsonObject(with: Data(t.utf8), options: [.fragmentsAllowed]) {
            return v
        }
        return t
    }

    /// JSON text of a value: keys sorted (stable), two-space indent, `"key": value`.
    public static func text(_ v: Any, pretty: Bool = true) -> String {
        var out = ""
        write(v, indent: pretty ? "" : nil, into: &out)
        return out
    }

    private static func write(_ v: Any, indent: String?, into out: inout String) {
        let inner = indent.map { $0 + "  " }
        let nl = indent == nil ? "" : "\n"
        if let d = v as? [String: Any] {
            if d.isEmpty { out += "{}"; return }
            out += "{" + nl
            for (i, k) in d.keys.sorted().enumerated() {
                out += (inner ?? "") + JSONText.quote(k) + (indent == nil ? ":" : ": ")
                write(d[k]!, indent: inner, into: &out)
                out += (i + 1 < d.count ? "," : "") + nl
            }
            out += (indent ?? "") + "}"
        } else if let a = v as? [Any] {
            if a.isEmpty { out += "[]"; return }
            out += "[" + nl
            for (i, x) in a.enumerated() {
                out += inner ?? ""
                write(x, indent: inner, into: &out)
                out += (i + 1 < a.count ? "," : "") + nl
            }
            out += (indent ?? "") + "]"
        } else if let d = try? JSONSerialization.data(withJSONObject: v, options: [.fragmentsAllowed, .withoutEscapingSlashes]) {
            out += String(decoding: d, as: UTF8.self)
        } else {
            out += "null"
        }
    }

    /// Compact JSON bytes of a profile for the engine.
    public static func bytes(_ v: Any) -> [UInt8] {
        guard let d = try? JSONSerialization.data(withJSONObject: v, options: [.sortedKeys, .fragmentsAllowed]) else {
            return Array("{}".utf8)
        }
        return Array(d)
    }
}

