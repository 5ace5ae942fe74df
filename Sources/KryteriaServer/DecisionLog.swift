import Foundation
import Kryteria

/// `--decision-log FILE`: one JSON line per evaluation with the ruleset hash, the as-of
/// date, the SHA-256 of the input and the outcomes; no personal data.
final class DecisionLog: @unchecked Sendable {
    private let handle: FileHandle
    private let lock = NSLock()

    init(path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw KryteriaError.invalidOption("--decision-log: cannot create \(path)")
            }
        }
        guard let h = FileHandle(forWritingAtPath: path) else {
            throw KryteriaError.invalidOption("--decision-log: cannot write \(path)")
        }
        h.seekToEndOfFile()
        handle = h
    }

    func record(route: String, input: [UInt8], summary ev: ResultSummary) {
        var s = "{\"time\":" + JSONText.quote(DecisionLog.timestamp()) + ",\"route\":" + JSONText.quote(route)
        s += ",\"input_sha256\":" + JSONText.quote(Digest.sha256Hex(input))
        s += ",\"ruleset\":" + (ev.ruleset.map(JSONText.quote) ?? "null")
        s += ",\"as_of\":" + (ev.asOf.map(JSONText.quote) ?? "null")
        if let e = ev.error {
            s += ",\"error\":" + JSONText.quote(e.code)
        } else {
            s += ",\"outcomes\":{" + ev.results.map { JSONText.quote($0.rule) + ":" + JSONText.quote($0.outcome) }
                .joined(separator: ",") + "}"
        }
        s += "}\n"
        lock.withLock { handle.write(Data(s.utf8)) }
    }

    /// Now, in UTC, to the millisecond: `2026-12-03T16:05:12.345Z` (ISO 8601, as ISO8601DateFormatter
    /// writes it with fractional seconds). Made by hand: a formatter made for every line cost some
    /// 1 100 000 instructions, more than the evaluation it records (callgrind, POST /v1/evaluate).
    static func timestamp() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var t = time_t(ts.tv_sec)
        var tm = tm()
        gmtime_r(&t, &tm)
        func pad(_ v: Int, _ width: Int) -> String {
            let d = String(v)
            return d.count >= width ? d : String(repeating: "0", count: width - d.count) + d
        }
        return pad(Int(tm.tm_year) + 1900, 4) + "-" + pad(Int(tm.tm_mon) + 1, 2) + "-" + pad(Int(tm.tm_mday), 2)
            + "T" + pad(Int(tm.tm_hour), 2) + ":" + pad(Int(tm.tm_min), 2) + ":" + pad(Int(tm.tm_sec), 2)
            + "." + pad(Int(ts.tv_nsec) / 1_000_000, 3) + "Z"
    }
}
