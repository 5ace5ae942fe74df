import Foundation
import Kryteria

/// One line of batch output: the contract's result object of one record, or a record-level error
/// (`{"line":N,"error":{"code":…,"message":…}}`) for input that could not even be read.
public struct ResultLine {
    public var line: Int?
    public var id: String?
    /// The evaluation, when the line is a result (an invalid profile is a result with `error`).
    public var evaluation: Evaluation?
    public var errorCode: String?
    public var errorMessage: String?

    public var isError: Bool { errorCode != nil }

    /// Reads one line (bytes of one JSON object, without the newline).
    public static func parse(_ bytes: UnsafeRawBufferPointer, decoder: JSONDecoder = JSONDecoder()) -> ResultLine {
        let data = Data(bytes)
        return parse(data, decoder: decoder)
    }

    public static func parse(_ data: Data, decoder: JSONDecoder = JSONDecoder()) -> ResultLine {
        if let ev = try? decoder.decode(Evaluation.self, from: data) {
            return ResultLine(line: ev.line, id: ev.id, evaluation: ev, errorCode: ev.error?.code, errorMessage: ev.error?.message)
        }
        // a record-level error line, or something that is not a result at all
        let obj = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        let err = obj?["error"] as? [String: Any]
        return ResultLine(line: (obj?["line"] as? NSNumber)?.intValue, id: obj?["id"] as? String, evaluation: nil,
                          errorCode: err?["code"] as? String ?? "unreadable_result",
                          errorMessage: err?["message"] as? String ?? "unreadable result line")
    }

    /// The program rule of an application (the first result) or nil for other kinds.
    public func mainRule(program: String?) -> RuleResult? {
        guard let results = evaluation?.results, !results.isEmpty else { return nil }
        if let program, let r = results.first(where: { $0.rule == program }) { return r }
        if evaluation?.kind == "application" { return results.first }
        return nil
    }
}

/// Reads `"name"` and `"program"` of a profile's top level without parsing the whole profile
/// (nested objects, e.g. employees with names, are skipped).
public enum ProfileFields {
    public static func topLevelStrings(_ p: UnsafeRawBufferPointer, keys: Set<String>) -> [String: String] {
        var out: [String: String] = [:]
        var depth = 0
        var i = 0
        let n = p.count
        var expectKey = false
        var pendingKey: String?
        while i < n {
            let c = p[i]
            switch c {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                expectKey = c == UInt8(ascii: "{") && depth == 1
                pendingKey = nil
                i += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                i += 1
            case UInt8(ascii: ","):
                if depth == 1 { expectKey = true; pendingKey = nil }
                i += 1
            case UInt8(ascii: "\""):
                // read the string (with escapes decoded only for the values we keep)
                var j = i + 1
                var hasEscape = false
                while j < n && p[j] != UInt8(ascii: "\"") {
                    if p[j] == UInt8(ascii: "\\") { hasEscape = true; j += 1 }
                    j += 1
                }
                if j >= n { return out }
                if depth == 1 {
                    let raw = UnsafeRawBufferPointer(rebasing: p[i ... j])
                    if expectKey {
                        let k = String(decoding: UnsafeRawBufferPointer(rebasing: p[(i + 1) ..< j]), as: UTF8.self)
                        pendingKey = keys.contains(k) ? k : nil
                        expectKey = false
                    } else if let k = pendingKey {
                        if hasEscape {
                            if let s = try? JSONSerialization.jsonObject(with: Data(raw), options: [.fragmentsAllowed]) as? String { out[k] = s }
                        } else {
                            out[k] = String(decoding: UnsafeRawBufferPointer(rebasing: p[(i + 1) ..< j]), as: UTF8.self)
                        }
                        pendingKey = nil
                        if out.count == keys.count { return out }
                    }
                }
                i = j + 1
            default:
                i += 1
            }
        }
        return out
    }
}
