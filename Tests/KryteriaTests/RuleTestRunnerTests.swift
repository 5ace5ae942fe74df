import XCTest
@testable import Kryteria

/// The rule-test runner passes on the shipped tests and fails, clearly, when a rule or an
/// expectation changes.
final class RuleTestRunnerTests: XCTestCase {
    func testShippedRuleTestsPassWithFullCoverage() throws {
        let engine = try Engine(rulesDirectory: repoRoot + "/Rules")
        let report = RuleTestRunner.run(engine: engine)
        XCTAssertGreaterThan(report.cases, 100)
        XCTAssertEqual(report.failed, 0, report.failures.map(\.description).joined())
        XCTAssertTrue(report.coverageGaps.isEmpty, "\(report.coverageGaps)")
    }

    /// A copy of the shipped ruleset whose rule or test files can be edited.
    func copyOfRules() throws -> TempRules {
        let t = try TempRules([:], withSchemas: false)
        try FileManager.default.removeItem(atPath: t.dir)
        try FileManager.default.copyItem(atPath: repoRoot + "/Rules", toPath: t.dir)
        return t
    }

    func testChangedThresholdInARuleFailsWithCaseRuleCriterionAndReason() throws {
        let t = try copyOfRules()
        let path = t.dir + "/parameters/ps.lua"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let changed = text.replacingOccurrences(of: "{ from = \"2022-10-30\", value = 3 },", with: "{ from = \"2022-10-30\", value = 4 },")
        XCTAssertNotEqual(text, changed, "the parameter line to change was not found")
        try changed.write(toFile: path, atomically: true, encoding: .utf8)
        let report = RuleTestRunner.run(engine: try Engine(rulesDirectory: t.dir))
        XCTAssertGreaterThan(report.failed, 0)
        // (the rule's outcome; the cases that check a criterion alone fail too, at that criterion)
        let f = try XCTUnwrap(report.failures.first { $0.rule == "ps-status" && $0.criterion == nil })
        XCTAssertEqual(f.expected, "eligible")
        XCTAssertEqual(f.actual, "ineligible")
        XCTAssertTrue(f.file.contains("/tests/ps-status/"), f.file)
        XCTAssertTrue(f.reason?.contains("PS-05 fail: zatrudnionych na min. 1/2 etatu: 3, wymagane co najmniej 4") ?? false, f.description)
        XCTAssertTrue(f.description.contains("FAIL \(f.file)\n  rule ps-status\n    expected: eligible\n    actual:   ineligible"), f.description)
    }

    func testChangedExpectationFails() throws {
        let t = try copyOfRules()
        try t.write("tests/extra/wrong.json", """
        { "description": "expects the wrong outcome", "as_of": "2025-06-01",
          "profile": { "kind": "person", "labour_status": "unemployed", "birth_date": "1980-01-01" },
          "expect": { "at-risk-person": { "outcome": "ineligible" } } }
        """)
        let report = RuleTestRunner.run(engine: try Engine(rulesDirectory: t.dir))
        XCTAssertEqual(report.failed, 1)
        let f = try XCTUnwrap(report.failures.first)
        XCTAssertTrue(f.file.hasSuffix("tests/extra/wrong.json"))
        XCTAssertEqual(f.expected, "ineligible")
        XCTAssertEqual(f.actual, "eligible")
    }

    func testBrokenCaseFilesAreReportedNotSkipped() throws {
        let t = try copyOfRules()
        try t.write("tests/extra/not-json.json", "{ this is not json")
        try t.write("tests/extra/no-expect.json", #"{ "profile": { "kind": "person" } }"#)
        try t.write("tests/extra/bad-outcome.json", #"{ "profile": { "kind": "person" }, "expect": { "at-risk-person": { "outcome": "yes" } } }"#)
        try t.write("tests/extra/no-such-criterion.json", #"{ "profile": { "kind": "person" }, "expect": { "at-risk-person": { "criteria": { "PER-99": "pass" } } } }"#)
        // a trailing comma: Foundation's parser lets it through; the engine's reader, as batch's, does not
        try t.write("tests/extra/trailing-comma.json", "{ \"profile\": { \"kind\": \"person\", },\n  \"expect\": { \"at-risk-person\": { \"outcome\": \"undetermined\" } } }")
        let report = RuleTestRunner.run(engine: try Engine(rulesDirectory: t.dir))
        XCTAssertEqual(report.failed, 5, report.failures.map(\.description).joined())
        XCTAssertTrue(report.failures.contains { $0.file.hasSuffix("trailing-comma.json")
            && $0.actual == "błędny JSON: wiersz 1, kolumna 34: przecinek przed '}' jest niedozwolony" }, report.failures.map(\.description).joined())
        // in Polish by default: what is wrong, and where broken JSON is
        XCTAssertTrue(report.failures.contains { $0.file.hasSuffix("bad-outcome.json")
            && $0.actual == "expect.at-risk-person.outcome: oczekiwano eligible, ineligible albo undetermined, jest yes" })
        XCTAssertTrue(report.failures.contains { $0.file.hasSuffix("no-such-criterion.json") && $0.actual == "reguła at-risk-person nie ma takiego kryterium" })
        XCTAssertTrue(report.failures.contains { $0.file.hasSuffix("no-expect.json") && $0.actual == "\"expect\" nie wymienia żadnej reguły" })
        XCTAssertTrue(report.failures.contains { $0.file.hasSuffix("not-json.json") && $0.actual.hasPrefix("błędny JSON: wiersz 1, kolumna 3: ") },
                      report.failures.map(\.description).joined())
        let text = try XCTUnwrap(report.failures.first { $0.file.hasSuffix("no-such-criterion.json") }).text(.pl)
        XCTAssertTrue(text.hasPrefix("NIEZALICZONY "), text)
        XCTAssertTrue(text.contains("  reguła at-risk-person › kryterium PER-99\n    oczekiwano: pass\n    jest:       reguła at-risk-person nie ma takiego kryterium\n"), text)
        let en = RuleTestRunner.run(engine: try Engine(rulesDirectory: t.dir), language: .en)
        XCTAssertTrue(en.failures.contains { $0.file.hasSuffix("bad-outcome.json") && $0.actual.contains("eligible, ineligible or undetermined") })
        XCTAssertTrue(en.failures.contains { $0.file.hasSuffix("no-such-criterion.json") && $0.actual.contains("no such criterion") })
    }

    func testExpectInvalid() throws {
        let t = try copyOfRules()
        try t.write("tests/extra/invalid.json", #"{ "profile": { "kind": "enterprise", "employees": [ { "fte": "pół etatu" } ] }, "expect_invalid": "$.employees[0].fte" }"#)
        try t.write("tests/extra/invalid-wrong.json", #"{ "profile": { "kind": "enterprise" }, "expect_invalid": "$.employees[0].fte" }"#)
        let report = RuleTestRunner.run(engine: try Engine(rulesDirectory: t.dir))
        XCTAssertEqual(report.failures.map { ($0.file as NSString).lastPathComponent }, ["invalid-wrong.json"])
    }

    func testCoverageListsCriteriaNeverSeenFailing() throws {
        let t = try TempRules([
            "r.lua": personRule("r", "    return p.disability == 'severe'"),
            "tests/r/pass.json": #"{ "profile": { "kind": "person", "disability": "severe" }, "expect": { "r": { "outcome": "eligible" } } }"#,
        ])
        let report = RuleTestRunner.run(engine: try Engine(rulesDirectory: t.dir))
        XCTAssertEqual(report.failed, 0)
        XCTAssertEqual(report.coverageGaps.count, 1)
        XCTAssertEqual(report.coverageGaps.first?.id, "C-1")
        XCTAssertEqual(report.coverageGaps.first?.label, "kryterium")
        XCTAssertEqual(report.coverageGaps.first?.missing, [.fail])
    }
}

/// The consultant's report and file:line diagnostics.
final class ReportTests: XCTestCase {
    func testReportShowsMarksReasonsBasisAndMissing() throws {
        let engine = try Engine(rulesDirectory: repoRoot + "/Rules")
        let ev = try engine.eval(#"{"kind":"enterprise","id":"E-1","legal_form":"foundation","employees":[{"contract":"employment","fte":1}],"as_of":"2025-06-01"}"#, rules: ["ps-status"])
        let text = ReportRenderer.render(ev, name: "Fundacja Próba", language: .pl, color: false)
        XCTAssertTrue(text.hasPrefix("Fundacja Próba (E-1) · podmiot · stan na 2025-06-01"), text)
        XCTAssertTrue(text.contains("Status przedsiębiorstwa społecznego: NIE SPEŁNIA"), text)
        XCTAssertTrue(text.contains("✗ PS-05  zatrudnionych na min. 1/2 etatu: 1, wymagane co najmniej 3 (brakuje 2)  · art. 5 ust. 1"), text)
        XCTAssertTrue(text.contains("✓ PS-01"), text)
        XCTAssertTrue(text.contains("? PS-02"), text)
        XCTAssertFalse(text.contains("\u{1B}["), "no colour when colour is off")
        let en = ReportRenderer.render(ev, language: .en, color: true)
        XCTAssertTrue(en.contains("\u{1B}[31m"), "colour when on")
    }

    func testDiagnosticShowsSourceLineAndMarker() throws {
        let t = try TempRules(["r.lua": "rule \"x\" { applies_to = \"person\", title = { pl = \"a\" }, basis = \"b\" }\ncriterion \"X-1\" { basis = \"a\", pl = \"l\", chek = function() return true end }\n"])
        guard case KryteriaError.brokenRuleset(let ds)? = (Result { try Engine(rulesDirectory: t.dir, language: .en) }.error) else {
            return XCTFail("expected a broken ruleset")
        }
        let text = DiagnosticRenderer.render(ds)
        XCTAssertTrue(text.contains("r.lua:2:42: unknown key 'chek' in criterion 'X-1' (did you mean 'check'?)"), text)
        XCTAssertTrue(text.contains(" 2 | criterion \"X-1\""), text)
        XCTAssertTrue(text.contains("^^^^"), text)
    }
}

private extension Result where Failure == Error {
    init(_ f: () throws -> Success) { do { self = .success(try f()) } catch { self = .failure(error) } }
    var error: Error? { if case .failure(let e) = self { return e }; return nil }
}
