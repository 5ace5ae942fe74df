import XCTest

/// `kryteria check` and `kryteria test` as a consultant uses them, through the real binary.
final class CheckTests: XCTestCase {
    func testReportOfAPlaygroundEnterprise() throws {
        let r = try kryteria(["check", "--rules", repoRoot + "/Rules", "--rule", "ps-status",
                              repoRoot + "/Playground/profiles/pes-002.json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.out.contains("Fundacja Warmińska Przystań"), r.out)
        XCTAssertTrue(r.out.contains("Status przedsiębiorstwa społecznego [ps-status]: NIE SPEŁNIA"), r.out)
        XCTAssertTrue(r.out.contains("✗ PS-05  zatrudnionych na min. 1/2 etatu: 2, wymagane co najmniej 3 (brakuje 1)  · art. 5 ust. 1"), r.out)
        XCTAssertFalse(r.out.contains("\u{1B}["), "no colour when piped")
        let en = try kryteria(["check", "--rules", repoRoot + "/Rules", "--rule", "ps-status", "--lang", "en",
                               repoRoot + "/Playground/profiles/pes-002.json"])
        XCTAssertTrue(en.out.contains("Social enterprise status [ps-status]: NOT ELIGIBLE"), en.out)
    }

    func testAFolderStandsForItsProfiles() throws {
        let r = try kryteria(["check", "--json", "--rules", repoRoot + "/Rules", "--rule", "ps-status", repoRoot + "/Playground/profiles"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let ids = r.lines.compactMap { jsonObject($0)?["id"] as? String }
        XCTAssertEqual(ids.count, 32)  // every profile of the Playground, one result each
        XCTAssertEqual(ids.first, "os-901")
    }

    func testRulesListsCriteriaAndParametersInForceOnADate() throws {
        let r = try kryteria(["rules", "--rules", repoRoot + "/Rules", "--as-of", "2025-12-31"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.out.contains("PS-05    Co najmniej 3 osoby"), r.out)
        XCTAssertNotNil(r.out.range(of: #"minimum_wage +4666 zł/miesiąc  od 2025-01-01"#, options: .regularExpression), r.out)
        XCTAssertNotNil(r.out.range(of: #"ps.at_risk_share +30%"#, options: .regularExpression), r.out)
        let next = try kryteria(["rules", "--rules", repoRoot + "/Rules", "--as-of", "2026-01-01", "--json"])
        let doc = try XCTUnwrap(jsonObject(next.out.replacingOccurrences(of: "\n", with: " ")))
        let params = try XCTUnwrap(doc["parameters"] as? [[String: Any]])
        XCTAssertEqual(params.first { $0["name"] as? String == "minimum_wage" }?["value"] as? String, "4806")
        let before = try kryteria(["rules", "--rules", repoRoot + "/Rules", "--as-of", "2020-01-01"])
        XCTAssertNotNil(before.out.range(of: #"minimum_wage +brak wartości w tym dniu"#, options: .regularExpression), before.out)
    }

    func testJSONOutputIsTheContract() throws {
        let r = try kryteria(["check", "--json", "--rules", repoRoot + "/Rules", "--as-of", "2025-06-01",
                              repoRoot + "/Playground/profiles/wn-2025-001.json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let obj = try XCTUnwrap(jsonObject(r.out.trimmingCharacters(in: .whitespacesAndNewlines)))
        XCTAssertEqual(obj["as_of"] as? String, "2025-06-01")
        XCTAssertTrue((obj["ruleset"] as? String)?.hasPrefix("sha256:") ?? false)
        let results = try XCTUnwrap(obj["results"] as? [[String: Any]])
        let job = try XCTUnwrap(results.first { $0["rule"] as? String == "owes-job-creation" })
        XCTAssertEqual(job["outcome"] as? String, "eligible")
        XCTAssertEqual(job["amount"] as? Double, 31229)
    }

    func testInvalidProfileAndMissingFileExitStatuses() throws {
        let dir = try temporaryFolder(self)
        let bad = dir.appendingPathComponent("bad.json")
        try write(#"{"kind":"enterprise","employees":[{"contract":"employment","fte":"pół etatu"}]}"#, bad)
        let r = try kryteria(["check", "--rules", repoRoot + "/Rules", bad.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.out.contains("$.employees[0].fte"), r.out)
        XCTAssertTrue(r.out.contains("\"pół etatu\""), r.out)
        let missing = try kryteria(["check", "--rules", repoRoot + "/Rules", dir.appendingPathComponent("none.json").path])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("none.json: no such file"), missing.stderr)
        let badDate = try kryteria(["check", "--as-of", "2025-02-30", bad.path])
        XCTAssertEqual(badDate.status, 2)
        let noRules = try kryteria(["check", "--rules", dir.appendingPathComponent("nowhere").path, bad.path])
        XCTAssertEqual(noRules.status, 2)
        let unknownRule = try kryteria(["check", "--rules", repoRoot + "/Rules", "--rule", "ps-statu", bad.path])
        XCTAssertEqual(unknownRule.status, 2)
        XCTAssertTrue(unknownRule.stderr.contains("unknown rule: ps-statu"), unknownRule.stderr)
    }

    func testJSONModeGivesOneObjectPerProfileEvenWhenMalformed() throws {
        let dir = try temporaryFolder(self)
        let f = dir.appendingPathComponent("mixed.jsonl")
        try write(#"{"kind":"person","id":"a"}"# + "\n" + #"{"kind":"person","id":"b",}"# + "\n" + #"{"kind":"person","id":"c"}"# + "\n", f)
        let r = try kryteria(["check", "--json", "--rules", repoRoot + "/Rules", f.path])
        XCTAssertEqual(r.status, 1)
        let objs = r.lines.compactMap(jsonObject)
        XCTAssertEqual(objs.count, 3, r.out)
        XCTAssertEqual(objs[0]["id"] as? String, "a")
        XCTAssertEqual(objs[1]["line"] as? Int, 2)
        XCTAssertEqual((objs[1]["error"] as? [String: Any])?["code"] as? String, "malformed_json")
        XCTAssertEqual(objs[2]["id"] as? String, "c")
        XCTAssertTrue(r.stderr.contains("mixed.jsonl:2"), r.stderr)
    }

    func testBrokenRuleFileIsReportedWithSourceAndTheRestRuns() throws {
        let dir = try temporaryFolder(self)
        let rules = dir.appendingPathComponent("Rules")
        try FileManager.default.copyItem(atPath: repoRoot + "/Rules", toPath: rules.path)
        try write("rule \"broken\" {\n  applies_to = \"person\",\n  titel = { pl = \"x\" },\n}\n", rules.appendingPathComponent("broken.lua"))
        let r = try kryteria(["check", "--rules", rules.path, "--rule", "at-risk-person",
                              repoRoot + "/Playground/profiles/os-901.json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("broken.lua:3:3: unknown key 'titel' in rule 'broken' (did you mean 'title'?)"), r.stderr)
        XCTAssertTrue(r.stderr.contains(" 3 |   titel = { pl = \"x\" },"), r.stderr)
        XCTAssertTrue(r.out.contains("[at-risk-person]: SPEŁNIA"), r.out)
    }

    func testBatchWithARunawayRuleLosesNoRecord() throws {
        let dir = try temporaryFolder(self)
        let rules = dir.appendingPathComponent("Rules")
        try FileManager.default.createDirectory(at: rules.appendingPathComponent("schema"), withIntermediateDirectories: true)
        for n in ["person", "enterprise", "application"] {
            try FileManager.default.copyItem(atPath: repoRoot + "/Rules/schema/\(n).schema.json",
                                             toPath: rules.appendingPathComponent("schema/\(n).schema.json").path)
        }
        try write("""
        rule "loops" { applies_to = "person", title = { pl = "Pętla" }, basis = "b" }
        criterion "L-1" { basis = "a", pl = "x", check = function(p) while true do end end }
        rule "fine" { applies_to = "person", title = { pl = "Dobra" }, basis = "b" }
        criterion "F-1" { basis = "a", pl = "x", check = function(p) return true end }
        """, rules.appendingPathComponent("r.lua"))
        let input = dir.appendingPathComponent("in.jsonl")
        try write((1...3).map { #"{"kind":"person","id":"p\#($0)"}"# }.joined(separator: "\n") + "\n", input)
        let r = try kryteria(["batch", input.path, "--rules", rules.path, "--jobs", "2", "-q"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let objs = r.lines.compactMap(jsonObject)
        XCTAssertEqual(objs.map { $0["id"] as? String }, ["p1", "p2", "p3"])
        for o in objs {
            let results = o["results"] as? [[String: Any]] ?? []
            let loops = results.first { $0["rule"] as? String == "loops" }
            XCTAssertTrue((loops?["error"] as? String ?? "").contains("instruction budget exceeded"), "\(o)")
            XCTAssertEqual(results.first { $0["rule"] as? String == "fine" }?["outcome"] as? String, "eligible")
        }
    }

    func testRuleTestsCommand() throws {
        let ok = try kryteria(["test", repoRoot + "/Rules", "--coverage"])
        XCTAssertEqual(ok.status, 0, ok.out)
        XCTAssertTrue(ok.out.contains("coverage: every criterion was seen both passing and failing"), ok.out)
        XCTAssertNotNil(ok.out.range(of: #"tests: \d+ passed, 0 failed"#, options: .regularExpression), ok.out)

        let dir = try temporaryFolder(self)
        let rules = dir.appendingPathComponent("Rules")
        try FileManager.default.copyItem(atPath: repoRoot + "/Rules", toPath: rules.path)
        let ps = rules.appendingPathComponent("parameters/ps.lua")
        let text = try String(contentsOf: ps, encoding: .utf8)
        try write(text.replacingOccurrences(of: "{ from = \"2022-10-30\", value = 0.30 },", with: "{ from = \"2022-10-30\", value = 0.40 },"), ps)
        let failing = try kryteria(["test", rules.path])
        XCTAssertEqual(failing.status, 1)
        XCTAssertTrue(failing.out.contains("FAIL "), failing.out)
        XCTAssertTrue(failing.out.contains("rule ps-status"), failing.out)
        XCTAssertTrue(failing.out.contains("wymagane co najmniej 40%"), failing.out)
    }
}
