import Foundation
import Kryteria
import LuaBridge
#if canImport(Glibc)
import Glibc
#endif

/// A bounded blocking FIFO for handing chunks between threads.
public final class BlockingQueue<T> {
    private let cond = NSCondition()
    private var items: [T] = []
    private var head = 0
    private var closed = false

    public init() {}

    public func push(_ x: T) {
        cond.lock()
        items.append(x)
        cond.signal()
        cond.unlock()
    }

    /// The next item; nil once the queue is closed and empty.
    public func pop() -> T? {
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

    public func close() {
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
    /// Each record's eligibility group (for --rank): 0 eligible, 1 undetermined, 2 ineligible, 3 invalid or none.
    var groups: [UInt8] = []
    /// Lines of invalid or malformed records.
    var invalidLines: [Int] = []
    /// The caller's id of each record that has one, with its line (to flag ids given twice).
    var ids: [(id: String, line: Int)] = []
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
        groups.removeAll(keepingCapacity: true)
        invalidLines.removeAll(keepingCapacity: true)
        ids.removeAll(keepingCapacity: true)
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

public enum OutputFormat: String, CaseIterable, Sendable {
    case jsonl, csv
}

/// Settings of one batch run.
public struct BatchSettings: Sendable {
    public var format: OutputFormat = .jsonl
    public var rank = false
    /// How many records' ids are remembered to flag an id given twice (about 30 bytes each).
    public var idCheckLimit = 250_000
    /// The language of CSV words (outcomes) and of the rank's eligibility column.
    public var language: Language = .pl
    public var jobs = 1
    public var chunkSize = 256
    /// The evaluation options as the JSON the engine reads (`EvaluationOptions.json()`), the same
    /// for every record: a Lua state decodes them once; each record's line goes to the engine apart.
    public var options: [UInt8] = Array("{}".utf8)
    /// When set (with `format` jsonl), each record's result line (without its newline) is handed
    /// here in output order, with its input record (under --rank too, in ranked order), instead of being written to
    /// the output: the workbook, the report and the CSV dialects consume it. A throw stops the output.
    public var recordSink: (@Sendable (_ result: UnsafeRawBufferPointer, _ input: UnsafeRawBufferPointer?) throws -> Void)?
    /// When set, also shown each record's result line and input record in output order, before
    /// the output is written (the service's metrics and decision log); the output is unchanged.
    public var recordObserver: (@Sendable (_ result: UnsafeRawBufferPointer, _ input: UnsafeRawBufferPointer?) -> Void)?

    public init() {}

    /// Settings for the given evaluation options (language, as-of date, rules).
    public init(options: EvaluationOptions, format: OutputFormat = .jsonl, jobs: Int = 1) {
        self.options = options.json()
        self.format = format
        self.jobs = jobs
        self.language = options.language
    }
}

/// Where a run's output goes: called by the writer thread, in input order, with the
/// bytes of one or more whole records; returns an error message when it cannot write.
public typealias BatchSink = (UnsafeRawBufferPointer) -> String?

/// Told about progress by the writer thread (the CLI draws a bar on a terminal).
public protocol BatchProgressReporting: AnyObject {
    func update(records: Int, bytes: Int64, startNanos: UInt64)
    func finish()
}

/// Totals of a run.
public struct BatchTotals: Sendable {
    public var records = 0
    public var invalid = 0
    public var malformed = 0
    public var stats = BatchStats()
    public var seconds = 0.0
    /// Lines of invalid or malformed records, in input order (the first 1 000).
    public var invalidLines: [Int] = []
    /// Ids given to more than one record, with the lines that carry each (the first 100 ids).
    public var duplicateIDs: [(id: String, lines: [Int])] = []
    /// Ids are compared over the first `BatchSettings.idCheckLimit` records that carry one (memory
    /// stays flat for any input): that limit when the input had more, nil when every id was compared.
    public var idsComparedIn: Int?
    /// True when not every record's id was compared.
    public var idCheckTruncated: Bool { idsComparedIn != nil }
    /// Lines listed for one repeated id (the summary says "…" beyond them).
    public static let linesPerDuplicate = 20
    public init() {}
}

/// Reads records, evaluates them on `jobs` worker threads (each with its own Lua state
/// for its whole life) and writes the results in input order. Memory stays bounded: a
/// fixed pool of chunks circulates between the reader, the workers and the writer.
public final class BatchPipeline {
    public let engine: Engine
    public let settings: BatchSettings
    public let reader: RecordReader
    private let sink: BatchSink
    private let progress: BatchProgressReporting?

    private let free = BlockingQueue<Chunk>()
    private let work = BlockingQueue<Chunk>()
    private let done = BlockingQueue<Chunk>()
    private let statsLock = NSLock()
    private var workerStats = BatchStats()
    private var workerFailure: String?
    private var writeFailure: String?
    /// Scoring sheets: their outcome is not the record's eligibility (for --rank).
    private let scoringRules: Set<String>

    /// A run that writes its output to `sink`.
    public init(engine: Engine, settings: BatchSettings, reader: RecordReader,
                progress: BatchProgressReporting? = nil, sink: @escaping BatchSink) {
        self.engine = engine
        self.settings = settings
        self.reader = reader
        self.progress = progress
        self.sink = sink
        scoringRules = Set(((try? engine.describe())?.rules ?? []).filter { $0.scoring == true }.map(\.id))
    }

    /// A run that writes its output to a file descriptor.
    public convenience init(engine: Engine, settings: BatchSettings, reader: RecordReader, outFD: Int32,
                            progress: BatchProgressReporting? = nil) {
        self.init(engine: engine, settings: settings, reader: reader, progress: progress) { writeAll(outFD, $0) }
    }

    /// Runs to the end of the input on this thread (the reader), `jobs` worker threads and
    /// a writer thread; returns the totals. Throws for unreadable input or a failed write.
    public func run() throws -> BatchTotals {
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
                let opts = settings.options
                var scratch: [UInt8] = []
                while let chunk = work.pop() {
                    process(chunk, rt, opts, &scratch)
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

    private func process(_ chunk: Chunk, _ rt: Runtime, _ opts: [UInt8], _ scratch: inout [UInt8]) {
        let format = settings.format
        let rank = settings.rank
        chunk.input.withUnsafeBytes { inp in
            for i in 0..<chunk.count {
                let place = chunk.places[i]
                let rec = UnsafeRawBufferPointer(rebasing: inp[chunk.starts[i] ..< chunk.starts[i] + chunk.lengths[i]])
                var score = -Double.infinity
                var group: UInt8 = 3
                if rec.isEmpty {
                    chunk.malformed += 1
                    chunk.invalidLines.append(place.line)
                    emitError(chunk, line: place.line, code: "malformed_json",
                              message: JSONSyntaxPlace.emptyElement(line: place.fileLine, column: place.fileColumn, settings.language)
                                  .message(settings.language), &scratch)
                    if rank { chunk.outEnds.append(chunk.output.count); chunk.scores.append(score); chunk.groups.append(group) }
                    continue
                }
                do {
                    try opts.withUnsafeBytes { o in
                        try rt.evaluate(json: rec, options: o, line: place.line) { out, flagged in
                            if flagged { chunk.invalid += 1; chunk.invalidLines.append(place.line) }
                            if let id = BatchScore.id(in: out) { chunk.ids.append((id, place.line)) }
                            if rank && !flagged {
                                score = BatchScore.highest(in: out)
                                group = BatchScore.eligibilityGroup(in: out, scoring: scoringRules)
                            }
                            switch format {
                            case .jsonl:
                                chunk.output.append(contentsOf: out)
                                chunk.output.append(0x0A)
                            case .csv:
                                BatchCSV.rows(result: out, line: place.line, language: settings.language, into: &chunk.output)
                            }
                        }
                    }
                } catch let e as LuaFailure {
                    let code: String
                    let message: String
                    chunk.invalidLines.append(place.line)
                    if e.kind == .malformedJSON {
                        chunk.malformed += 1
                        code = "malformed_json"
                        message = BatchPipeline.placeSyntaxError(e.message(polish: settings.language == .pl), place,
                                                                 language: settings.language)
                    } else {
                        chunk.invalid += 1
                        code = "engine_error"
                        message = e.message
                    }
                    emitError(chunk, line: place.line, code: code, message: message, &scratch)
                } catch {
                    chunk.invalid += 1
                    chunk.invalidLines.append(place.line)
                    emitError(chunk, line: place.line, code: "engine_error", message: "\(error)", &scratch)
                }
                if rank {
                    chunk.outEnds.append(chunk.output.count)
                    chunk.scores.append(score)
                    chunk.groups.append(group)
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
            BatchCSV.errorRow(line: line, code: code, message: message, language: settings.language, into: &chunk.output)
        }
    }

    /// "line L, column C: msg" (relative to the record, either language) → the same in input
    /// coordinates, in `language`.
    public static func placeSyntaxError(_ message: String, _ place: RecordPlace, language: Language = .en) -> String {
        guard let p = JSONSyntaxPlace(message) else { return JSONSyntaxPlace.onLine(place.fileLine, message, language) }
        return p.inFile(line: place.fileLine, column: place.fileColumn).message(language)
    }

    // MARK: writer

    private func writer(start t0: UInt64) -> BatchTotals {
        var totals = BatchTotals()
        var pending: [Int: Chunk] = [:]
        var next = 0
        // --rank: everything is kept, then sorted
        var store: [UInt8] = []
        var entries: [(group: UInt8, score: Double, start: Int, end: Int)] = []
        // (and, for documents made from ranked lines, each record's input: the workbook names the applicant)
        let keepInputs = settings.rank && settings.recordSink != nil
        var inputStore: [UInt8] = []
        var inputRanges: [Range<Int>] = []
        var firstLineOfID: [Int: Int] = [:]       // hash of an id -> the first line that carried it
        var duplicateIndex: [String: Int] = [:]   // id -> its place in totals.duplicateIDs
        while let chunk = done.pop() {
            pending[chunk.seq] = chunk
            while let c = pending.removeValue(forKey: next) {
                next += 1
                totals.records += c.count
                totals.invalid += c.invalid
                totals.malformed += c.malformed
                for l in c.invalidLines where totals.invalidLines.count < 1000 { totals.invalidLines.append(l) }
                for (id, line) in c.ids {
                    let h = id.hashValue
                    if let first = firstLineOfID[h] {
                        if let k = duplicateIndex[id] {
                            if totals.duplicateIDs[k].lines.count < BatchTotals.linesPerDuplicate { totals.duplicateIDs[k].lines.append(line) }
                        }
                        else if totals.duplicateIDs.count < 100 {
                            duplicateIndex[id] = totals.duplicateIDs.count
                            totals.duplicateIDs.append((id, [first, line]))
                        }
                    } else if firstLineOfID.count < settings.idCheckLimit {
                        firstLineOfID[h] = line
                    } else {
                        totals.idsComparedIn = settings.idCheckLimit
                    }
                }
                if settings.rank {
                    var s = 0
                    let base = store.count
                    store.append(contentsOf: c.output)
                    for i in 0..<c.count {
                        entries.append((c.groups[i], c.scores[i], base + s, base + c.outEnds[i]))
                        s = c.outEnds[i]
                        if keepInputs {
                            let at = inputStore.count
                            inputStore.append(contentsOf: c.input[c.starts[i] ..< c.starts[i] + c.lengths[i]])
                            inputRanges.append(at ..< inputStore.count)
                        }
                    }
                } else if let recordSink = settings.recordSink {
                    if writeFailure == nil {
                        do { try BatchPipeline.feed(c, recordSink) } catch { writeFailure = "\(error)" }
                    }
                } else if writeFailure == nil {
                    if let observer = settings.recordObserver { try? BatchPipeline.feed(c, observer) }
                    if let err = c.output.withUnsafeBytes({ sink($0) }) { writeFailure = err }
                }
                progress?.update(records: totals.records, bytes: c.inputOffset, startNanos: t0)
                free.push(c)
            }
        }
        progress?.finish()
        if settings.rank {
            // eligible first, then undetermined, then ineligible, then invalid; by points within
            // each group, highest first; ties keep input order (stable: index)
            var order = Array(entries.indices)
            order.sort { a, b in
                let ga = entries[a].group, gb = entries[b].group
                if ga != gb { return ga < gb }
                let x = entries[a].score, y = entries[b].score
                if x != y { return x > y }
                return a < b
            }
            var out: [UInt8] = []
            out.reserveCapacity(1 << 20)
            store.withUnsafeBytes { st in
                for (position, k) in order.enumerated() {
                    let e = entries[k]
                    if let recordSink = settings.recordSink {
                        // the ranked line (with its rank, eligibility and points) without its newline
                        var line: [UInt8] = []
                        BatchRankColumns.write(UnsafeRawBufferPointer(rebasing: st[e.start ..< e.end]), rank: position + 1,
                                               group: e.group, points: e.score, format: .jsonl,
                                               language: settings.language, into: &line)
                        if line.last == 0x0A { line.removeLast() }
                        if writeFailure == nil {
                            do {
                                try line.withUnsafeBytes { l in
                                    if k < inputRanges.count {
                                        try inputStore.withUnsafeBytes { try recordSink(l, UnsafeRawBufferPointer(rebasing: $0[inputRanges[k]])) }
                                    } else {
                                        try recordSink(l, nil)
                                    }
                                }
                            } catch { writeFailure = "\(error)" }
                        }
                        continue
                    }
                    BatchRankColumns.write(UnsafeRawBufferPointer(rebasing: st[e.start ..< e.end]), rank: position + 1,
                                           group: e.group, points: e.score, format: settings.format,
                                           language: settings.language, into: &out)
                    if out.count >= 1 << 20 {
                        if writeFailure == nil, let err = out.withUnsafeBytes({ sink($0) }) { writeFailure = err }
                        out.removeAll(keepingCapacity: true)
                    }
                }
            }
            if writeFailure == nil, let err = out.withUnsafeBytes({ sink($0) }) { writeFailure = err }
        }
        return totals
    }
}

extension BatchPipeline {
    /// Hands a chunk's result lines (JSON Lines, one line per record) to the sink with their input records.
    static func feed(_ c: Chunk, _ sink: @escaping (UnsafeRawBufferPointer, UnsafeRawBufferPointer?) throws -> Void) throws {
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
public func writeAll(_ fd: Int32, _ p: UnsafeRawBufferPointer) -> String? {
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


/// The rank key of a result: the highest `"score":` of its rule results.
public enum BatchScore {
    /// The caller's id of a result, when it has a string id.
    public static func id(in out: UnsafeRawBufferPointer) -> String? {
        let key = idKey
        guard let base = out.baseAddress, out.count > key.count else { return nil }
        // "id" comes right after "line" at the start of a result object
        let limit = min(out.count - key.count, 48)
        var i = 1
        while i <= limit {
            if memcmp(base + i, key, key.count) == 0 {
                let start = i + key.count
                var j = start
                while j < out.count, out[j] != 0x22 {
                    if out[j] == 0x5C { return nil }   // an escaped id: rare, not worth decoding here
                    j += 1
                }
                return String(decoding: UnsafeRawBufferPointer(rebasing: out[start..<j]), as: UTF8.self)
            }
            i += 1
        }
        return nil
    }
    private static let idKey: [UInt8] = Array("\"id\":\"".utf8)

    /// The eligibility group of a result: the worst outcome of its rules that are not
    /// scoring sheets (0 eligible, 1 undetermined, 2 ineligible; 3 when no such rule applies).
    public static func eligibilityGroup(in out: UnsafeRawBufferPointer, scoring: Set<String>) -> UInt8 {
        guard let base = out.baseAddress,
              let obj = try? JSONSerialization.jsonObject(with: Data(bytes: base, count: out.count)) as? [String: Any],
              let results = obj["results"] as? [[String: Any]] else { return 3 }
        var group: UInt8 = 3
        for r in results where !scoring.contains(r["rule"] as? String ?? "") {
            let g: UInt8
            switch r["outcome"] as? String {
            case "eligible": g = 0
            case "undetermined": g = 1
            default: g = 2
            }
            group = group == 3 ? g : max(group, g)
        }
        return group
    }

    public static func highest(in out: UnsafeRawBufferPointer) -> Double {
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


/// With --rank, each record carries its place, its eligibility and its points:
/// JSON Lines get `"rank"`, `"eligibility"` and `"points"` first; CSV rows three leading columns.
public enum BatchRankColumns {
    public static let csvHeaderPrefix = "rank,eligibility,points,"

    public static func eligibilityWord(_ group: UInt8, _ lang: Language) -> String {
        switch (group, lang) {
        case (0, .pl): return "spełnia"
        case (1, .pl): return "nieustalone"
        case (2, .pl): return "nie spełnia"
        case (_, .pl): return "niepoprawny"
        case (0, _): return "eligible"
        case (1, _): return "undetermined"
        case (2, _): return "ineligible"
        default: return "invalid"
        }
    }

    static func eligibilityCode(_ group: UInt8) -> String {
        ["eligible", "undetermined", "ineligible", "invalid"][Int(min(group, 3))]
    }

    public static func write(_ record: UnsafeRawBufferPointer, rank: Int, group: UInt8, points: Double,
                             format: OutputFormat, language: Language, into out: inout [UInt8]) {
        let pts = points.isFinite ? (points == points.rounded() ? String(Int(points)) : String(points)) : ""
        switch format {
        case .jsonl:
            guard record.count > 1, record[0] == UInt8(ascii: "{") else { out.append(contentsOf: record); return }
            out.append(UInt8(ascii: "{"))
            out.append(contentsOf: "\"rank\":\(rank),\"eligibility\":\"\(eligibilityCode(group))\",".utf8)
            if !pts.isEmpty { out.append(contentsOf: "\"points\":\(pts),".utf8) }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: record[1...]))
        case .csv:
            // every row of the record (one per rule) gets the same three columns; points with a decimal
            // point as every number of RFC 4180 CSV (a comma would split the field: --csv-dialect
            // excel-pl gives the decimal comma, between semicolons)
            let prefix = Array("\(rank),\(eligibilityWord(group, language)),\(pts),".utf8)
            var atStart = true
            var inQuotes = false
            for b in record {
                if atStart { out.append(contentsOf: prefix); atStart = false }
                out.append(b)
                if b == 0x22 { inQuotes.toggle() }
                if b == 0x0A && !inQuotes { atStart = true }
            }
        }
    }
}
