import Foundation
import Kryteria
#if canImport(Glibc)
import Glibc
#endif

/// `--resume`: where a killed run's OUTPUT.partial ends.
public enum BatchResume {
    /// The last complete result line of a JSON Lines OUTPUT.partial (`keepBytes` from `point`): its
    /// `line` and `id`, to be matched with the input record it answers before resuming.
    /// How the partial's last evaluated record was evaluated: its results must not be joined with
    /// results of other rules, another as-of date or another language.
    public struct Evaluated: Equatable, Sendable {
        public var ruleset: String
        public var lang: String?
        public var asOf: String?
        public var asOfSource: String?
    }

    /// The last result line that carries a ruleset (an error record carries none), within the
    /// last 4 MiB of the kept bytes.
    public static func lastEvaluated(partial path: String, keepBytes: Int) -> Evaluated? {
        guard keepBytes > 0 else { return nil }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { return nil }
        defer { close(fd) }
        let n = min(keepBytes, 4 << 20)
        var tail = [UInt8](repeating: 0, count: n)
        let got = tail.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, n, off_t(keepBytes - n)) }
        guard got == n else { return nil }
        var end = n - 1
        while end > 0 {
            var start = end
            while start > 0 && tail[start - 1] != 0x0A { start -= 1 }
            if start == 0 && keepBytes > n { return nil }
            if let obj = try? JSONSerialization.jsonObject(with: Data(tail[start ..< end])) as? [String: Any],
               let ruleset = obj["ruleset"] as? String {
                return Evaluated(ruleset: ruleset, lang: obj["lang"] as? String, asOf: obj["as_of"] as? String,
                                 asOfSource: obj["as_of_source"] as? String)
            }
            end = start - 1
        }
        return nil
    }

    public static func lastResult(partial path: String, keepBytes: Int) -> (line: Int?, id: String?)? {
        guard keepBytes > 0 else { return nil }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { return nil }
        defer { close(fd) }
        let n = min(keepBytes, 4 << 20)
        var tail = [UInt8](repeating: 0, count: n)
        let got = tail.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, n, off_t(keepBytes - n)) }
        guard got == n else { return nil }
        var end = n - 1                                  // the newline that ends the last line
        var start = end
        while start > 0 && tail[start - 1] != 0x0A { start -= 1 }
        if start == 0 && keepBytes > n { return nil }   // a line longer than the tail read: not checked
        if end < start { end = start }
        guard let obj = try? JSONSerialization.jsonObject(with: Data(tail[start ..< end])) as? [String: Any] else { return nil }
        return ((obj["line"] as? NSNumber)?.intValue, obj["id"] as? String)
    }

    /// Reads OUTPUT.partial: how many records it already holds completely, how many bytes
    /// to keep (a trailing cut line is dropped), and how many of them are errors.
    public static func point(partial path: String, format: OutputFormat,
                             language: Language = .en) throws -> (records: Int, keepBytes: Int, errors: Int) {
        let cannot = { (language == .en ? "cannot read \(path): " : "nie można odczytać \(path): ") + SystemText.error(errno, language) }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw BatchError.usage(cannot()) }
        defer { close(fd) }
        let cap = 1 << 20
        let buf = UnsafeMutableRawPointer.allocate(byteCount: cap, alignment: 16)
        defer { buf.deallocate() }
        var csv = CSVResumeScanner()
        var lines = 0
        var lastNL = -1
        var errors = 0
        var errorsBeforeLastNL = 0
        var offset = 0
        // a record-level error is the only place `"error":{"code":` occurs (rule errors are strings)
        let pattern = Array("\"error\":{\"code\":".utf8)
        var carry: [UInt8] = []
        while true {
            let n = read(fd, buf, cap)
            if n < 0 {
                if errno == EINTR { continue }
                throw BatchError.usage(cannot())
            }
            if n == 0 { break }
            let block = UnsafeRawBufferPointer(start: buf, count: n)
            switch format {
            case .csv:
                csv.feed(block)
            case .jsonl:
                // scan with the tail of the previous block so a split pattern is found
                var window = carry
                window.append(contentsOf: block)
                let windowBase = offset - carry.count
                window.withUnsafeBytes { w in
                    var i = 0
                    while i < w.count {
                        let c = w[i]
                        if c == 0x0A && i >= carry.count {
                            lines += 1
                            lastNL = windowBase + i
                            errorsBeforeLastNL = errors
                        } else if c == 0x22 && i + pattern.count <= w.count && windowBase + i + pattern.count > offset
                                    && memcmp(w.baseAddress! + i, pattern, pattern.count) == 0 {
                            errors += 1
                        }
                        i += 1
                    }
                }
                carry = Array(window.suffix(pattern.count - 1))
            }
            offset += n
        }
        switch format {
        case .csv:
            guard let r = csv.result else { return (0, 0, 0) }
            return r
        case .jsonl:
            return (lines, lastNL + 1, errorsBeforeLastNL)
        }
    }
}
