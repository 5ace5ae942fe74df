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
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var s = "{\"time\":" + JSONText.quote(f.string(from: Date())) + ",\"route\":" + JSONText.quote(route)
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
}
