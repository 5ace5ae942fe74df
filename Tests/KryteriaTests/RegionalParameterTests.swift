import XCTest
@testable import Kryteria

/// Regional parameters (values keyed by a programme, read with param_for) and a centre's own
/// overrides declared in its rules folder (override "name" { ... }) without touching shipped files.
final class RegionalParameterTests: XCTestCase {
    let shipped = """
    parameter "unit_cost" {
      unit = "zł", basis = "wytyczne",
      { from = "2021-01-01", value = 100 },
      { programme = "FELD", from = "2024-01-01", value = 150 },
    }
    """
    /// A rule that reports the value for the profile's "name" field used as the programme code
    /// (nil when absent) and which programme's own value was used.
    let probe = personRule("cost", criterion: "K-1", """
        local v, used = param_for("unit_cost", get(p, "name"))
        return pass(fmt("%d %s", v, tostring(used)))
    """)

    func reason(_ engine: Engine, _ json: String, _ date: String) throws -> String {
        let c = try XCTUnwrap(engine.eval(json, asOf: date).result("cost")?.criteria.first)
        return c.reason ?? "<\(c.outcome)>"
    }

    func testProgrammeValueFromItsDateOtherwiseTheDefault() throws {
        let t = try TempRules(["parameters/p.lua": shipped, "cost.lua": probe])
        let engine = try Engine(rulesDirectory: t.dir, language: .en)
        XCTAssertEqual(try reason(engine, #"{"kind":"person","name":"FELD"}"#, "2024-01-01"), "150 FELD")
        XCTAssertEqual(try reason(engine, #"{"kind":"person","name":"FELD"}"#, "2023-12-31"), "100 nil",
                       "before the programme's own value the default applies")
        XCTAssertEqual(try reason(engine, #"{"kind":"person","name":"FEWM"}"#, "2025-06-01"), "100 nil",
                       "a programme with no values of its own gets the default")
        XCTAssertEqual(try reason(engine, #"{"kind":"person"}"#, "2025-06-01"), "100 nil")
        // the same engine, dates in a different order: the cache must not leak a value across dates
        XCTAssertEqual(try reason(engine, #"{"kind":"person","name":"FELD"}"#, "2023-06-01"), "100 nil")
        XCTAssertEqual(try reason(engine, #"{"kind":"person","name":"FELD"}"#, "2025-06-01"), "150 FELD")
    }

    func testCentreOverrideInItsOwnFileReplacesAndAdds() throws {
        let t = try TempRules(["parameters/p.lua": shipped, "cost.lua": probe])
        try t.write("local/centrum.lua", """
        override "unit_cost" {
          basis = "umowa OWES nr 1/2025",
          { programme = "FELD", from = "2024-01-01", value = 160 },
          { programme = "FEWM", from = "2025-01-01", value = 120 },
          { from = "2026-01-01", value = 110 },
        }
        """)
        let before = try String(contentsOfFile: t.dir + "/parameters/p.lua", encoding: .utf8)
        let engine = try Engine(rulesDirectory: t.dir, language: .en)
        XCTAssertEqual(try reason(engine, #"{"kind":"person","name":"FELD"}"#, "2024-06-01"), "160 FELD", "same date: replaced")
        XCTAssertEqual(try reason(engine, #"{"kind":"person","name":"FEWM"}"#, "2025-01-01"), "120 FEWM", "new programme value")
        XCTAssertEqual(try reason(engine, #"{"kind":"person","name":"FEWM"}"#, "2024-12-31"), "100 nil")
        XCTAssertEqual(try reason(engine, #"{"kind":"person"}"#, "2025-12-31"), "100 nil")
        XCTAssertEqual(try reason(engine, #"{"kind":"person"}"#, "2026-01-01"), "110 nil", "new default value")
        XCTAssertEqual(try String(contentsOfFile: t.dir + "/parameters/p.lua", encoding: .utf8), before)
    }

    func testOverrideMistakesNameTheFileAndLine() throws {
        let t = try TempRules(["parameters/p.lua": shipped, "cost.lua": probe])
        try t.write("local/a.lua", """
        override "unit_cots" {
          basis = "umowa",
          { from = "2025-01-01", value = 1 },
        }
        """)
        XCTAssertThrowsError(try Engine(rulesDirectory: t.dir, language: .en)) { e in
            guard case KryteriaError.brokenRuleset(let ds) = e else { return XCTFail("\(e)") }
            XCTAssertTrue(ds.contains { $0.file.hasSuffix("local/a.lua") && $0.line == 1
                && $0.message.contains("override of unknown parameter 'unit_cots'")
                && $0.message.contains("did you mean 'unit_cost'") }, "\(ds)")
        }
        try t.write("local/a.lua", """
        override "unit_cost" {
          { from = "2025-01-01", value = 1 },
        }
        """)
        XCTAssertThrowsError(try Engine(rulesDirectory: t.dir, language: .en)) { e in
            guard case KryteriaError.brokenRuleset(let ds) = e else { return XCTFail("\(e)") }
            XCTAssertTrue(ds.contains { $0.file.hasSuffix("local/a.lua") && $0.message.contains("basis") }, "\(ds)")
        }
        try t.write("local/a.lua", """
        override "unit_cost" { basis = "a", { programme = "FELD", from = "2025-01-01", value = 1 } }
        override "unit_cost" { basis = "b", { programme = "FELD", from = "2025-01-01", value = 2 } }
        """)
        XCTAssertThrowsError(try Engine(rulesDirectory: t.dir, language: .en)) { e in
            guard case KryteriaError.brokenRuleset(let ds) = e else { return XCTFail("\(e)") }
            XCTAssertTrue(ds.contains { $0.message.contains("overridden twice") }, "\(ds)")
        }
    }

    func testParamForWithAMisspelledNameIsReportedOnLoad() throws {
        let t = try TempRules(["parameters/p.lua": shipped,
                               "cost.lua": personRule("cost", criterion: "K-1", "    return pass(tostring(param_for(\"unit_cots\", nil)))")])
        XCTAssertThrowsError(try Engine(rulesDirectory: t.dir, language: .en)) { e in
            guard case KryteriaError.brokenRuleset(let ds) = e else { return XCTFail("\(e)") }
            XCTAssertTrue(ds.contains { $0.file.hasSuffix("cost.lua") && $0.message.contains("unknown parameter 'unit_cots'") }, "\(ds)")
        }
    }

    /// The shipped ruleset: an OWES application in the Łódź programme gets the regional unit cost,
    /// and a centre switches on the extended at-risk groups in its own file.
    func testShippedRulesRegionalRateAndCentreChoice() throws {
        let t = try TempRules([:], withSchemas: false)
        try FileManager.default.removeItem(atPath: t.dir)
        try FileManager.default.copyItem(atPath: repoRoot + "/Rules", toPath: t.dir)
        let app = try String(contentsOfFile: repoRoot + "/Rules/tests/owes-job-creation/feld-2024.json", encoding: .utf8)
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(app.utf8)) as? [String: Any])
        let profile = try JSONSerialization.data(withJSONObject: try XCTUnwrap(doc["profile"]))
        var engine = try Engine(rulesDirectory: t.dir, language: .en)
        let r = try XCTUnwrap(engine.eval(String(decoding: profile, as: UTF8.self)).result("owes-job-creation"))
        XCTAssertEqual(r.outcome, .eligible)
        XCTAssertEqual(r.amount, 70424)

        let homeless = #"{"kind":"person","as_of":"2025-06-01","birth_date":"1985-03-15","labour_status":"employed","disability":"none","cis_kis_graduate":false,"special_care_allowance":false,"leaving_foster_care":false,"mental_disorder":false,"prison":"none","refugee":false,"homeless":true,"addiction_after_therapy":false,"social_assistance":false}"#
        XCTAssertEqual(try engine.eval(homeless, rules: ["at-risk-person"]).result("at-risk-person")?.outcome, .ineligible,
                       "extended groups are off by default")
        try t.write("local/centrum.lua", """
        override "per.at_risk_extended_groups" {
          basis = "regulamin projektu centrum",
          { from = "2022-10-30", value = true },
        }
        """)
        engine = try Engine(rulesDirectory: t.dir, language: .en)
        XCTAssertEqual(try engine.eval(homeless, rules: ["at-risk-person"]).result("at-risk-person")?.outcome, .eligible)
    }
}
