import XCTest
@testable import Kryteria

/// Broken rule files are reported with file:line; a folder reports every broken file.
final class LoadErrorTests: XCTestCase {
    func diagnostics(_ files: [String: String]) throws -> [Diagnostic] {
        let t = try TempRules(files)
        do {
            _ = try Engine(rulesDirectory: t.dir, language: .en)
            XCTFail("expected a broken ruleset")
            return []
        } catch KryteriaError.brokenRuleset(let ds) {
            return ds
        }
    }

    func testSyntaxErrorHasFileAndLine() throws {
        let ds = try diagnostics(["bad.lua": "rule \"x\" {\n  applies_to = \"person\",\n  title = { pl = 'a' \n}\n"])
        XCTAssertEqual(ds.count, 1)
        XCTAssertTrue(ds[0].file.hasSuffix("bad.lua"), "\(ds)")
        XCTAssertEqual(ds[0].line, 5, "\(ds)")  // Lua reports the end of input
        XCTAssertTrue(ds[0].message.contains("expected"), "\(ds)")
    }

    func testUnknownKeySuggestsTheRightOne() throws {
        let ds = try diagnostics(["r.lua": """
        rule "x" { applies_to = "person", title = { pl = "a" }, basis = "b" }
        criterion "X-1" { basis = "a", pl = "l", chek = function() return true end }
        """])
        XCTAssertEqual(ds.first?.line, 2, "\(ds)")
        XCTAssertTrue(ds.first?.message.contains("unknown key 'chek'") ?? false, "\(ds)")
        XCTAssertTrue(ds.first?.message.contains("did you mean 'check'") ?? false, "\(ds)")
    }

    func testDuplicateRuleIdAcrossFiles() throws {
        let ds = try diagnostics([
            "a.lua": personRule("same", "    return true"),
            "b.lua": personRule("same", "    return true"),
        ])
        XCTAssertEqual(ds.count, 1, "\(ds)")
        XCTAssertTrue(ds[0].file.hasSuffix("b.lua"), "\(ds)")
        XCTAssertEqual(ds[0].line, 1)
        XCTAssertTrue(ds[0].message.contains("duplicate rule id 'same'") && ds[0].message.contains("a.lua:1"), "\(ds)")
    }

    func testMissingLegalBasisIsAnError() throws {
        let ds = try diagnostics(["r.lua": """
        rule "x" { applies_to = "person", title = { pl = "a" }, basis = "b" }
        criterion "X-1" { pl = "l", check = function() return true end }
        """])
        XCTAssertTrue(ds.first?.message.contains("basis") ?? false, "\(ds)")
    }

    func testEveryBrokenFileIsReported() throws {
        let ds = try diagnostics([
            "one.lua": "rule (",
            "two.lua": "error('boom')",
            "three.lua": personRule("fine", "    return true"),
            "four.lua": "criterion \"C\" { basis = 'a', pl = 'b', check = function() end }",
        ])
        XCTAssertEqual(Set(ds.map { ($0.file as NSString).lastPathComponent }), ["one.lua", "two.lua", "four.lua"], "\(ds)")
        XCTAssertTrue(ds.first { $0.file.hasSuffix("two.lua") }?.message == "boom", "\(ds)")
        XCTAssertTrue(ds.first { $0.file.hasSuffix("four.lua") }?.message.contains("before any rule") ?? false, "\(ds)")
    }

    func testRuntimeErrorInCheckBecomesCriterionErrorAndOtherRulesRun() throws {
        let t = try TempRules([
            "throws.lua": personRule("throws", "    local x = nil\n    return x.field"),
            "fine.lua": personRule("fine", "    return pass('dobrze')"),
        ])
        let engine = try Engine(rulesDirectory: t.dir, language: .en)
        let ev = try engine.eval(#"{"kind":"person"}"#)
        let bad = try XCTUnwrap(ev.result("throws"))
        XCTAssertEqual(bad.outcome, .undetermined)
        XCTAssertEqual(bad.criteria[0].outcome, .error)
        XCTAssertTrue(bad.criteria[0].reason!.contains("throws.lua:6"), bad.criteria[0].reason!)
        XCTAssertEqual(ev.result("fine")?.outcome, .eligible)
    }

    func testSchemaWithUnsupportedKeywordIsReported() throws {
        let t = try TempRules(["x.lua": personRule("x", "    return true")])
        try t.write("schema/extra.schema.json", #"{"type":"object","patternProperties":{}}"#)
        XCTAssertThrowsError(try Engine(rulesDirectory: t.dir, language: .en)) { e in
            XCTAssertTrue("\(e)".contains("patternProperties"), "\(e)")
        }
    }

    func testUnknownParameterNameIsReportedAtLoad() throws {
        let ds = try diagnostics([
            "parameters/p.lua": "parameter \"ps.min_employees\" { basis = \"b\", { from = \"2022-10-30\", value = 3 } }",
            "r.lua": personRule("r", "    -- param \"in.a.comment\" is not code\n    return at_least(1, param \"ps.min_employes\", 'x')"),
        ])
        XCTAssertEqual(ds.count, 1, "\(ds)")
        XCTAssertTrue(ds[0].file.hasSuffix("r.lua"), "\(ds)")
        XCTAssertEqual(ds[0].line, 6, "\(ds)")
        XCTAssertEqual(ds[0].message, "unknown parameter 'ps.min_employes' (did you mean 'ps.min_employees'?)")
    }

    func testUnknownRuleCalledByARuleIsReportedAtLoad() throws {
        let ds = try diagnostics([
            "a.lua": personRule("at-risk", "    return true"),
            "b.lua": personRule("b", "    return requires_rule(\"at-risks\", p)"),
        ])
        XCTAssertEqual(ds.map(\.message), ["unknown rule 'at-risks' (did you mean 'at-risk'?)"], "\(ds)")
        XCTAssertEqual(ds.first?.line, 5)
    }

    /// Every kind of reference a rule file writes (param, param_for, check_rule, requires_rule,
    /// requires_each) is checked when the ruleset loads, on its own line, a trailing comment or not;
    /// the same words in a comment are not code.
    func testEveryReferenceInARuleFileIsCheckedOnItsLine() throws {
        let body = """
                local a = check_rule("nope-one", p) -- a comment after the code
                local b = param_for("nope.param", "FELD")
                local c = requires_each("nope-two", {}) -- requires_rule("in-a-comment", p)
                -- param "nope.in.comment" and check_rule("nope-in-comment", p) are not code
                return requires_rule("nope-three", p) or param "nope.plain"
            """
        let ds = try diagnostics([
            "parameters/p.lua": "parameter \"ps.min_employees\" { basis = \"b\", { from = \"2022-10-30\", value = 3 } }",
            "r.lua": personRule("r", body),
        ])
        XCTAssertEqual(ds.map { "\($0.line ?? 0) \($0.message)" }.sorted(), [
            "5 unknown rule 'nope-one'", "6 unknown parameter 'nope.param'", "7 unknown rule 'nope-two'",
            "9 unknown parameter 'nope.plain'", "9 unknown rule 'nope-three'",
        ], "\(ds)")
    }

    func testARuleThatCallsItselfIsAnErrorNotACrash() throws {
        let t = try TempRules([
            "a.lua": personRule("a", "    return requires_rule(\"b\", p)"),
            "b.lua": personRule("b", "    return requires_rule(\"a\", p)"),
        ])
        let engine = try Engine(rulesDirectory: t.dir, language: .en)
        let r = try XCTUnwrap(engine.eval(#"{"kind":"person"}"#, lang: .en).result("a"))
        XCTAssertEqual(r.criteria[0].outcome, .error)
        XCTAssertTrue(r.criteria[0].reason?.contains("rule 'a' calls itself (a → b → a)") ?? false, "\(r)")
        let pl = try XCTUnwrap(engine.eval(#"{"kind":"person"}"#).result("a"))
        XCTAssertEqual(pl.criteria[0].reason, "b C-1: reguła 'a' wywołuje samą siebie (a → b → a)")
        XCTAssertTrue(r.criteria[0].reason?.hasPrefix("b C-1: ") ?? false, "\(r)")  // the criterion that made the call
    }

    func testSharedCriterionIsUsedByRulesInAnyFileOrder() throws {
        let t = try TempRules([
            "a-rule.lua": """
            rule "a" { applies_to = "person", title = { pl = "A" }, basis = "ustawa" }
            criterion "A-1" { uses = "z.disabled", basis = "art. 1", with = { level = "severe" } }
            """,
            "z-shared.lua": """
            shared_criterion "z.disabled" {
              pl = "Niepełnosprawność", en = "Disability",
              check = function(p, c) return pass("stopień %s, wymagany %s", p.disability, c.with.level) end,
            }
            """,
        ])
        let engine = try Engine(rulesDirectory: t.dir, language: .en)
        let c = try XCTUnwrap(engine.eval(#"{"kind":"person","disability":"severe"}"#).result("a")?.criteria.first)
        XCTAssertEqual(c.label, "Niepełnosprawność")
        XCTAssertEqual(c.legalBasis, "art. 1")
        XCTAssertEqual(c.reason, "stopień severe, wymagany severe")
        let unknown = try engine.eval(#"{"kind":"person"}"#).result("a")?.criteria.first
        XCTAssertEqual(unknown?.missing, ["disability"])
    }

    func testUnknownSharedCriterionIsReportedAtLoad() throws {
        let ds = try diagnostics([
            "s.lua": "shared_criterion \"z.disabled\" { pl = \"x\", check = function() return true end }",
            "r.lua": "rule \"r\" { applies_to = \"person\", title = { pl = \"A\" }, basis = \"b\" }\ncriterion \"R-1\" { uses = \"z.disabld\", basis = \"a\" }",
        ])
        XCTAssertEqual(ds.count, 1, "\(ds)")
        XCTAssertEqual(ds.first?.line, 2)
        XCTAssertEqual(ds.first?.message, "unknown shared criterion 'z.disabld' (did you mean 'z.disabled'?)")
    }

    func testUnreadableAndMalformedFilesAreReportedAndTheRestLoads() throws {
        let t = try TempRules(["ok.lua": personRule("ok", "    return true")])
        try Data([0x2D, 0x2D, 0x20, 0xFF, 0xFE, 0x0A]).write(to: URL(fileURLWithPath: t.dir + "/latin2.lua"))
        try t.write("schema/broken.schema.json", "{ \"type\": \"object\", }")
        let engine = try Engine(rulesDirectory: t.dir, strict: false, language: .en)
        let ds = engine.diagnostics
        XCTAssertEqual(ds.count, 2, "\(ds)")
        XCTAssertTrue(ds.contains { $0.file.hasSuffix("latin2.lua") && $0.message.contains("UTF-8") }, "\(ds)")
        // broken JSON in a schema: the file's line, the column and what is wrong, in the language asked for
        XCTAssertTrue(ds.contains { $0.file.hasSuffix("broken.schema.json") && $0.line == 1 &&
                                    $0.message == "column 21: trailing comma before '}' is not allowed" }, "\(ds)")
        let pl = try Engine(rulesDirectory: t.dir, strict: false, language: .pl).diagnostics
        XCTAssertTrue(pl.contains { $0.file.hasSuffix("broken.schema.json") && $0.line == 1 &&
                                    $0.message == "kolumna 21: przecinek przed '}' jest niedozwolony" }, "\(pl)")
        XCTAssertEqual(try engine.eval(#"{"kind":"person"}"#).result("ok")?.outcome, .eligible)
        XCTAssertThrowsError(try Engine(rulesDirectory: t.dir, language: .en))  // strict: the whole folder is refused
    }

    /// A schema that is valid JSON but says what no validator can follow — a "$ref" to nothing, a type
    /// that is no JSON type — is refused when the rules load, at its line, and never half-applied.
    func testASchemaThatPointsNowhereOrNamesNoTypeIsRefusedAtLoad() throws {
        for (kind, from, to, words) in [("person", "\"type\": \"string\"", "\"type\": \"strin\"", "nieznany typ 'strin' (czy chodziło o 'string'?)"),
                                        ("enterprise", "\"$ref\": \"#/$defs/employee\"", "\"$ref\": \"#/$defs/employe\"",
                                         "odwołanie '#/$defs/employe' nie wskazuje żadnej definicji")] {
            let t = try TempRules(["ok.lua": personRule("ok", "    return true")])
            let path = t.dir + "/schema/\(kind).schema.json"
            let good = try String(contentsOfFile: path, encoding: .utf8)
            guard let r = good.range(of: from) else { XCTFail("no \(from) in the \(kind) schema"); continue }
            try good.replacingCharacters(in: r, with: to).write(toFile: path, atomically: true, encoding: .utf8)
            let line = good[..<r.lowerBound].filter { $0 == "\n" }.count + 1
            XCTAssertThrowsError(try Engine(rulesDirectory: t.dir)) { e in
                guard case KryteriaError.brokenRuleset(let ds) = e else { return XCTFail("\(e)") }
                XCTAssertEqual(ds.count, 1, "\(ds)")
                XCTAssertEqual(ds.first?.line, line, "\(ds)")
                XCTAssertTrue(ds.first?.file.hasSuffix("\(kind).schema.json") == true && ds.first?.message.contains(words) == true, "\(ds)")
            }
            // with broken files skipped, no profile is validated by half a schema: the kind is refused
            let engine = try Engine(rulesDirectory: t.dir, strict: false)
            XCTAssertThrowsError(try engine.eval(#"{"kind":"\#(kind)","name":5}"#), kind)
        }
    }

    func testMissingFolder() {
        XCTAssertThrowsError(try Engine(rulesDirectory: "/nonexistent/rules")) { e in
            guard case KryteriaError.rulesNotFound = e else { return XCTFail("\(e)") }
        }
    }

    // MARK: what a rule file can get wrong, caught before any profile arrives

    func testMisspeltHelperIsCaughtAtLoadInPolish() throws {
        let m = try XCTUnwrap(try loadError(["r.lua": personRule("    return at_lest(1, 2)")]))
        XCTAssertTrue(m.contains("r.lua:5"), m)
        XCTAssertTrue(m.contains("nieznana funkcja lub zmienna 'at_lest' (czy chodziło o 'at_least'?)"), m)
    }

    func testMisspeltHelperIsCaughtAtLoadInEnglish() throws {
        let t = try TempRules(["r.lua": personRule("    return at_lest(1, 2)")])
        XCTAssertThrowsError(try Engine(rulesDirectory: t.dir, language: .en)) { e in
            XCTAssertTrue("\(e)".contains("unknown function or variable 'at_lest' (did you mean 'at_least'?)"), "\(e)")
        }
    }

    func testConstantOfTheWrongTypeReturnedByACheckIsCaughtAtLoad() throws {
        for body in ["    return 42", "    return \"spełnia\"", "    if p.homeless then return 1.5 end\n    return true"] {
            let m = try XCTUnwrap(try loadError(["r.lua": personRule(body)]), body)
            XCTAssertTrue(m.contains("kryterium zwraca"), m)
        }
        // booleans and results are fine, and so are numbers returned by amount functions
        XCTAssertNil(try loadError(["r.lua": personRule("    if p.homeless then return false end\n    return pass(\"ok\")")]))
    }

    func testEveryProblemOfAFileIsListed() throws {
        let t = try TempRules(["r.lua": personRule("    local a = at_lest(1, 2)\n    local b = p.homelss\n    return 42")])
        XCTAssertThrowsError(try Engine(rulesDirectory: t.dir)) { e in
            guard case KryteriaError.brokenRuleset(let ds) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(ds.map(\.line), [5, 6, 7], "\(ds)")
        }
    }
}
