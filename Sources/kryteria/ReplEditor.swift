import CEdit
import Foundation
import Kryteria
import KryteriaBatch

/// Where lines come from: libedit on a terminal (editing, history, completion), plain
/// `readLine()` otherwise (scripts and pipes: no prompt, no echo).
protocol ReplLineSource {
    func next(prompt: String) -> String?
    func close()
}

struct ReplPlainLines: ReplLineSource {
    func next(prompt: String) -> String? { readLine(strippingNewline: true) }
    func close() {}
}

/// The history file: `KRYTERIA_HISTORY`, else `~/.kryteria_history`.
func replHistoryPath() -> String {
    let env = ProcessInfo.processInfo.environment
    if let p = env["KRYTERIA_HISTORY"], !p.isEmpty { return p }
    let home = env["HOME"] ?? NSHomeDirectory()
    return (home as NSString).appendingPathComponent(".kryteria_history")
}

// libedit calls back through C function pointers that cannot capture: the session that
// answers completion and the current matches live here. One REPL per process.
nonisolated(unsafe) private var replCompletionSession: ReplSession?
nonisolated(unsafe) private var replMatches: [String] = []
nonisolated(unsafe) private var replMatchIndex = 0

private let replGenerator: @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>? = { _, state in
    if state == 0 { replMatchIndex = 0 }
    guard replMatchIndex < replMatches.count else { return nil }
    defer { replMatchIndex += 1 }
    return strdup(replMatches[replMatchIndex])
}

private let replAttemptedCompletion: @convention(c) (UnsafePointer<CChar>?, Int32, Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = { text, start, _ in
    let word = text.map { String(cString: $0) } ?? ""
    let line = rl_line_buffer.map { String(cString: $0) } ?? ""
    // libedit counts characters, not bytes
    let before = String(String.UnicodeScalarView(line.unicodeScalars.prefix(Int(max(0, start)))))
    guard let session = replCompletionSession, let candidates = session.completions(before: before, word: word) else {
        rl_attempted_completion_over = 0  // file names
        rl_completion_append_character = 32
        return nil
    }
    rl_attempted_completion_over = 1
    var seen = Set<String>()
    replMatches = candidates.filter { $0.lowercased().hasPrefix(word.lowercased()) && seen.insert($0).inserted }.sorted()
    // `whatif path=` goes on with the value: no space after a completed `=`
    rl_completion_append_character = replMatches.count == 1 && replMatches[0].hasSuffix("=") ? 0 : 32
    if replMatches.isEmpty { return nil }
    return rl_completion_matches(text, replGenerator)
}

/// libedit's readline(): line editing, history in a file, tab completion.
final class ReplEditLines: ReplLineSource {
    let historyPath: String
    private var last: String?

    init(session: ReplSession, historyPath: String) {
        self.historyPath = historyPath
        replCompletionSession = session
        ReplEditLines.useUTF8Characters()
        rl_readline_name = UnsafePointer(strdup("kryteria"))
        using_history()
        stifle_history(1000)
        _ = read_history(historyPath)
        rl_attempted_completion_function = replAttemptedCompletion
    }

    /// libedit reads multi-byte letters only under a UTF-8 character locale; a process starts in
    /// the "C" locale, where it drops every byte of "ą" or "Ł" typed at the terminal. The character
    /// class only (LC_CTYPE): numbers and messages are formatted by the engine, not by the locale.
    static func useUTF8Characters() {
        if let l = setlocale(LC_CTYPE, ""), String(cString: l).lowercased().replacingOccurrences(of: "-", with: "").contains("utf8") { return }
        for name in ["C.UTF-8", "C.utf8", "en_US.UTF-8", "pl_PL.UTF-8"] where setlocale(LC_CTYPE, name) != nil { return }
    }

    func next(prompt: String) -> String? {
        guard let raw = readline(prompt) else {
            Terminal.stdout("\n")
            return nil
        }
        defer { free(raw) }
        let line = String(cString: raw)
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed != "quit", trimmed != "exit", trimmed != last {
            _ = add_history(line)
            _ = write_history(historyPath)
            last = trimmed
        }
        return line
    }

    func close() {
        _ = write_history(historyPath)
        replCompletionSession = nil
    }
}

/// The profile contract as the JSON Schemas of the ruleset describe it: field paths to
/// complete and the values an enum or a boolean field takes.
struct ReplSchemaIndex {
    /// Schema documents by file name (their `$id`).
    var docs: [String: [String: Any]] = [:]
    /// The schema file of each profile kind (`properties.kind.const`).
    var kindFile: [String: String] = [:]

    init(rulesDirectory: String) {
        guard let src = try? RulesetSource(directory: rulesDirectory) else { return }
        for f in src.schemaFiles {
            guard let doc = try? JSONSerialization.jsonObject(with: Data(f.contents.utf8)) as? [String: Any] else { continue }
            let name = (f.relativePath as NSString).lastPathComponent
            docs[name] = doc
            if let id = doc["$id"] as? String { docs[id] = doc }
            if let props = doc["properties"] as? [String: Any], let k = props["kind"] as? [String: Any],
               let kind = k["const"] as? String {
                kindFile[kind] = name
            }
        }
    }

    /// Every path of the profile's kind (array items: the existing indices and the next
    /// one), plus any path the profile has that the schema does not name.
    func paths(kind: String?, profile: [String: Any]?) -> [String] {
        var out: [(String, [String: Any])] = []
        let files = kind.flatMap { kindFile[$0] }.map { [$0] } ?? Array(Set(kindFile.values)).sorted()
        for f in files {
            if let doc = docs[f] { walk(doc, doc: doc, prefix: "", value: profile, depth: 0, into: &out) }
        }
        var seen = Set<String>()
        var result = out.map(\.0).filter { seen.insert($0).inserted }
        if let profile {
            var extra: [String] = []
            profilePaths(profile, prefix: "", into: &extra)
            result += extra.filter { seen.insert($0).inserted }
        }
        return result
    }

    /// The schema node of a path of the profile's kind (nil: the schema names no such field).
    func node(kind: String?, profile: [String: Any]?, path: String) -> [String: Any]? {
        var out: [(String, [String: Any])] = []
        let files = kind.flatMap { kindFile[$0] }.map { [$0] } ?? Array(Set(kindFile.values)).sorted()
        for f in files {
            if let doc = docs[f] { walk(doc, doc: doc, prefix: "", value: profile, depth: 0, into: &out) }
        }
        return out.first(where: { $0.0 == path })?.1
    }

    /// Every path the schema of the kind names for this profile (no path the profile adds).
    func schemaPaths(kind: String?, profile: [String: Any]?) -> [String] {
        var out: [(String, [String: Any])] = []
        let files = kind.flatMap { kindFile[$0] }.map { [$0] } ?? Array(Set(kindFile.values)).sorted()
        for f in files {
            if let doc = docs[f] { walk(doc, doc: doc, prefix: "", value: profile, depth: 0, into: &out) }
        }
        return out.map(\.0)
    }

    /// The JSON types a schema node allows.
    static func types(_ node: [String: Any]) -> [String] {
        (node["type"] as? [String]) ?? (node["type"] as? String).map { [$0] } ?? []
    }

    /// The values a field takes, as typed after `set PATH`.
    func values(kind: String?, profile: [String: Any]?, path: String) -> [String] {
        guard let node = node(kind: kind, profile: profile, path: path) else { return [] }
        var vals: [String] = []
        if let e = node["enum"] as? [Any] {
            vals += e.map { ($0 as? String) ?? JSONEdit.text($0, pretty: false) }
        }
        if let c = node["const"] as? String { vals.append(c) }
        let types = (node["type"] as? [String]) ?? (node["type"] as? String).map { [$0] } ?? []
        if types.contains("boolean") { vals += ["true", "false"] }
        if types.contains("null") { vals.append("null") }
        return vals
    }

    private func resolve(_ node: [String: Any], doc: [String: Any]) -> ([String: Any], [String: Any]) {
        var node = node, doc = doc
        var hops = 0
        while let ref = node["$ref"] as? String, hops < 8 {
            hops += 1
            if ref.hasPrefix("#/") {
                var cur: Any = doc
                for part in ref.dropFirst(2).split(separator: "/") {
                    cur = (cur as? [String: Any])?[String(part)] ?? [:]
                }
                node = cur as? [String: Any] ?? [:]
            } else if let other = docs[ref] ?? docs[(ref as NSString).lastPathComponent] {
                node = other
                doc = other
            } else {
                break
            }
        }
        return (node, doc)
    }

    private func walk(_ raw: [String: Any], doc rawDoc: [String: Any], prefix: String, value: Any?, depth: Int,
                      into out: inout [(String, [String: Any])]) {
        let (node, doc) = resolve(raw, doc: rawDoc)
        if !prefix.isEmpty { out.append((prefix, node)) }
        guard depth < 6 else { return }
        if let props = node["properties"] as? [String: Any] {
            for k in props.keys.sorted() {
                guard let sub = props[k] as? [String: Any] else { continue }
                if prefix.isEmpty && k == "kind" { continue }
                walk(sub, doc: doc, prefix: prefix.isEmpty ? k : prefix + "." + k,
                     value: (value as? [String: Any])?[k], depth: depth + 1, into: &out)
            }
        }
        if let items = node["items"] as? [String: Any] {
            let arr = value as? [Any] ?? []
            for i in 0...min(arr.count, 20) {
                walk(items, doc: doc, prefix: prefix + "[\(i)]", value: i < arr.count ? arr[i] : nil,
                     depth: depth + 1, into: &out)
            }
        }
    }

    private func profilePaths(_ v: Any, prefix: String, into out: inout [String]) {
        if let d = v as? [String: Any] {
            for k in d.keys.sorted() {
                let p = prefix.isEmpty ? k : prefix + "." + k
                out.append(p)
                profilePaths(d[k]!, prefix: p, into: &out)
            }
        } else if let a = v as? [Any] {
            for (i, x) in a.enumerated().prefix(20) {
                let p = prefix + "[\(i)]"
                out.append(p)
                profilePaths(x, prefix: p, into: &out)
            }
        }
    }
}
