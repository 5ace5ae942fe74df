import Foundation
import Kryteria

/// `--format csv`: one row per record and rule.
///
/// Columns: id, line, rule, outcome, amount, score, failed (criterion ids joined with ;),
/// missing (profile fields joined with ;), message. An invalid or malformed record gets
/// one row with outcome `invalid` and the message; a record no rule applies to gets one
/// row with an empty rule and outcome `none`. RFC 4180 quoting; rows end with \n.
public enum BatchCSV {
    public static let header = "id,line,rule,outcome,amount,score,failed,missing,message\n"

    static func field(_ s: String, into out: inout [UInt8]) {
        var needs = false
        for b in s.utf8 where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D {
            needs = true
            break
        }
        if !needs {
            out.append(contentsOf: s.utf8)
            return
        }
        out.append(0x22)
        for b in s.utf8 {
            if b == 0x22 { out.append(0x22) }
            out.append(b)
        }
        out.append(0x22)
    }

    static func number(_ v: Any?) -> String {
        guard let n = v as? NSNumber else { return "" }
        let d = n.doubleValue
        if d == d.rounded() && abs(d) < 1e15 { return String(Int64(d)) }
        return String(d)
    }

    static func row(_ fields: [String], into out: inout [UInt8]) {
        for (i, f) in fields.enumerated() {
            if i > 0 { out.append(0x2C) }
            field(f, into: &out)
        }
        out.append(0x0A)
    }

    /// The outcome as a person reads it: Polish by default (the JSON keeps the contract's codes).
    public static func outcomeWord(_ code: String, _ lang: Language) -> String {
        guard lang == .pl else { return code }
        switch code {
        case "eligible": return "spełnia"
        case "ineligible": return "nie spełnia"
        case "undetermined": return "nieustalone"
        case "invalid": return "niepoprawny"
        case "none": return "żadna reguła nie dotyczy"
        default: return code
        }
    }

    /// The rows of one result (the engine's result JSON of one record).
    public static func rows(result: UnsafeRawBufferPointer, line: Int, language: Language = .pl, into out: inout [UInt8]) {
        let w = { (code: String) in outcomeWord(code, language) }
        let data = Data(bytes: result.baseAddress!, count: result.count)
        guard let obj = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            errorRow(line: line, code: "engine_error", message: "unreadable result", into: &out)
            return
        }
        let id = obj["id"] as? String ?? ""
        // with --skip-broken, every row says which rule files were left out
        var note = ""
        if let skipped = obj["skipped"] as? [String], !skipped.isEmpty {
            note = (language == .pl ? "pominięto uszkodzone pliki reguł: " : "broken rule files left out: ") + skipped.joined(separator: ", ")
        }
        func msg(_ m: String) -> String { note.isEmpty ? m : (m.isEmpty ? note : m + "; " + note) }
        if let err = obj["error"] as? [String: Any] {
            row([id, String(line), "", w("invalid"), "", "", "", "", msg(err["message"] as? String ?? "")], into: &out)
            return
        }
        let results = obj["results"] as? [[String: Any]] ?? []
        if results.isEmpty {
            row([id, String(line), "", w("none"), "", "", "", "", msg("")], into: &out)
            return
        }
        for r in results {
            let criteria = r["criteria"] as? [[String: Any]] ?? []
            let failed = criteria.filter { $0["outcome"] as? String == "fail" }.compactMap { $0["id"] as? String }
            var seen = Set<String>()
            var missing: [String] = []
            for c in criteria {
                for m in c["missing"] as? [String] ?? [] where seen.insert(m).inserted { missing.append(m) }
            }
            row([id, String(line), r["rule"] as? String ?? "", w(r["outcome"] as? String ?? ""),
                 number(r["amount"]), number(r["score"]), failed.joined(separator: ";"),
                 missing.joined(separator: ";"), msg(r["error"] as? String ?? "")], into: &out)
        }
    }

    public static func errorRow(line: Int, code: String, message: String, language: Language = .pl, into out: inout [UInt8]) {
        let bad = language == .pl ? "błędny JSON: " : "malformed JSON: "
        row(["", String(line), "", outcomeWord("invalid", language), "", "", "", "", code == "malformed_json" ? bad + message : message],
            into: &out)
    }

}

/// For --resume of CSV output: streams a partial CSV file and finds where the last
/// complete record ends. The rows of the last record seen are dropped (they may be cut
/// short) and that record is evaluated again; nothing is written twice.
public struct CSVResumeScanner {
    public init() {}

    private var inQuotes = false
    private var field = 0
    private var lineField: [UInt8] = []
    private var outcomeField: [UInt8] = []
    private var offset = 0
    private var rowStart = 0
    private var headerEnd: Int?
    private var lastLine: [UInt8]? = nil
    private var lastStart = 0
    private var lastInvalid = false
    private var groups = 0
    private var invalidGroups = 0
    private static let invalidWords = [Array("invalid".utf8), Array("niepoprawny".utf8)]

    public mutating func feed(_ p: UnsafeRawBufferPointer) {
        for b in p {
            defer { offset += 1 }
            if inQuotes {
                if b == 0x22 { inQuotes = false }   // "" is two toggles
                continue
            }
            switch b {
            case 0x22: inQuotes = true
            case 0x2C: field += 1
            case 0x0A:
                if headerEnd == nil {
                    headerEnd = offset + 1
                } else {
                    let invalid = CSVResumeScanner.invalidWords.contains(outcomeField)
                    if let l = lastLine, l == lineField {
                        if invalid { lastInvalid = true }
                    } else {
                        if lastLine != nil {
                            groups += 1
                            if lastInvalid { invalidGroups += 1 }
                        }
                        lastLine = lineField
                        lastStart = rowStart
                        lastInvalid = invalid
                    }
                }
                rowStart = offset + 1
                field = 0
                lineField.removeAll(keepingCapacity: true)
                outcomeField.removeAll(keepingCapacity: true)
            default:
                if field == 1 { lineField.append(b) }
                if field == 3 { outcomeField.append(b) }
            }
        }
    }

    /// Complete records before the last one, the bytes to keep, and how many of the
    /// kept records are invalid. nil when not even the header is complete.
    public var result: (records: Int, keepBytes: Int, errors: Int)? {
        guard let headerEnd else { return nil }
        if lastLine == nil { return (0, headerEnd, 0) }
        return (groups, lastStart, invalidGroups)
    }
}
