import XCTest
@testable import Kryteria

/// Reload and concurrency guarantees of the Engine.
final class EngineTests: XCTestCase {
    func testReloadSwapsAtomicallyAndKeepsOldRulesOnError() throws {
        let t = try TempRules(["r.lua": personRule("r", "    return pass('wersja 1')")])
        let engine = try Engine(rulesDirectory: t.dir)
        let hash1 = engine.rulesetHash
        XCTAssertEqual(try engine.eval(#"{"kind":"person"}"#).result("r")?.criteria[0].reason, "wersja 1")

        try t.write("r.lua", personRule("r", "    return pass('wersja 2')"))
        XCTAssertEqual(engine.reload(), [])
        XCTAssertEqual(try engine.eval(#"{"kind":"person"}"#).result("r")?.criteria[0].reason, "wersja 2")
        XCTAssertNotEqual(engine.rulesetHash, hash1)
        let hash2 = engine.rulesetHash

        try t.write("r.lua", "rule \"r\" {")
        try t.write("s.lua", personRule("s", "    return true"))
        let errors = engine.reload()
        XCTAssertEqual(errors.count, 1)
        XCTAssertTrue(errors[0].file.hasSuffix("r.lua"))
        // the old ruleset stays, whole: no half-loaded s.lua
        let ev = try engine.eval(#"{"kind":"person"}"#)
        XCTAssertEqual(ev.result("r")?.criteria[0].reason, "wersja 2")
        XCTAssertNil(ev.result("s"))
        XCTAssertEqual(engine.rulesetHash, hash2)
        XCTAssertEqual(ev.ruleset, hash2)
    }

    func testReloadWhileEvaluatingFromOtherThreads() throws {
        let t = try TempRules(["r.lua": personRule("r", "    return pass('v1')")])
        let engine = try Engine(rulesDirectory: t.dir)
        let group = DispatchGroup()
        let seen = Box(Set<String>())
        let failures = Box(0)
        for _ in 0..<4 {
            DispatchQueue.global().async(group: group) {
                for _ in 0..<300 {
                    do {
                        let reason = try engine.eval(#"{"kind":"person"}"#).result("r")?.criteria[0].reason ?? "?"
                        seen.update { _ = $0.insert(reason) }
                    } catch { failures.update { $0 += 1 } }
                }
            }
        }
        for v in 2...5 {
            try t.write("r.lua", personRule("r", "    return pass('v\(v)')"))
            XCTAssertEqual(engine.reload(), [])
        }
        group.wait()
        XCTAssertEqual(failures.get, 0)
        XCTAssertTrue(seen.get.isSubset(of: ["v1", "v2", "v3", "v4", "v5"]), "\(seen.get)")
        XCTAssertEqual(try engine.eval(#"{"kind":"person"}"#).result("r")?.criteria[0].reason, "v5")
    }

    func testConcurrentEvaluationEqualsSequential() throws {
        let engine = try Engine(rulesDirectory: repoRoot + "/Rules")
        var profiles: [String] = []
        for i in 0..<200 {
            let n = i % 7
            let employees = (0..<n).map { j in
                #"{"contract":"\#(j % 3 == 0 ? "civil" : "employment")","fte":\#(j % 2 == 0 ? 1 : 0.5),"at_risk":\#(j % 2 == 0)}"#
            }.joined(separator: ",")
            profiles.append(#"{"kind":"enterprise","id":"E\#(i)","as_of":"2025-06-01","legal_form":"\#(i % 2 == 0 ? "foundation" : "social_cooperative")","paid_activity":["business"],"public_control":\#(i % 5 == 0),"ps_type":"reintegration","employees":[\#(employees)],"bodies":["consultative_body"],"max_monthly_salary":\#(5000 + i * 100),"last_report_filed_on":"2025-03-01","status_lost_on":null}"#)
        }
        let sequential = try profiles.map { try engine.evaluateJSON(Array($0.utf8)) }
        let parallel = Box([[UInt8]](repeating: [], count: profiles.count))
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for i in stride(from: worker, to: profiles.count, by: 8) {
                let out = (try? engine.evaluateJSON(Array(profiles[i].utf8))) ?? []
                parallel.update { $0[i] = out }
            }
        }
        XCTAssertEqual(parallel.get, sequential)
        XCTAssertTrue(sequential.allSatisfy { !$0.isEmpty })
    }

    /// A state decodes the options once while the same bytes come again (a batch, a service): options
    /// that change from one call to the next (language, as-of date, rules) are each heeded, on one
    /// thread and so one state, and the line given apart is written first in each result.
    func testOptionsThatChangeFromCallToCallAreEachHeeded() throws {
        let engine = try Engine(rulesDirectory: repoRoot + "/Rules")
        let fresh = try Engine(rulesDirectory: repoRoot + "/Rules")
        let profile = Array(#"{"kind":"enterprise","id":"E","legal_form":"foundation","paid_activity":["business"],"public_control":false,"ps_type":"reintegration","employees":[],"bodies":[],"max_monthly_salary":9000,"last_report_filed_on":"2025-03-01","status_lost_on":null}"#.utf8)
        let choices: [(EvaluationOptions, Int?)] = [
            (EvaluationOptions(asOf: "2025-06-01", rules: ["ps-status"], language: .pl), 1),
            (EvaluationOptions(asOf: "2025-06-01", rules: ["ps-status"], language: .pl), 2),
            (EvaluationOptions(asOf: "2025-06-01", rules: ["ps-status"], language: .en), 3),
            (EvaluationOptions(asOf: "2024-06-01", rules: ["ps-status"], language: .en), nil),
            (EvaluationOptions(asOf: "2024-06-01", rules: ["ps-status", "social-cooperative"], language: .en), 5),
            (EvaluationOptions(asOf: "2024-06-01", rules: nil, language: .pl), 6),
            (EvaluationOptions(asOf: "2025-06-01", rules: ["ps-status"], language: .pl), 7),
        ]
        var seen = Set<[UInt8]>()
        for (round, (opts, line)) in (choices + choices.reversed()).enumerated() {
            let got = try engine.evaluateJSON(profile, options: opts, line: line)
            // the same call on an engine that has seen no other options
            let want = try fresh.withRuntime { rt in
                try profile.withUnsafeBytes { p in
                    try opts.json(line: line).withUnsafeBytes { o in try rt.evaluate(json: p, options: o) { out, _ in Array(out) } }
                }
            }
            XCTAssertEqual(String(decoding: got, as: UTF8.self), String(decoding: want, as: UTF8.self), "round \(round)")
            let text = String(decoding: got, as: UTF8.self)
            XCTAssertEqual(text.hasPrefix("{\"line\":\(line ?? -1),"), line != nil, text)
            seen.insert(Array(got.drop { $0 != UInt8(ascii: ",") }))
        }
        XCTAssertGreaterThanOrEqual(seen.count, 5, "the options gave different results")
    }

    func testEvaluateTypedAndJSONAgree() throws {
        let engine = try Engine(rulesDirectory: repoRoot + "/Rules")
        let json = #"{"kind":"enterprise","id":"X","as_of":"2025-06-01","legal_form":"foundation"}"#
        let typed = try engine.eval(json)
        let raw = try JSONDecoder().decode(Evaluation.self, from: Data(engine.evaluateJSON(Array(json.utf8))))
        XCTAssertEqual(typed, raw)
        XCTAssertEqual(typed.result("ps-status")?.outcome, .undetermined)
    }

    func testProfileFromEncodable() throws {
        struct Person: Encodable { let kind = "person"; let id: String; let disability: String }
        let t = try TempRules(["r.lua": personRule("r", "    return p.disability == 'severe'")])
        let engine = try Engine(rulesDirectory: t.dir)
        let ev = try engine.evaluate(Profile(encoding: Person(id: "P", disability: "severe")))
        XCTAssertEqual(ev.result("r")?.outcome, .eligible)
    }

    func testDescribeListsRulesCriteriaAndEveryParameter() throws {
        let engine = try Engine(rulesDirectory: repoRoot + "/Rules")
        let d = try engine.describe()
        XCTAssertEqual(Set(d.kinds), ["person", "enterprise", "application"])
        for id in ["ps-status", "at-risk-person", "esf-at-risk", "long-term-unemployed", "social-assistance-income",
                   "fepz-food-aid", "cis-participant", "zaz-staff", "social-cooperative", "owes-job-creation",
                   "owes-job-maintenance", "owes-reintegration", "pup-job-grant", "pup-wage-refund", "pup-contribution-refund"] {
            XCTAssertNotNil(d.rules.first { $0.id == id }, "the contract's rule \(id) is missing")
        }
        XCTAssertEqual(d.rules.first { $0.id == "ps-status" }?.criteria.map(\.id),
                       ["PS-01", "PS-02", "PS-03", "PS-04", "PS-05", "PS-06", "PS-07", "PS-08", "PS-09", "PS-10", "PS-11"])
        let wage = try XCTUnwrap(d.parameters.first { $0.name == "minimum_wage" })
        XCTAssertEqual(wage.values.first { $0.from == "2026-01-01" }?.value, "4806")
        XCTAssertGreaterThan(d.parameters.count, 20)
    }

    func testFolderOfAPath() {
        XCTAssertEqual(folderOf("a"), "")
        XCTAssertEqual(folderOf("-"), "")
        XCTAssertEqual(folderOf("/a"), "/")
        XCTAssertEqual(folderOf("out/a.jsonl"), "out")
        XCTAssertEqual(folderOf("Playground/out/karty/x.html"), "Playground/out/karty")
        XCTAssertEqual(folderOf("out//a"), "out")
        XCTAssertEqual(folderOf("/tmp/x/a"), "/tmp/x")
    }
}
