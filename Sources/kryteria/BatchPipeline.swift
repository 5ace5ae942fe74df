import Foundation
import Kryteria
import LuaBridge
#if canImport(Glibc)
import Glibc
#endif

/// A bounded blocking FIFO for handing chunks between threads.
final class BlockingQueue<T> {
    private let cond = NSCondition()
    private var items: [T] = []
    private var head = 0
    private var closed = false

    func push(_ x: T) {
        cond.lock()
        items.append(x)
        cond.signal()
        cond.unlock()
    }

    /// The next item; nil once the queue is closed and empty.
    func pop() -> T? {
        cond.lock()
        defer { cond.unlock() }
        while head == items.count && !closed { cond.wait() }
        if head == items.count { return nil }
        let x = items[head]
        head += 1
        if head > 64 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        return x
    }

    func close() {
        cond.lock()
        closed = true
        cond.broadcast()
        cond.unlock()
    }
}

/// Up to `chunkSize` consecutive records, their results, and counts. Chunks are
/// recycled through a pool: their buffers keep their capacity.
final class Chunk {
    var seq = 0
    var input: [UInt8] = []
    var starts: [Int] = []
    var lengths: [Int] = []
    var places: [RecordPlace] = []
    var output: [UInt8] = []
    /// End of each record's output in `output` (for --rank).
    var outEnds: [Int] = []
    /// Each record's rank key (for --rank): its highest score, or -inf.
    var scores: [Double] = []
    var invalid = 0
    var malformed = 0
    /// Input bytes consumed when the chunk was cut (for progress).
    var inputOffset: Int64 = 0

    var count: Int { starts.count }

    func reset() {
        input.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        lengths.removeAll(keepingCapacity: true)
        places.removeAll(keepingCapacity: true)
        output.removeAll(keepingCapacity: true)
        outEnds.removeAll(keepingCapacity: true)
        scores.removeAll(keepingCapacity: true)
        invalid = 0
        malformed = 0
    }

    func add(_ rec: UnsafeRawBufferPointer, _ place: RecordPlace) {
        starts.append(input.count)
        lengths.append(rec.count)
        places.append(place)
        input.append(contentsOf: rec)
    }
}

enum OutputFormat: String, CaseIterable {
    case jsonl, csv
}

/// Settings of one batch run.
struct BatchSettings {
    var format: OutputFormat = .jsonl
    var rank = false
    var jobs = 1
    var chunkSize = 256
    var progress = false
    /// The options JSON without its closing brace; `,"line":N}` is appended per record.
    var optionsPrefix: [UInt8] = []
    /// When set (with `format` jsonl), each record's result line (without its newline) is handed
    /// here in output order, with its input record (nil under --rank), instead of being written to
    /// the output: the workbook, the report and the CSV dialects consume it. A throw stops the output.
    var sink: ((_ result: UnsafeRawBufferPointer, _ input: UnsafeRawBufferPointer?) throws -> Void)?
}

/// Totals of a run.
struct BatchTotals {
    var records = 0
    var invalid = 0
    var malformed = 0
    var stats = BatchStats()
    var seconds = 0.0
}

/// Reads records, evaluates them on `jobs` worker threads (each with its own Lua state
/// for its whole life) and writes the results in input order. Memory stays bounded: a
/// fixed pool of chunks circulates between the reader, the workers and the writer.
final class BatchPipeline {
    let engine: Engine
    let settings: BatchSettings
    let reader: RecordReader
    let outFD: Int32

    private let free = BlockingQueue<Chunk>()
    private let work = BlockingQueue<Chunk>()
    private let done = BlockingQueue<Chunk>()
    private let statsLock = NSLock()
    private var workerStats = BatchStats()
    private var workerFailure: String?
    private var writeFailure: String?

    init(engine: Engine, settings: BatchSettings, reader: RecordReader, outFD: Int32) {
        self.engine = engine
        self.settings = settings
        self.reader = reader
        self.outFD = outFD
    }

    func run() throws -> BatchTotals {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let poolSize = 2 * settings.jobs + 2
        for _ in 0..<poolSize { free.push(Chunk()) }

        let finished = DispatchGroup()
        for _ in 0..<settings.jobs {
            finished.enter()
            let t = Thread { [self] in
                worker()
                finished.leave()
            }
            t.stackSize = 4 << 20
            t.start()
        }
        final class Box { var totals = BatchTotals() }
        let box = Box()
        let writerDone = DispatchSemaphore(value: 0)
        let w = Thread { [self] in
            box.totals = writer(start: t0)
            writerDone.signal()
        }
        w.start()

        // the reader: this thread
        var seq = 0
        var readError: Error?
        var more = true
        while more {
            guard let chunk = free.pop() else { break }
            chunk.reset()
            chunk.seq = seq
            seq += 1
            do {
                while chunk.count < settings.chunkSize {
                    if !(try reader.next({ rec, place in chunk.add(rec, place) })) { more = false; break }
                }
            } catch {
                readError = error
                more = false
            }
            chunk.inputOffset = reader.consumed
            work.push(chunk)
        }
        work.close()
        finished.wait()
        done.close()
        writerDone.wait()
        var totals = box.totals
        if let readError { throw readError }
        if let workerFailure { throw BatchError.usage(workerFailure) }
        if let writeFailure { throw BatchError.usage(writeFailure) }
        totals.stats = workerStats
        totals.seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        return totals
    }

    // MARK: workers

    private func worker() {
        do {
            try engine.withRuntime { rt in
                _ = rt.takeStats()
                var opts = settings.optionsPrefix
                let prefixCount = opts.count
                var scratch: [UInt8] = []
                while let chunk = work.pop() {
                    process(chunk, rt, &opts, prefixCount, &scratch)
                    done.push(chunk)
                }
                let st = rt.takeStats()
                statsLock.withLock { workerStats.merge(st) }
            }
        } catch {
            statsLock.withLock { workerFailure = "cannot start a Lua state: \(error)" }
            // keep the pipeline moving: pass chunks through as failures
            while let chunk = work.pop() {
                chunk.output.removeAll(keepingCapacity: true)
                done.push(chunk)
            }
        }
    }

    private func process(_ chunk: Chunk, _ rt: Runtime, _ opts: inout [UInt8], _ prefixCount: Int,
                         _ scratch: inout [UInt8]) {
        let format = settings.format
        let rank = settings.rank
        chunk.input.withUnsafeBytes { inp in
            for i in 0..<chunk.count {
                let place = chunk.places[i]
                opts.removeSubrange(prefixCount...)
                appendASCII(&opts, ",\"line\":")
                appendInt(&opts, place.line)
                opts.append(UInt8(ascii: "}"))
                let rec = UnsafeRawBufferPointer(rebasing: inp[chunk.starts[i] ..< chunk.starts[i] + chunk.lengths[i]])
                var score = -Double.infinity
                if rec.isEmpty {
                    chunk.malformed += 1
                    emitError(chunk, line: place.line, code: "malformed_json",
                              message: "line \(place.fileLine), column \(place.fileColumn): empty array element", &scratch)
                    if rank { chunk.outEnds.append(chunk.output.count); chunk.scores.append(score) }
                    continue
                }
                do {
                    try opts.withUnsafeBytes { o in
                        try rt.evaluate(json: rec, options: o) { out, flagged in
                            if flagged { chunk.invalid += 1 }
                            if rank && !flagged { score = BatchScore.highest(in: out) }
                            switch format {
                            case .jsonl:
                                chunk.output.append(contentsOf: out)
                                chunk.output.append(0x0A)
                            case .csv:
                                BatchCSV.rows(result: out, line: place.line, into: &chunk.output)
                            }
                        }
                    }
                } catch let e as LuaFailure {
                    let code: String
                    let message: String
                    if e.kind == .malformedJSON {
                        chunk.malformed += 1
                        code = "malformed_json"
                        message = BatchPipeline.placeSyntaxError(e.message, place)
                    } else {
                        chunk.invalid += 1
                        code = "engine_error"
                        message = e.message
                    }
                    emitError(chunk, line: place.line, code: code, message: message, &scratch)
                } catch {
                    chunk.invalid += 1
                    emitError(chunk, line: place.line, code: "engine_error", message: "\(error)", &scratch)
                }
                if rank {
                    chunk.outEnds.append(chunk.output.count)
                    chunk.scores.append(score)
                }
            }
        }
    }

    private func emitError(_ chunk: Chunk, line: Int, code: String, message: String, _ scratch: inout [UInt8]) {
        switch settings.format {
        case .jsonl:
            let s = "{\"line\":\(line),\"error\":{\"code\":\(JSONText.quote(code)),\"message\":\(JSONText.quote(message))}}\n"
            chunk.output.append(contentsOf: s.utf8)
        case .csv:
            BatchCSV.errorRow(line: line, code: code, message: message, into: &chunk.output)
        }
    }

    /// "line L, column C: msg" (relative to the record) → the same in input coordinates.
    static func placeSyntaxError(_ message: String, _ place: RecordPlace) -> String {
        var rest = Substring(message)
        guard rest.hasPrefix("line ") else { return "line \(place.fileLine): " + message }
        rest = rest.dropFirst(5)
        let l = rest.prefix { $0.isNumber }
        rest = rest.dropFirst(l.count)
        guard rest.hasPrefix(", column ") else { return "line \(place.fileLine): " + message }
        rest = rest.dropFirst(9)
        let c = rest.prefix { $0.isNumber }
        rest = rest.dropFirst(c.count)
        guard let li = Int(l), let ci = Int(c) else { return message }
        let line = place.fileLine + li - 1
        let col = li == 1 ? place.fileColumn + ci - 1 : ci
        return "line \(line), column \(col)" + rest
    }

    // MARK: writer

    private func writer(start t0: UInt64) -> BatchTotals {
        var totals = BatchTotals()
        var pending: [Int: Chunk] = [:]
        var next = 0
        let progress = settings.progress ? BatchProgress(total: reader.totalBytes) : nil
        // --rank: everything is kept, then sorted
        var store: [UInt8] = []
        var entries: [(score: Double, start: Int, end: Int)] = []
        while let chunk = done.pop() {
            pending[chunk.seq] = chunk
            while let c = pending.removeValue(forKey: next) {
                next += 1
                totals.records += c.count
                totals.invalid += c.invalid
                totals.malformed += c.malformed
                if settings.rank {
                    var s = 0
                    let base = store.count
                    store.append(contentsOf: c.output)
                    for i in 0..<c.count {
                        entries.append((c.scores[i], base + s, base + c.outEnds[i]))
                        s = c.outEnds[i]
                    }
                } else if let sink = settings.sink {
                    if writeFailure == nil {
                        do { try BatchPipeline.feed(c, sink) } catch { writeFailure = "\(error)" }
                    }
                } else if writeFailure == nil {
                    if let err = c.output.withUnsafeBytes({ writeAll(outFD, $0) }) { writeFailure = err }
                }
                progress?.update(records: totals.records, bytes: c.inputOffset, startNanos: t0)
                free.push(c)
            }
        }
        progress?.finish()
        if settings.rank {
            // highest score first; ties and unscored keep input order (stable: index)
            var order = Array(entries.indices)
            order.sort { a, b in
                let x = entries[a].score, y = entries[b].score
                if x != y { return x > y }
                return a < b
            }
            var out: [UInt8] = []
            out.reserveCapacity(1 << 20)
            store.withUnsafeBytes { st in
                for k in order {
                    let e = entries[k]
                    if let sink = settings.sink {
                        // the line without its newline
                        if writeFailure == nil {
                            do { try sink(UnsafeRawBufferPointer(rebasing: st[e.start ..< max(e.start, e.end - 1)]), nil) } catch { writeFailure = "\(error)" }
                        }
                        continue
                    }
                    out.append(contentsOf: UnsafeRawBufferPointer(rebasing: st[e.start ..< e.end]))
                    if out.count >= 1 << 20 {
                        if writeFailure == nil, let err = out.withUnsafeBytes({ writeAll(outFD, $0) }) { writeFailure = err }
                        out.removeAll(keepingCapacity: true)
                    }
                }
            }
            if writeFailure == nil, let err = out.withUnsafeBytes({ writeAll(outFD, $0) }) { writeFailure = err }
        }
        return totals
    }
}

extension BatchPipeline {
    /// Hands a chunk's result lines (JSON Lines, one line per record) to the sink with their input records.
    static func feed(_ c: Chunk, _ sink: (UnsafeRawBufferPointer, UnsafeRawBufferPointer?) throws -> Void) throws {
        try c.output.withUnsafeBytes { out in
            try c.input.withUnsafeBytes { inp in
                var start = 0
                var i = 0
                while start < out.count, let nl = out[start...].firstIndex(of: 0x0A) {
                    let rec = i < c.count ? UnsafeRawBufferPointer(rebasing: inp[c.starts[i] ..< c.starts[i] + c.lengths[i]]) : nil
                    try sink(UnsafeRawBufferPointer(rebasing: out[start ..< nl]), rec)
                    start = nl + 1
                    i += 1
                }
            }
        }
    }
}

/// Writes every byte, retrying short writes; an error message on failure.
func writeAll(_ fd: Int32, _ p: UnsafeRawBufferPointer) -> String? {
    var off = 0
    while off < p.count {
        let n = write(fd, p.baseAddress! + off, p.count - off)
        if n < 0 {
            if errno == EINTR { continue }
            return "cannot write output: \(String(cString: strerror(errno)))"
        }
        off += n
    }
    return nil
}

@inline(__always) func appendASCII(_ a: inout [UInt8], _ s: StaticString) {
    s.withUTF8Buffer { a.append(contentsOf: $0) }
}

@inline(__always) func appendInt(_ a: inout [UInt8], _ v: Int) {
    if v < 0 { a.append(UInt8(ascii: "-")); appendInt(&a, -v); return }
    if v < 10 { a.append(UInt8(48 + v)); return }
    var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                 UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var n = 0
    var x = v
    withUnsafeMutableBytes(of: &digits) { d in
        while x > 0 { d[n] = UInt8(48 + x % 10); x /= 10; n += 1 }
        while n > 0 { n -= 1; a.append(d[n]) }
    }
}

/// The rank key of a result: the highest `"score":` of its rule results.
enum BatchScore {
    static func highest(in out: UnsafeRawBufferPointer) -> Double {
        let key: [UInt8] = Array("\"score\":".utf8)
        var best = -Double.infinity
        guard out.count > key.count, let base = out.baseAddress else { return best }
        var i = 0
        let n = out.count
        while i + key.count < n {
            guard let p = memchr(base + i, 0x22, n - i) else { break }
            let j = base.distance(to: UnsafeRawPointer(p))
            if j + key.count < n && memcmp(base + j, key, key.count) == 0 && (j == 0 || out[j - 1] != 0x5C) {
                var k = j + key.count
                var num: [UInt8] = []
                while k < n, (out[k] >= 0x30 && out[k] <= 0x39) || out[k] == 0x2E || out[k] == 0x2D
                        || out[k] == 0x65 || out[k] == 0x45 || out[k] == 0x2B {
                    num.append(out[k]); k += 1
                }
                if let v = Double(String(decoding: num, as: UTF8.self)), v > best { best = v }
                i = k
            } else {
                i = j + 1
            }
        }
        return best
    }
}

/// The progress line on stderr (only when stderr is a terminal).
final class BatchProgress {
    let total: Int64?
    private var last: UInt64 = 0
    private var shown = false

    init(total: Int64?) { self.total = total }

    func update(records: Int, bytes: Int64, startNanos: UInt64) {
        let now = DispatchTime.now().uptimeNanoseconds
        if now - last < 200_000_000 { return }
        last = now
        let secs = max(Double(now - startNanos) / 1e9, 1e-6)
        let rate = Double(records) / secs
        var s = "\r"
        if let total, total > 0 {
            let f = min(1, Double(bytes) / Double(total))
            let width = 24
            let filled = Int(f * Double(width))
            s += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            s += String(format: "%3.0f%% ", f * 100)
            let eta = f > 0 ? secs * (1 - f) / f : 0
            s += "\(group(records)) rec  \(group(Int(rate))) rec/s  ETA \(Int(eta) / 60):" + String(format: "%02d", Int(eta) % 60)
        } else {
            s += "\(group(records)) rec  \(group(Int(rate))) rec/s"
        }
        s += "\u{1B}[K"
        shown = true
        Terminal.stderr(s)
    }

    func finish() {
        if shown { Terminal.stderr("\r\u{1B}[K") }
    }
}

/// 1234567 → "1 234 567".
func group(_ n: Int) -> String {
    let s = String(n)
    var out = ""
    for (i, ch) in s.enumerated() {
        if i > 0 && (s.count - i) % 3 == 0 && ch != "-" { out += " " }
        out.append(ch)
    }
    return out
}
