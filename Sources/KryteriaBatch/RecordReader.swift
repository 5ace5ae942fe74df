import Foundation
import Kryteria
#if canImport(Glibc)
import Glibc
#endif

/// Where a record sits in the input.
public struct RecordPlace: Sendable {
    /// The record's number in results: the physical line (JSON Lines) or the
    /// 1-based element index (JSON array).
    public var line: Int
    /// Physical line and column (1-based) of the record's first byte in the input,
    /// to place JSON syntax errors in the file.
    public var fileLine: Int
    public var fileColumn: Int

    public init(line: Int, fileLine: Int, fileColumn: Int) {
        self.line = line
        self.fileLine = fileLine
        self.fileColumn = fileColumn
    }
}

/// Streams records out of a JSON Lines file or one top-level JSON array, with large
/// `read(2)`s into one reusable buffer and no per-record allocation.
///
/// JSON Lines: one record per line; blank lines (only spaces, tabs, CR) are skipped and
/// give no result, but line numbers stay physical. A JSON array is split into its
/// elements by a small scanner (strings, escapes, nesting) without loading the file.
public final class RecordReader {
    public enum Format: Sendable { case jsonLines, array }

    /// Where the bytes come from: a file descriptor, or any blocking source (an HTTP body).
    private enum Source {
        case fd(Int32, owned: Bool)
        case stream(ByteStream)
    }
    private let source: Source
    private let language: Language
    private var buf: UnsafeMutableRawPointer
    private var cap: Int
    private var start = 0          // first unconsumed byte
    private var end = 0            // end of valid bytes
    private var eof = false
    /// Absolute input offset of buf[0].
    private var base: Int64 = 0
    /// Bytes of input consumed (records handed out or skipped).
    public var consumed: Int64 { base + Int64(start) }
    /// Size of the input when it is a regular file.
    public let totalBytes: Int64?
    public private(set) var format: Format = .jsonLines

    // JSON Lines
    private var lineNo = 0
    // JSON array
    private var arrayOpen = false
    private var arrayDone = false
    private var elementIndex = 0
    private var physLine = 1           // physical line at `start`
    private var lastNewline: Int64 = -1  // absolute offset of the last '\n' before `start`
    /// The input array is broken around its elements (not closed, or text after it): said once
    /// by the caller, and the run ends with the status of broken input (records may be missing).
    public private(set) var arrayProblem: ArrayProblem?

    public enum ArrayProblem: Sendable, Equatable {
        /// End of input before the closing ']' (a truncated file?), at that place.
        case unclosed(line: Int, column: Int)
        /// Text after the closing ']' (more records, a second array?), where it starts.
        case trailing(line: Int, column: Int)

        /// Where it is and what is wrong, in the language.
        public func place(_ language: Language) -> JSONSyntaxPlace {
            let pl = language == .pl
            switch self {
            case .unclosed(let l, let c):
                return JSONSyntaxPlace(line: l, column: c, text: pl
                    ? "tablica profili nie jest zamknięta znakiem ']' (plik urwany? rekordów może brakować)"
                    : "the array of profiles is not closed with ']' (a truncated file? records may be missing)")
            case .trailing(let l, let c):
                return JSONSyntaxPlace(line: l, column: c, text: pl
                    ? "tekst po zamykającym ']' tablicy profili nie został oceniony"
                    : "text after the closing ']' of the array of profiles was not evaluated")
            }
        }

        /// "wiersz 9, kolumna 1: tablica profili nie jest zamknięta …" in the language.
        public func message(_ language: Language) -> String { place(language).message(language) }
    }

    /// Reads a file; "-" reads stdin. `language`: of the errors it throws (cannot open or read).
    public init(path: String, bufferSize: Int = 1 << 20, language: Language = .en) throws {
        self.language = language
        let fd: Int32
        if path == "-" {
            fd = 0
            source = .fd(0, owned: false)
        } else {
            fd = open(path, O_RDONLY | O_CLOEXEC)
            if fd < 0 {
                throw BatchError.usage((language == .en ? "cannot open \(path): " : "nie można otworzyć \(path): ") + SystemText.error(errno, language))
            }
            source = .fd(fd, owned: true)
        }
        var st = stat()
        if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG {
            totalBytes = Int64(st.st_size)
        } else {
            totalBytes = nil
        }
        cap = bufferSize
        buf = UnsafeMutableRawPointer.allocate(byteCount: cap, alignment: 16)
        try detect()
    }

    /// Reads a blocking byte stream (e.g. an HTTP request body handed over by an event loop).
    public init(stream: ByteStream, bufferSize: Int = 1 << 16, language: Language = .en) throws {
        self.language = language
        source = .stream(stream)
        totalBytes = nil
        cap = bufferSize
        buf = UnsafeMutableRawPointer.allocate(byteCount: cap, alignment: 16)
        try detect()
    }

    deinit {
        buf.deallocate()
        if case .fd(let fd, true) = source { close(fd) }
    }

    private func readSome(_ into: UnsafeMutableRawPointer, _ count: Int) throws -> Int {
        switch source {
        case .stream(let s): return try s.read(into: into, count: count)
        case .fd(let fd, _):
            while true {
                let r = read(fd, into, count)
                if r < 0 {
                    if errno == EINTR { continue }
                    throw BatchError.usage((language == .en ? "cannot read input: " : "nie można czytać wejścia: ") + SystemText.error(errno, language))
                }
                return r
            }
        }
    }

    /// Reads more input: keeps the bytes from `keep` on, moved to the front; grows the
    /// buffer when a single record fills it. Returns false at end of input.
    private func fill(keep: Int) throws -> Bool {
        if eof { return false }
        if keep > 0 {
            let n = end - keep
            if n > 0 { memmove(buf, buf + keep, n) }
            base += Int64(keep)
            start -= keep
            end = n
        }
        if end == cap {
            let ncap = cap * 2
            let nb = UnsafeMutableRawPointer.allocate(byteCount: ncap, alignment: 16)
            nb.copyMemory(from: buf, byteCount: end)
            buf.deallocate()
            buf = nb
            cap = ncap
        }
        let r = try readSome(buf + end, cap - end)
        if r == 0 { eof = true; return false }
        end += r
        return true
    }

    @inline(__always) private static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09
    }

    private func detect() throws {
        // a UTF-8 byte order mark (Notepad, PowerShell) before the text: skipped when an array
        // follows, so the array is not taken for JSON Lines (a first line keeps it: the JSON
        // reader skips it there)
        while end - start < 3, base == 0, try fill(keep: start) {}
        var first = start
        if base == 0, start == 0, end >= 3, buf.load(fromByteOffset: 0, as: UInt8.self) == 0xEF,
           buf.load(fromByteOffset: 1, as: UInt8.self) == 0xBB, buf.load(fromByteOffset: 2, as: UInt8.self) == 0xBF {
            first = 3
        }
        while true {
            var i = first
            while i < end {
                let c = buf.load(fromByteOffset: i, as: UInt8.self)
                if !RecordReader.isSpace(c) {
                    format = c == UInt8(ascii: "[") ? .array : .jsonLines
                    if format == .array && first == 3 && start == 0 { start = 3; lastNewline = 2 }
                    return
                }
                i += 1
            }
            first = start
            if !(try fill(keep: start)) { return }   // empty input: JSON Lines, no records
        }
    }

    /// Hands the next record to `body`; false at end of input. The bytes are valid only
    /// during the call.
    @discardableResult
    public func next(_ body: (UnsafeRawBufferPointer, RecordPlace) throws -> Void) throws -> Bool {
        switch format {
        case .jsonLines: return try nextLine(body)
        case .array: return try nextElement(body)
        }
    }

    /// Skips `n` records; returns how many there were.
    public func skip(_ n: Int) throws -> Int {
        var k = 0
        while k < n, try next({ _, _ in }) { k += 1 }
        return k
    }

    private func nextLine(_ body: (UnsafeRawBufferPointer, RecordPlace) throws -> Void) throws -> Bool {
        while true {
            var lineEnd = -1
            if start < end, let p = memchr(buf + start, 0x0A, end - start) {
                lineEnd = buf.distance(to: UnsafeMutableRawPointer(p))
            } else if !(try fill(keep: start)) {
                if start >= end { return false }
                lineEnd = end       // last line without '\n'
            } else {
                continue
            }
            lineNo += 1
            let ls = start
            var a = start, b = lineEnd
            start = lineEnd < end ? lineEnd + 1 : end
            while a < b && RecordReader.isSpace(buf.load(fromByteOffset: a, as: UInt8.self)) { a += 1 }
            while b > a && RecordReader.isSpace(buf.load(fromByteOffset: b - 1, as: UInt8.self)) { b -= 1 }
            if a == b { continue }     // blank line: no record
            try body(UnsafeRawBufferPointer(start: buf + a, count: b - a),
                     RecordPlace(line: lineNo, fileLine: lineNo, fileColumn: 1 + (a - ls)))
            return true
        }
    }

    private func nextElement(_ body: (UnsafeRawBufferPointer, RecordPlace) throws -> Void) throws -> Bool {
        if arrayDone { return false }
        // find the element start: skip spaces, the opening '[', commas
        while true {
            if start >= end {
                if !(try fill(keep: start)) {
                    arrayDone = true
                    arrayProblem = .unclosed(line: physLine, column: Int(base + Int64(start) - lastNewline))
                    return false
                }
                continue
            }
            let c = buf.load(fromByteOffset: start, as: UInt8.self)
            if c == 0x0A { physLine += 1; lastNewline = base + Int64(start) }
            if RecordReader.isSpace(c) { start += 1; continue }
            if !arrayOpen {
                arrayOpen = true   // c is '[' (detected)
                start += 1
                continue
            }
            if c == UInt8(ascii: "]") && elementIndex == 0 {
                start += 1
                arrayDone = true
                try checkTrailing()
                return false
            }
            // a comma or ']' where an element belongs (`[a,,b]`, `[,a]`, `[a,]`): an empty element,
            // handed on as an empty record, so the caller reports it at its place and nothing is
            // skipped without a word
            if c == UInt8(ascii: ",") || c == UInt8(ascii: "]") {
                elementIndex += 1
                let place = RecordPlace(line: elementIndex, fileLine: physLine, fileColumn: Int(base + Int64(start) - lastNewline))
                try body(UnsafeRawBufferPointer(start: buf + start, count: 0), place)
                start += 1
                if c == UInt8(ascii: "]") {
                    arrayDone = true
                    try checkTrailing()
                }
                return true
            }
            break
        }
        // scan the element: ends at ',' or ']' outside strings at depth 0
        let elemLine = physLine
        let elemCol = Int(base + Int64(start) - lastNewline)
        var i = start
        var depth = 0
        var inString = false
        var escape = false
        var closesArray = false
        var elemEnd = -1
        var newlines = 0
        var lastNL: Int64 = lastNewline
        scan: while true {
            while i < end {
                let c = buf.load(fromByteOffset: i, as: UInt8.self)
                if inString {
                    if escape { escape = false } else if c == 0x5C { escape = true } else if c == 0x22 { inString = false }
                    else if c == 0x0A { newlines += 1; lastNL = base + Int64(i) }
                } else {
                    switch c {
                    case 0x22: inString = true
                    case 0x7B, 0x5B: depth += 1
                    case 0x7D, 0x5D:
                        if depth == 0 {
                            if c == 0x5D { elemEnd = i; closesArray = true; break scan }
                        } else { depth -= 1 }
                    case 0x2C:
                        if depth == 0 { elemEnd = i; break scan }
                    case 0x0A: newlines += 1; lastNL = base + Int64(i)
                    default: break
                    }
                }
                i += 1
            }
            let offset = i - start
            if !(try fill(keep: start)) {
                elemEnd = end
                arrayDone = true
                arrayProblem = .unclosed(line: elemLine + newlines, column: Int(base + Int64(end) - lastNL))
                break scan
            }
            i = start + offset
        }
        var b = elemEnd
        while b > start && RecordReader.isSpace(buf.load(fromByteOffset: b - 1, as: UInt8.self)) { b -= 1 }
        elementIndex += 1
        let place = RecordPlace(line: elementIndex, fileLine: elemLine, fileColumn: elemCol)
        try body(UnsafeRawBufferPointer(start: buf + start, count: b - start), place)
        physLine += newlines
        lastNewline = lastNL
        start = elemEnd < end ? elemEnd + 1 : end
        if closesArray {
            arrayDone = true
            try checkTrailing()
        }
        return true
    }

    /// After the closing ']': anything but spaces is an `arrayProblem` (the caller says it once).
    private func checkTrailing() throws {
        while true {
            while start < end {
                let c = buf.load(fromByteOffset: start, as: UInt8.self)
                if !RecordReader.isSpace(c) {
                    arrayProblem = .trailing(line: physLine, column: Int(base + Int64(start) - lastNewline))
                    return
                }
                if c == 0x0A { physLine += 1; lastNewline = base + Int64(start) }
                start += 1
            }
            if !(try fill(keep: start)) { return }
        }
    }
}

/// A source of bytes read by a blocking call: returns 0 at the end.
public protocol ByteStream: AnyObject {
    func read(into: UnsafeMutableRawPointer, count: Int) throws -> Int
}

public enum BatchError: Error, CustomStringConvertible {
    case usage(String)
    public var description: String {
        switch self { case .usage(let m): return m }
    }
}
