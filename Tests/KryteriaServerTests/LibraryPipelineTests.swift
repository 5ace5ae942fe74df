import Foundation
import Kryteria
import KryteriaBatch
import XCTest

/// The third front end: a Swift integrator calls the same pipeline as `kryteria batch` and
/// `POST /v1/batch`, and gets the same bytes.
final class LibraryPipelineTests: XCTestCase {
    final class Chunks: ByteStream {
        var data: [UInt8]
        var offset = 0
        let step: Int
        init(_ data: [UInt8], step: Int) { self.data = data; self.step = step }
        func read(into: UnsafeMutableRawPointer, count: Int) throws -> Int {
            let n = min(count, step, data.count - offset)
            data.withUnsafeBytes { into.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
            offset += n
            return n
        }
    }

    func testBatchPipelineFromAStreamGivesTheCLIsBytes() throws {
        let engine = try Engine(rulesDirectory: repoRoot + "/Rules", strict: false)
        let input = Array(try fileData("Playground/applications.jsonl"))
        // small reads, so records straddle the reader's buffer refills
        let reader = try RecordReader(stream: Chunks(input, step: 777), bufferSize: 4096)
        var out: [UInt8] = []
        let lock = NSLock()
        let totals = try BatchPipeline(engine: engine, settings: BatchSettings(options: EvaluationOptions(), jobs: 2),
                                       reader: reader) { bytes in
            lock.withLock { out.append(contentsOf: bytes) }
            return nil
        }.run()
        XCTAssertEqual(totals.records, 61)
        XCTAssertEqual(totals.malformed, 1)
        XCTAssertEqual(String(decoding: out, as: UTF8.self),
                       String(decoding: try cli(["batch", "-q", "Playground/applications.jsonl"]), as: UTF8.self))
    }

    func testRepeatedIDsAreFlaggedAndTheirMemoryIsBounded() throws {
        let engine = try Engine(rulesDirectory: repoRoot + "/Rules", strict: false)
        let ids = ["a", "b", "a", "c", "d", "a", "d", "e"]
        let input = ids.map { #"{"kind":"person","id":"\#($0)"}"# }.joined(separator: "\n") + "\n"
        func run(limit: Int) throws -> BatchTotals {
            var settings = BatchSettings(options: EvaluationOptions(rules: ["at-risk-person"]), jobs: 2)
            settings.idCheckLimit = limit
            settings.chunkSize = 2
            let reader = try RecordReader(stream: Chunks(Array(input.utf8), step: 64))
            return try BatchPipeline(engine: engine, settings: settings, reader: reader) { _ in nil }.run()
        }
        let all = try run(limit: 100)
        XCTAssertEqual(all.duplicateIDs.map(\.id), ["a", "d"])
        XCTAssertEqual(all.duplicateIDs.first?.lines, [1, 3, 6])
        XCTAssertNil(all.idsComparedIn)
        // only the first three distinct ids are remembered: "d" is no longer seen twice, and the run says so
        let few = try run(limit: 3)
        XCTAssertEqual(few.duplicateIDs.map(\.id), ["a"])
        XCTAssertEqual(few.idsComparedIn, 3, "the summary names the limit the run used")
    }

    func testAFailingSinkStopsTheRunWithItsMessage() throws {
        let engine = try Engine(rulesDirectory: repoRoot + "/Rules", strict: false)
        let reader = try RecordReader(path: repoRoot + "/Playground/applications.jsonl")
        XCTAssertThrowsError(try BatchPipeline(engine: engine, settings: BatchSettings(), reader: reader) { _ in
            "disk full"
        }.run()) { error in
            XCTAssertEqual("\(error)", "disk full")
        }
    }

    func testWhatIfComparesAndNamesTheFlippedCriterion() throws {
        let engine = try Engine(rulesDirectory: repoRoot + "/Rules", strict: false)
        let profile = try JSONSerialization.jsonObject(with: try fileData("Playground/profiles/pes-002.json")) as! [String: Any]
        let changed = try WhatIf.apply(profile, [WhatIf.Change(path: ReplPath("public_control")!, value: true)])
        let report = try WhatIf.compare(engine: engine, before: profile, after: changed,
                                        options: EvaluationOptions(rules: ["ps-status"]))
        XCTAssertEqual(report.rules.first?.flipped.map(\.id), ["PS-03"])
        XCTAssertEqual(report.criteriaFlipped, 1)
        XCTAssertThrowsError(try WhatIf.apply(profile, [WhatIf.Change(path: ReplPath("employees[5].fte")!, value: 1)]))
        let invalid = try WhatIf.apply(profile, [WhatIf.Change(path: ReplPath("employees[0].fte")!, value: "dużo")])
        XCTAssertThrowsError(try WhatIf.compare(engine: engine, before: profile, after: invalid, options: EvaluationOptions())) { e in
            guard case WhatIf.Failure.invalid(let which, let message, _) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(which, "after")
            XCTAssertTrue(message.contains("$.employees[0].fte"), message)
        }
    }
}
