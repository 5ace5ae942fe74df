import Foundation
import XCTest
@testable import Kryteria

/// Three-valued outcomes: pass/fail/unknown per criterion, eligible/ineligible/undetermined per rule.
final class OutcomeTests: XCTestCase {
    let rules = """
    rule "staff" { applies_to = "enterprise", title = { pl = "Kadra", en = "Staff" }, basis = "test act" }
    criterion "S-1" {
      basis = "art. 1", pl = "co najmniej 3 osoby", en = "at least 3 people",
      check = function(e)
        return at_least(count(e.employees, function(x) return x.fte >= 0.5 end), 3,
          { pl = "zatrudnionych", en = "employed" })
      end,
    }
    criterion "S-2" {
      basis = "art. 2", pl = "forma", en = "form",
      check = function(e) return e.legal_form == "foundation" end,
    }
    criterion "S-3" {
      basis = "art. 3", pl = "tylko dla spółdzielni", en = "cooperatives only",
      applies = function(e) return e.legal_form == "social_cooperative" end,
      check = function(e) return e.founded_by_legal_persons end,
    }
    """

    func testEligibleWhenAllPass() throws {
        let t = try TempRules(["staff.lua": rules])
        let engine = try Engine(rulesDirectory: t.dir)
        let ev = try engine.eval(#"{"kind":"enterprise","id":"A","legal_form":"foundation","employees":[{"contract":"employment","fte":1},{"contract":"employment","fte":0.5},{"contract":"civil","fte":0.5}]}"#)
        let r = try XCTUnwrap(ev.result("staff"))
        XCTAssertEqual(r.outcome, .eligible)
        XCTAssertEqual(r.criterion("S-1")?.outcome, .pass)
        XCTAssertEqual(r.criterion("S-1")?.reason, "zatrudnionych: 3, wymagane co najmniej 3")
        XCTAssertEqual(r.criterion("S-3")?.outcome, .notApplicable)
        XCTAssertEqual(ev.id, "A")
        XCTAssertTrue(ev.ruleset.hasPrefix("sha256:"))
    }

    func testIneligibleBeatsUnknown() throws {
        let t = try TempRules(["staff.lua": rules])
        let engine = try Engine(rulesDirectory: t.dir)
        // employees unknown, legal form fails: a failure decides
        let ev = try engine.eval(#"{"kind":"enterprise","legal_form":"association"}"#)
        let r = try XCTUnwrap(ev.result("staff"))
        XCTAssertEqual(r.outcome, .ineligible)
        XCTAssertEqual(r.criterion("S-1")?.outcome, .unknown)
        XCTAssertEqual(r.criterion("S-1")?.missing, ["employees"])
        XCTAssertEqual(r.criterion("S-2")?.outcome, .fail)
    }

    func testUndeterminedNamesNestedMissingPath() throws {
        let t = try TempRules(["staff.lua": rules])
        let engine = try Engine(rulesDirectory: t.dir)
        let ev = try engine.eval(#"{"kind":"enterprise","legal_form":"foundation","employees":[{"contract":"employment","fte":1},{"contract":"employment"}]}"#)
        let r = try XCTUnwrap(ev.result("staff"))
        XCTAssertEqual(r.outcome, .undetermined)
        XCTAssertEqual(r.criterion("S-1")?.outcome, .unknown)
        XCTAssertEqual(r.criterion("S-1")?.missing, ["employees[1].fte"])
        XCTAssertEqual(r.missing, ["employees[1].fte"])
    }

    func testApplicabilityUnknownIsUnknown() throws {
        let t = try TempRules(["staff.lua": rules])
        let engine = try Engine(rulesDirectory: t.dir)
        let ev = try engine.eval(#"{"kind":"enterprise","employees":[]}"#)
        let r = try XCTUnwrap(ev.result("staff"))
        XCTAssertEqual(r.criterion("S-3")?.outcome, .unknown)
        XCTAssertEqual(r.criterion("S-3")?.missing, ["legal_form"])
    }

    func testNullIsKnownNotMissing() throws {
        let t = try TempRules(["r.lua": """
        rule "lost" { applies_to = "enterprise", title = { pl = "U", en = "L" }, basis = "t" }
        criterion "L-1" { basis = "a", pl = "x", check = function(e) return e.status_lost_on == null end }
        """])
        let engine = try Engine(rulesDirectory: t.dir)
        XCTAssertEqual(try engine.eval(#"{"kind":"enterprise","status_lost_on":null}"#).result("lost")?.outcome, .eligible)
        XCTAssertEqual(try engine.eval(#"{"kind":"enterprise","status_lost_on":"2024-01-01"}"#).result("lost")?.outcome, .ineligible)
        XCTAssertEqual(try engine.eval(#"{"kind":"enterprise"}"#).result("lost")?.outcome, .undetermined)
    }

    func testEitherPassesDespiteUnknownAlternative() throws {
        let t = try TempRules(["r.lua": personRule("""
            return either(
              { "bezrobotny", function() return p.labour_status == "unemployed" end },
              { "niepełnosprawny", function() return p.disability ~= "none" end })
        """)])
        let engine = try Engine(rulesDirectory: t.dir)
        let pass = try engine.eval(#"{"kind":"person","disability":"severe"}"#).result("probe")!
        XCTAssertEqual(pass.criteria[0].outcome, .pass)
        let unk = try engine.eval(#"{"kind":"person","disability":"none"}"#).result("probe")!
        XCTAssertEqual(unk.criteria[0].outcome, .unknown)
        XCTAssertEqual(unk.criteria[0].missing, ["labour_status"])
        let fail = try engine.eval(#"{"kind":"person","disability":"none","labour_status":"employed"}"#).result("probe")!
        XCTAssertEqual(fail.criteria[0].outcome, .fail)
    }

    func testUnknownProfileFieldIsRefusedAtLoadWithSuggestion() throws {
        let t = try TempRules(["r.lua": personRule("    return p.labour_statuss == \"unemployed\"")])
        XCTAssertThrowsError(try Engine(rulesDirectory: t.dir)) { e in
            let m = "\(e)"
            XCTAssertTrue(m.contains("r.lua:5"), m)
            XCTAssertTrue(m.contains("labour_statuss"), m)
            XCTAssertTrue(m.contains("'labour_status'"), m)
        }
    }

    func testUnknownNestedProfileFieldIsAnErrorWithSuggestion() throws {
        // a field of a nested object is only known once a profile arrives
        let t = try TempRules(["r.lua": enterpriseRule("    local e = p.employees[1]\n    return e.ftee > 0")])
        let engine = try Engine(rulesDirectory: t.dir)
        let r = try engine.eval(#"{"kind":"enterprise","employees":[{"contract":"employment","fte":1}]}"#).result("probe")!
        XCTAssertEqual(r.criteria[0].outcome, .error)
        XCTAssertTrue(r.criteria[0].reason!.contains("ftee"), r.criteria[0].reason!)
        XCTAssertTrue(r.criteria[0].reason!.contains("'fte'"), r.criteria[0].reason!)
        XCTAssertEqual(r.outcome, .undetermined)
    }

    func testEnglishReasons() throws {
        let t = try TempRules(["staff.lua": rules])
        let engine = try Engine(rulesDirectory: t.dir)
        let ev = try engine.eval(#"{"kind":"enterprise","legal_form":"foundation","employees":[{"contract":"employment","fte":1}]}"#, lang: .en)
        XCTAssertEqual(ev.result("staff")?.criterion("S-1")?.reason, "employed: 1, at least 3 required (2 short)")
        XCTAssertEqual(ev.result("staff")?.title, "Staff")
    }

    /// A count over employees some of whom cannot be told: undetermined only while they could still
    /// change the answer; a fail that even they could not turn says both counts, in either language.
    func testATallyWithUndeterminedItemsSaysBothCounts() throws {
        let t = try TempRules(["tally.lua": """
        rule "tally" { applies_to = "enterprise", title = { pl = "Liczenie", en = "Counting" }, basis = "test act" }
        criterion "T-1" {
          basis = "art. 1", pl = "co najmniej 3 osoby", en = "at least 3 people",
          check = function(e)
            return at_least(tally(e.employees, function(x) return x.fte >= 0.5 end), 3, { pl = "zatrudnionych", en = "employed" })
          end,
        }
        criterion "T-2" {
          basis = "art. 2", pl = "udział", en = "share",
          check = function(e)
            return share_at_least(tally(e.employees, function(x) return x.fte >= 0.5 end), #e.employees, 0.6, { pl = "na pół etatu", en = "half-time" })
          end,
        }
        """])
        let engine = try Engine(rulesDirectory: t.dir)
        func employees(_ ftes: [String]) -> String {
            #"{"kind":"enterprise","employees":["# + ftes.map { $0.isEmpty ? #"{"contract":"employment"}"# : #"{"contract":"employment","fte":\#($0)}"# }
                .joined(separator: ",") + "]}"
        }
        // 1 certain, 1 unknown, 2 too small: even counting the unknown one, 2 < 3 and 2 of 4 < 60 %
        let low = try engine.eval(employees(["1", "", "0.25", "0.25"]))
        XCTAssertEqual(low.result("tally")?.criterion("T-1")?.outcome, .fail)
        XCTAssertEqual(low.result("tally")?.criterion("T-1")?.reason,
                       "zatrudnionych: 1 na pewno i 1 do ustalenia, wymagane co najmniej 3 (brakuje 1 nawet z nieustalonymi)")
        XCTAssertEqual(low.result("tally")?.criterion("T-2")?.outcome, .fail)
        XCTAssertEqual(low.result("tally")?.criterion("T-2")?.reason,
                       "na pół etatu: 1 na pewno i 1 do ustalenia z 4, wymagane co najmniej 60% (nieosiągalne nawet z nieustalonymi)")
        let lowEn = try engine.eval(employees(["1", "", "0.25", "0.25"]), lang: .en)
        XCTAssertEqual(lowEn.result("tally")?.criterion("T-1")?.reason,
                       "employed: 1 certain and 1 undetermined, at least 3 required (1 short even with the undetermined)")
        // 2 certain, 1 unknown: the unknown one decides, so the answer waits for its fte
        let open = try engine.eval(employees(["1", "1", ""]))
        XCTAssertEqual(open.result("tally")?.criterion("T-1")?.outcome, .unknown)
        XCTAssertEqual(open.result("tally")?.criterion("T-1")?.missing, ["employees[2].fte"])
        // 3 certain, 1 unknown: met whatever the fourth is; the reason counts what is certain
        let met = try engine.eval(employees(["1", "1", "0.5", ""]))
        XCTAssertEqual(met.result("tally")?.criterion("T-1")?.outcome, .pass)
        XCTAssertEqual(met.result("tally")?.criterion("T-1")?.reason, "zatrudnionych: 3, wymagane co najmniej 3")
    }

    /// A misspelt field is the rule's error wherever it is read: in get/has (where absence means
    /// something) and in the test given to tally (where missing data means "undetermined").
    func testAMisspeltFieldIsAnErrorInGetHasAndTally() throws {
        let t = try TempRules(["typo.lua": """
        rule "typo" { applies_to = "enterprise", title = { pl = "Literówki", en = "Typos" }, basis = "test act" }
        criterion "G-1" {
          basis = "art. 1", pl = "get", en = "get",
          check = function(e) return #get(e, "emplyees", {}) >= 1 end,
        }
        criterion "G-2" {
          basis = "art. 2", pl = "has", en = "has",
          check = function(e) return not has(e.employees[1], "ftee") end,
        }
        criterion "G-3" {
          basis = "art. 3", pl = "tally", en = "tally",
          check = function(e)
            return at_least(tally(e.employees, function(x) return x.ftee >= 0.5 end), 1, { pl = "zatrudnionych", en = "employed" })
          end,
        }
        criterion "G-4" {
          basis = "art. 4", pl = "poprawne", en = "right",
          check = function(e) return not has(e, "founded_on") and get(e.employees[1], "at_risk", false) == false end,
        }
        """])
        let engine = try Engine(rulesDirectory: t.dir)
        let ev = try engine.eval(#"{"kind":"enterprise","employees":[{"contract":"employment","fte":1}]}"#)
        let r = try XCTUnwrap(ev.result("typo"))
        for (id, word, hint) in [("G-1", "emplyees", "employees"), ("G-2", "ftee", "fte"), ("G-3", "ftee", "fte")] {
            XCTAssertEqual(r.criterion(id)?.outcome, .error, id)
            XCTAssertEqual(r.criterion(id)?.reason?.contains("nieznane pole profilu '\(word)' (czy chodziło o '\(hint)'?)"), true,
                           "\(id): \(r.criterion(id)?.reason ?? "")")
            XCTAssertEqual(r.criterion(id)?.reason?.contains("typo.lua:"), true, "\(id) is placed in the rule file")
        }
        // a field the schema knows but the profile lacks is still just absent
        XCTAssertEqual(r.criterion("G-4")?.outcome, .pass, r.criterion("G-4")?.reason ?? "")
    }

    /// missing(t, …) names every field a criterion needs that the profile lacks, at its full path,
    /// so the consultant asks for all of them in one call; nil when none is missing.
    func testMissingNamesEveryAbsentFieldAtOnce() throws {
        let t = try TempRules(["need.lua": """
        rule "need" { applies_to = "enterprise", title = { pl = "Braki", en = "Gaps" }, basis = "test act" }
        criterion "N-1" {
          basis = "art. 1", pl = "dwa pola", en = "two fields",
          check = function(e)
            local m = missing(e.employees[1], "fte", "at_risk", "contract")
            if m then return m end
            return pass(L("komplet", "complete"))
          end,
        }
        criterion "N-2" {
          basis = "art. 2", pl = "literówka", en = "typo",
          check = function(e) return missing(e, "founded_onn") or true end,
        }
        """])
        let engine = try Engine(rulesDirectory: t.dir)
        let r = try XCTUnwrap(engine.eval(#"{"kind":"enterprise","employees":[{"contract":"employment"}]}"#).result("need"))
        XCTAssertEqual(r.criterion("N-1")?.outcome, .unknown)
        XCTAssertEqual(r.criterion("N-1")?.missing, ["employees[0].fte", "employees[0].at_risk"])
        XCTAssertEqual(r.criterion("N-1")?.reason?.hasPrefix("brak danych: "), true, r.criterion("N-1")?.reason ?? "")
        XCTAssertEqual(r.criterion("N-2")?.outcome, .error)
        XCTAssertEqual(r.criterion("N-2")?.reason?.contains("nieznane pole profilu 'founded_onn'"), true, r.criterion("N-2")?.reason ?? "")
        let full = try XCTUnwrap(engine.eval(#"{"kind":"enterprise","employees":[{"contract":"employment","fte":1,"at_risk":false}]}"#).result("need"))
        XCTAssertEqual(full.criterion("N-1")?.outcome, .pass)
    }

    func testInvalidProfileNamesPathExpectedAndFound() throws {
        let t = try TempRules(["staff.lua": rules])
        let engine = try Engine(rulesDirectory: t.dir)
        XCTAssertThrowsError(try engine.eval(#"{"kind":"enterprise","employees":[{"contract":"employment","fte":"pół etatu"}],"founded_on":"2023-02-30"}"#, lang: .en)) { e in
            guard case KryteriaError.invalidProfile(_, let problems) = e else { return XCTFail("\(e)") }
            XCTAssertTrue(problems.contains(Problem(path: "$.employees[0].fte", expected: "a number from 0 to 1", found: "\"pół etatu\"")), "\(problems)")
            XCTAssertTrue(problems.contains { $0.path == "$.founded_on" && $0.found.contains("no such day") }, "\(problems)")
        }
        XCTAssertThrowsError(try engine.eval(#"{"kind":"enterprise","employees":[{"contract":"employment","fte":-0.5}]}"#))
        XCTAssertThrowsError(try engine.eval(#"{"kind":"robot"}"#))
        // malformed JSON: where and why, in the language asked for
        XCTAssertThrowsError(try engine.eval(#"{"kind":"person", "#)) { e in
            guard case KryteriaError.malformedJSON(let m) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(m, "wiersz 1, kolumna 19: nieoczekiwany koniec danych (obiekt nie jest zamknięty)")
        }
        XCTAssertThrowsError(try engine.eval(#"{"kind":"person", "#, lang: .en)) { e in
            guard case KryteriaError.malformedJSON(let m) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(m, "line 1, column 19: unexpected end of input (an object is not closed)")
        }
        // the engine still answers
        XCTAssertEqual(try engine.eval(#"{"kind":"enterprise","legal_form":"association"}"#).result("staff")?.outcome, .ineligible)
    }

    func testRuleFilterAndUnknownRule() throws {
        let t = try TempRules(["staff.lua": rules, "p.lua": personRule("    return true")])
        let engine = try Engine(rulesDirectory: t.dir)
        let ev = try engine.eval(#"{"kind":"enterprise","legal_form":"foundation"}"#, rules: ["staff"])
        XCTAssertEqual(ev.results?.map(\.rule), ["staff"])
        XCTAssertThrowsError(try engine.eval(#"{"kind":"enterprise"}"#, rules: ["staf"])) { e in
            XCTAssertTrue("\(e)".contains("staff"), "\(e)")  // did you mean
        }
    }

    func testFieldNameLikeATypoIsWarnedAbout() throws {
        let t = try TempRules(["staff.lua": rules])
        let engine = try Engine(rulesDirectory: t.dir)
        let ev = try engine.eval(#"{"kind":"enterprise","legal_form":"foundation","employes":[],"city":"Olsztyn"}"#, lang: .en)
        XCTAssertEqual(ev.warnings, ["unknown field 'employes' (did you mean 'employees'?) — its value is not used"])
        XCTAssertEqual(ev.result("staff")?.criterion("S-1")?.missing, ["employees"])
        XCTAssertTrue(ReportRenderer.render(ev, language: .en).contains("⚠ unknown field 'employes'"))
        XCTAssertNil(try engine.eval(#"{"kind":"enterprise","city":"Olsztyn"}"#).warnings)
    }

    func testAFailedGateClosesTheRule() throws {
        let t = try TempRules(["zaz.lua": """
        rule "zaz" { applies_to = "enterprise", title = { pl = "ZAZ", en = "ZAZ" }, basis = "ustawa" }
        criterion "Z-1" { basis = "a", pl = "forma", gate = true,
          check = function(e) return verdict(e.legal_form == "zaz", "forma: zaz", "forma: " .. e.legal_form) end }
        criterion "Z-2" { basis = "b", pl = "kadra", check = function(e) return #e.employees >= 3 end }
        """])
        let engine = try Engine(rulesDirectory: t.dir)
        let other = try XCTUnwrap(engine.eval(#"{"kind":"enterprise","legal_form":"foundation"}"#).result("zaz"))
        XCTAssertEqual(other.outcome, .ineligible)
        XCTAssertEqual(other.criteria.map(\.outcome), [.fail, .notApplicable])  // Z-2 not evaluated: no "missing employees"
        XCTAssertEqual(other.criteria[0].gate, true)
        XCTAssertTrue(other.failedOnlyOnGates)
        let report = ReportRenderer.render(Evaluation(ruleset: "sha256:x", results: [other]), language: .pl)
        XCTAssertTrue(report.contains("– ZAZ: nie dotyczy (forma: foundation)"), report)
        let zaz = try XCTUnwrap(engine.eval(#"{"kind":"enterprise","legal_form":"zaz","employees":[]}"#).result("zaz"))
        XCTAssertEqual(zaz.criteria.map(\.outcome), [.pass, .fail])
        XCTAssertFalse(zaz.failedOnlyOnGates)
    }

    /// The engine keeps a rule's criteria as flat data (no table per criterion); a rule that reads
    /// another rule's criteria (check_rule, amount, score) still sees each one as a read-only table
    /// with every field, and `#`, ipairs and pairs walk them in order.
    func testARuleReadsTheCriteriaOfAnotherRule() throws {
        let t = try TempRules(["inner.lua": """
        rule "inner" { applies_to = "enterprise", title = { pl = "Wewnętrzna", en = "Inner" }, basis = "ustawa" }
        criterion "I-1" { basis = "a", pl = "jeden", assumption = { pl = "ZAŁOŻENIE: x", en = "ASSUMPTION: x" },
          check = function(e) return pass("ok 1") end }
        criterion "I-2" { basis = "b", pl = "dwa", check = function(e) return e.public_control == false end }
        criterion "I-3" { basis = "c", pl = "trzy", gate = true, check = function(e) return fail("nie 3") end }
        """, "outer.lua": """
        rule "outer" { applies_to = "enterprise", title = { pl = "Zewnętrzna", en = "Outer" }, basis = "ustawa",
          amount = function(e, crits) return #crits * 100 + (crits[1].outcome == "pass" and 1 or 0) end }
        criterion "O-1" { basis = "a", pl = "czyta",
          check = function(e)
            local cs = check_rule("inner", e).criteria
            local parts = { tostring(#cs) }
            for i, c in ipairs(cs) do
              parts[#parts + 1] = table.concat({ i, c.id, c.outcome, c.reason, c.legal_basis, tostring(c.assumption),
                tostring(c.gate), tostring(c.missing and c.missing[1]), tostring(c.points) }, "|")
            end
            local n = 0
            for k, c in pairs(cs) do n = n + k end
            parts[#parts + 1] = "pairs " .. n .. " " .. tostring(cs[4]) .. " " .. tostring(cs[0]) .. " " .. tostring(cs.x)
            parts[#parts + 1] = "write1 " .. tostring(pcall(function() cs[1].outcome = "fail" end))
            parts[#parts + 1] = "write2 " .. tostring(pcall(function() cs[2] = {} end))
            parts[#parts + 1] = "same " .. tostring(cs[1] == cs[1]) .. " " .. cs[1].outcome
            -- a table inside a criterion (its missing fields) is a read-only view too: #, pairs, no writes
            local m, seen = cs[2].missing, {}
            for i, f in pairs(m) do seen[#seen + 1] = i .. "=" .. f end
            parts[#parts + 1] = "missing " .. #m .. " " .. table.concat(seen, ",") .. " "
              .. tostring(pcall(function() m[1] = "x" end)) .. " " .. tostring(m == cs[2].missing)
            return pass(table.concat(parts, "; "))
          end }
        """])
        let engine = try Engine(rulesDirectory: t.dir)
        let r = try XCTUnwrap(engine.eval(#"{"kind":"enterprise"}"#, rules: ["outer"]).result("outer"))
        XCTAssertEqual(r.criteria[0].reason, "3; "
            + "1|I-1|pass|ok 1|a|ZAŁOŻENIE: x|nil|nil|nil; "
            + "2|I-2|unknown|brak danych: kontrola publiczna|b|nil|nil|public_control|nil; "
            + "3|I-3|fail|nie 3|c|nil|true|nil|nil; "
            + "pairs 6 nil nil nil; write1 false; write2 false; same true pass; missing 1 1=public_control false true")
        XCTAssertEqual(r.amount, 101)
        // the rule evaluated for the output has every field as before
        let inner = try XCTUnwrap(engine.eval(#"{"kind":"enterprise","public_control":false}"#, rules: ["inner"], lang: .en).result("inner"))
        XCTAssertEqual(inner.criteria.map(\.id), ["I-1", "I-2", "I-3"])
        XCTAssertEqual(inner.criteria.map(\.outcome), [.pass, .pass, .fail])
        XCTAssertEqual(inner.criteria[0].assumption, "ASSUMPTION: x")
        XCTAssertEqual(inner.criteria[2].gate, true)
        XCTAssertNil(inner.criteria[0].gate)
        XCTAssertEqual(inner.criteria[1].missing, [])
    }

    /// A rule with more criteria than the engine prepares at once (64): every one is written, in order.
    func testARuleWithManyCriteriaKeepsThemAllInOrder() throws {
        var src = #"rule "many" { applies_to = "enterprise", title = { pl = "Wiele", en = "Many" }, basis = "ustawa" }"# + "\n"
        for i in 1...70 {
            let check = i == 65 ? "return e.public_control == false" : (i == 70 ? "return fail(\"nie \" .. \(i))" : "return pass(\"ok \(i)\")")
            src += "criterion \"K-\(i)\" { basis = \"art. \(i)\", pl = \"kryterium \(i)\", check = function(e) \(check) end }\n"
        }
        let t = try TempRules(["many.lua": src])
        let engine = try Engine(rulesDirectory: t.dir)
        let r = try XCTUnwrap(engine.eval(#"{"kind":"enterprise"}"#).result("many"))
        XCTAssertEqual(r.criteria.map(\.id), (1...70).map { "K-\($0)" })
        XCTAssertEqual(r.criteria[63].reason, "ok 64")
        XCTAssertEqual(r.criteria[64].outcome, .unknown)
        XCTAssertEqual(r.criteria[64].missing, ["public_control"])
        XCTAssertEqual(r.criteria[65].legalBasis, "art. 66")
        XCTAssertEqual(r.criteria[69].reason, "nie 70")
        XCTAssertEqual(r.outcome, .ineligible)
    }

    /// A check result is kept as an array inside the engine; a rule still reads and writes it by
    /// name (outcome, reason, missing, points), and pairs walks those names (sorted, as for any table).
    func testARuleReadsAndWritesAResultByName() throws {
        let t = try TempRules(["res.lua": """
        rule "res" { applies_to = "enterprise", title = { pl = "Wyniki", en = "Results" }, basis = "ustawa" }
        criterion "R-1" { basis = "a", pl = "czyta",
          check = function(e)
            local a, u = fail("nie"), unknown("brak", "x.y")
            local names = {}
            for k, v in pairs(u) do names[#names + 1] = k .. "=" .. (type(v) == "table" and v[1] or tostring(v)) end
            return pass(table.concat({ a.outcome, a.reason, tostring(a.missing), tostring(a.points),
              u.outcome, u.missing[1], table.concat(names, ","), tostring(a.other) }, "|"))
          end }
        criterion "R-2" { basis = "b", pl = "zmienia",
          check = function(e)
            local r = fail("było")
            r.outcome, r.reason = "pass", "jest"
            return r
          end }
        """])
        let engine = try Engine(rulesDirectory: t.dir)
        let r = try XCTUnwrap(engine.eval(#"{"kind":"enterprise"}"#).result("res"))
        XCTAssertEqual(r.criteria[0].reason, "fail|nie|nil|nil|unknown|x.y|missing=x.y,outcome=unknown,reason=brak|nil")
        XCTAssertEqual(r.criteria[1].outcome, .pass)
        XCTAssertEqual(r.criteria[1].reason, "jest")
    }

    /// The criteria of a rule run under one protected call: a criterion that raises gets its own
    /// result (an error, or unknown for a missing field, also from applies) and the ones after it
    /// still run; a gate that fails after a raised criterion still closes the rest.
    func testACriterionThatRaisesDoesNotStopTheOthers() throws {
        let t = try TempRules(["mix.lua": """
        rule "mix" { applies_to = "enterprise", title = { pl = "Mieszana", en = "Mixed" }, basis = "ustawa" }
        criterion "M-1" { basis = "a", pl = "jeden", check = function(e) return pass("ok 1") end }
        criterion "M-2" { basis = "b", pl = "dwa", check = function(e) error("zepsute kryterium") end }
        criterion "M-3" { basis = "c", pl = "trzy", check = function(e) return e.public_control == false end }
        criterion "M-4" { basis = "d", pl = "cztery", applies = function(e) return e.ps_type == "reintegration" end,
          check = function(e) return true end }
        criterion "M-5" { basis = "e", pl = "pięć", check = function(e) return { "not a result" } end }
        criterion "M-6" { basis = "f", pl = "sześć", gate = true, check = function(e) return e.legal_form == "zaz" end }
        criterion "M-7" { basis = "g", pl = "siedem", check = function(e) return pass("ok 7") end }
        """])
        let engine = try Engine(rulesDirectory: t.dir)
        let r = try XCTUnwrap(engine.eval(#"{"kind":"enterprise","legal_form":"foundation"}"#).result("mix"))
        XCTAssertEqual(r.criteria.map(\.id), ["M-1", "M-2", "M-3", "M-4", "M-5", "M-6", "M-7"])
        XCTAssertEqual(r.criteria.map(\.outcome), [.pass, .error, .unknown, .unknown, .error, .fail, .notApplicable])
        XCTAssertEqual(r.criteria[0].reason, "ok 1")
        XCTAssertTrue(r.criteria[1].reason?.contains("zepsute kryterium") ?? false, "\(r.criteria[1])")
        XCTAssertEqual(r.criteria[2].missing, ["public_control"])
        XCTAssertEqual(r.criteria[3].missing, ["ps_type"])
        XCTAssertTrue(r.criteria[4].reason?.contains("mix.lua:7: kryterium zwróciło wartość typu table") ?? false, "\(r.criteria[4])")
        XCTAssertEqual(r.outcome, .ineligible)
        // the same engine again: nothing of the first record is left over
        let ok = try XCTUnwrap(engine.eval(#"{"kind":"enterprise","legal_form":"zaz","public_control":false,"ps_type":"social_services"}"#).result("mix"))
        XCTAssertEqual(ok.criteria.map(\.outcome), [.pass, .error, .pass, .notApplicable, .error, .pass, .pass])
    }

    /// A rule's runtime error reads in the consultant's language, after the file and line it keeps; the
    /// text a rule raises itself stays as written, and --lang en keeps Lua's own words.
    func testARuleErrorIsWordedInTheChosenLanguage() throws {
        let t = try TempRules(["oops.lua": """
        rule "oops" { applies_to = "enterprise", title = { pl = "Błędy", en = "Errors" }, basis = "ustawa" }
        criterion "E-1" { basis = "a", pl = "jeden", check = function(e) local x; return x.y end }
        criterion "E-2" { basis = "b", pl = "dwa", check = function(e) return 1 < e.statute end }
        criterion "E-3" { basis = "c", pl = "trzy", check = function(e) return math.floor("x") end }
        criterion "E-4" { basis = "d", pl = "cztery", check = function(e) local t = {}; return t[1] + 1 end }
        criterion "E-5" { basis = "e", pl = "pięć", check = function(e) e.legal_form = "zaz"; return true end }
        criterion "E-6" { basis = "f", pl = "sześć", check = function(e) return "a" .. nil end }
        criterion "E-7" { basis = "g", pl = "siedem", check = function(e) error("moje własne słowa") end }
        criterion "E-8" { basis = "h", pl = "osiem", check = function(e) return 1 // 0 end }
        criterion "E-9" { basis = "i", pl = "dziewięć", check = function(e) for i = 1, "x" do end return true end }
        criterion "E-10" { basis = "j", pl = "dziesięć", check = function(e) return string.rep("a", 1048582) ~= nil end }
        criterion "E-11" { basis = "k", pl = "jedenaście", check = function(e) local r = pass("%d osób", "trzy"); return r end }
        criterion "E-12" { basis = "l", pl = "dwanaście", check = function(e) local r = at_least(get(e, "founded_on"), 3, "lata"); return r end }
        criterion "E-13" { basis = "m", pl = "trzynaście", check = function(e) local n = sum({ 1, "a" }); return n > 1 end }
        criterion "E-14" { basis = "n", pl = "czternaście",
          check = function(e) return at_least(get(e, "founded_on"), 3, "lata") end }
        """])
        let engine = try Engine(rulesDirectory: t.dir)
        let profile = #"{"kind":"enterprise","legal_form":"foundation","statute":{"not_for_profit":true}}"#
        let pl = try XCTUnwrap(engine.eval(profile).result("oops")).criteria.map { $0.reason ?? "" }
        XCTAssertEqual(pl, [
            "oops.lua:2: nie można odczytać pola z wartości nil — zmienna lokalna 'x'",
            "oops.lua:3: nie można porównać wartości typu liczba z wartością typu obiekt profilu",
            "oops.lua:4: zły argument nr 1 funkcji 'floor' (oczekiwano: liczba, jest: tekst)",
            "oops.lua:5: nie można liczyć na wartości nil — element tablicy",
            "oops.lua:6: profil jest tylko do odczytu: reguła nie może zmienić pola 'legal_form'",
            "oops.lua:7: nie można dołączyć do tekstu wartości nil",
            "oops.lua:8: moje własne słowa",
            "oops.lua:9: dzielenie przez zero",
            "oops.lua:10: granica pętli 'for' musi być liczbą, jest: tekst",
            "string.rep: wynik ma 1048582 bajty, a reguła może utworzyć najwyżej 1048576",
            "oops.lua:12: format powodu \"%d osób\" nie pasuje do wartości: trzy",
            // raised inside a helper of the engine: placed at the rule's line, not the prelude's
            "oops.lua:13: nie można porównać wartości typu liczba z wartością nil",
            "oops.lua:14: nie można wykonać dodawania: wartość typu liczba z wartością typu tekst",
            // the same in a tail call: the rule's frame is gone, and the criterion's declaration is named
            "oops.lua:15: nie można porównać wartości typu liczba z wartością nil",
        ])
        let en = try XCTUnwrap(engine.eval(profile, lang: .en).result("oops")).criteria.map { $0.reason ?? "" }
        XCTAssertEqual(en[0], "oops.lua:2: attempt to index a nil value (local 'x')")
        XCTAssertEqual(en[4], "oops.lua:6: the profile is read-only: a rule cannot change field 'legal_form'")
        XCTAssertEqual(en[6], "oops.lua:8: moje własne słowa")
        XCTAssertEqual(en[11], "oops.lua:13: attempt to compare number with nil")
    }

    /// The same input gives the same result JSON in every Lua state (each has its own hash seed):
    /// problems in path order, and words of a missing field taken from the schema at its path
    /// (an employee's at_risk, not a cooperative member's, which has the same field name; the
    /// employee without it decides PS-06 here: none of the other two is at risk).
    func testTheSameInputGivesTheSameWordsInEveryState() throws {
        let invalid = #"{"kind":"enterprise","id":"X","legal_form":5,"ps_type":7,"public_control":"x","employees":[{"fte":"a","contract":3}]}"#
        let missing = #"{"kind":"enterprise","id":"D","as_of":"2025-06-01","legal_form":"social_cooperative","ps_type":"reintegration","employees":[{"contract":"employment","fte":1.0},{"contract":"employment","fte":1.0,"at_risk":false},{"contract":"employment","fte":1.0,"at_risk":false}]}"#
        var seen = Set<String>()
        for _ in 0..<6 {
            let engine = try Engine(rulesDirectory: repoRoot + "/Rules")   // a new Lua state, a new seed
            let opts = EvaluationOptions(rules: ["ps-status"])
            let a = String(decoding: try engine.evaluateJSON(Array(invalid.utf8), options: opts), as: UTF8.self)
            let b = String(decoding: try engine.evaluateJSON(Array(missing.utf8), options: opts), as: UTF8.self)
            seen.insert(a + "\n" + b)
            let parsed = try JSONSerialization.jsonObject(with: Data(a.utf8)) as? [String: Any]
            let problems = try XCTUnwrap(((parsed?["error"] as? [String: Any])?["problems"]) as? [[String: Any]])
            XCTAssertEqual(problems.map { $0["path"] as? String }, ["$.employees[0].contract", "$.employees[0].fte",
                                                                   "$.legal_form", "$.ps_type", "$.public_control"])
            XCTAssertTrue(b.contains("brak danych: osoba zagrożona wykluczeniem społecznym"), b)
        }
        XCTAssertEqual(seen.count, 1)
    }

    /// A declaration text that cannot be made (a value its format does not take) is that
    /// criterion's error when it is used; the criteria after it still run.
    func testABrokenAssumptionIsAnErrorOfItsCriterionOnly() throws {
        let t = try TempRules(["broken.lua": """
        rule "broken" { applies_to = "enterprise", title = { pl = "Zepsuta", en = "Broken" }, basis = "ustawa" }
        criterion "B-1" { basis = "a", pl = "jeden", assumption = { pl = "próg %d", en = "threshold %d", "nie liczba" },
          check = function(e) return true end }
        criterion "B-2" { basis = "b", pl = "dwa", check = function(e) return pass("ok 2") end }
        """])
        let engine = try Engine(rulesDirectory: t.dir)
        let r = try XCTUnwrap(engine.eval(#"{"kind":"enterprise"}"#).result("broken"))
        XCTAssertEqual(r.criteria.map(\.outcome), [.error, .pass])
        XCTAssertTrue(r.criteria[0].reason?.contains("format") ?? false, "\(r.criteria[0])")
        XCTAssertEqual(r.criteria[1].reason, "ok 2")
        XCTAssertEqual(r.outcome, .undetermined)
    }

    /// A check's result is made in C when its reason is plain text and in the prelude otherwise
    /// (kr_result.c): every shape of reason reads the same either way, in both languages, and a
    /// reason that is not text is still the error of its own criterion.
    func testAReasonInEveryShapeReadsTheSame() throws {
        let t = try TempRules(["shapes.lua": """
        rule "shapes" { applies_to = "person", title = { pl = "Kształty", en = "Shapes" }, basis = "test" }
        local KEPT = { pl = "zachowane", en = "kept" }
        local KEPT_VALUES = { pl = "%d z %d", en = "%d of %d", 2, 3 }
        criterion "R-01" { basis = "a", pl = "bez powodu", en = "no reason", check = function(p) return pass() end }
        criterion "R-02" { basis = "a", pl = "nil", en = "nil", check = function(p) return fail(nil) end }
        criterion "R-03" { basis = "a", pl = "pl", en = "pl", check = function(p) return pass({ pl = "tylko po polsku" }) end }
        criterion "R-04" { basis = "a", pl = "en", en = "en", check = function(p) return fail({ en = "English only" }) end }
        criterion "R-05" { basis = "a", pl = "false", en = "false", check = function(p) return pass({ pl = false, en = "x" }) end }
        criterion "R-06" { basis = "a", pl = "values", en = "values", check = function(p) return pass({ pl = "%d z %d", en = "%d of %d", 1, 4 }) end }
        criterion "R-07" { basis = "a", pl = "nil arg", en = "nil arg", check = function(p) return pass({ pl = "wartość %s", en = "value %s" }, nil) end }
        criterion "R-08" { basis = "a", pl = "string args", en = "string args", check = function(p) return fail("a %s %d", "b", 7) end }
        criterion "R-09" { basis = "a", pl = "na", en = "na", check = function(p) return not_applicable({ pl = "nie tutaj", en = "not here" }) end }
        criterion "R-10" { basis = "a", pl = "points", en = "points", check = function(p) return points(3, { pl = "trzy", en = "three" }) end }
        criterion "R-11" { basis = "a", pl = "number", en = "number", check = function(p) return pass({ pl = 5, en = 5 }) end }
        criterion "R-12" { basis = "a", pl = "kept", en = "kept", check = function(p) return pass(KEPT) end }
        criterion "R-13" { basis = "a", pl = "kept values", en = "kept values", check = function(p) return fail(KEPT_VALUES) end }
        criterion "R-14" { basis = "a", pl = "unknown", en = "unknown", check = function(p) return unknown({ pl = "nie wiadomo", en = "not known" }) end }
        criterion "R-15" { basis = "a", pl = "written", en = "written",
          check = function(p) local r = pass({ pl = "przed", en = "before" }); r.reason = r.reason .. "!"; return r end }
        criterion "R-16" { basis = "a", pl = "bad format", en = "bad format", check = function(p) return fail("%d sztuk", "dużo") end }
        criterion "R-17" { basis = "a", pl = "both values", en = "both values",
          check = function(p) return pass({ pl = "%s i %%s", en = "%s and %%s", "jeden" }, "dwa") end }
        """])
        let engine = try Engine(rulesDirectory: t.dir)
        func crits(_ lang: Language) throws -> [CriterionResult] {
            try XCTUnwrap(engine.eval(#"{"kind":"person"}"#, asOf: "2025-06-01", lang: lang).result("shapes")).criteria
        }
        let pl = try crits(.pl), en = try crits(.en)
        XCTAssertEqual(pl.map(\.outcome), [.pass, .fail, .pass, .fail, .error, .pass, .pass, .fail, .notApplicable, .pass,
                                           .error, .pass, .fail, .unknown, .pass, .error, .pass])
        XCTAssertEqual(en.map(\.outcome), [.pass, .fail, .pass, .fail, .pass, .pass, .pass, .fail, .notApplicable, .pass,
                                           .error, .pass, .fail, .unknown, .pass, .error, .pass])
        let plReasons: [String?] = ["bez powodu", "nil", "tylko po polsku", "English only", nil, "1 z 4", "wartość nil", "a b 7",
                                    "nie tutaj", "trzy", nil, "zachowane", "2 z 3", "nie wiadomo", "przed!", nil, "jeden i dwa"]
        let enReasons: [String?] = ["no reason", "nil", "tylko po polsku", "English only", "x", "1 of 4", "value nil", "a b 7",
                                    "not here", "three", nil, "kept", "2 of 3", "not known", "before!", nil, "jeden and dwa"]
        for (i, c) in pl.enumerated() where plReasons[i] != nil { XCTAssertEqual(c.reason, plReasons[i], "pl \(c.id)") }
        for (i, c) in en.enumerated() where enReasons[i] != nil { XCTAssertEqual(c.reason, enReasons[i], "en \(c.id)") }
        XCTAssertTrue(pl[4].reason?.contains("musi być tekstem") ?? false, "\(pl[4])")
        XCTAssertTrue(pl[10].reason?.contains("musi być tekstem") ?? false, "\(pl[10])")
        XCTAssertTrue(en[10].reason?.contains("must be text") ?? false, "\(en[10])")
        // a format that does not fit its values is the criterion's error, in words about the reason
        // (R-16 returns fail(...) in a tail call: its line is gone, so its declaration is named, never the prelude's)
        XCTAssertEqual(pl[15].reason, "shapes.lua:20: format powodu \"%d sztuk\" nie pasuje do wartości: dużo")
        XCTAssertEqual(en[15].reason, "shapes.lua:20: the reason's format \"%d sztuk\" does not fit its values: dużo")
        XCTAssertEqual(pl[9].points, 3)
        XCTAssertEqual(pl.map(\.missing), Array(repeating: [], count: 17))
    }

    /// A missing field is named by its whole path, through arrays and nested objects, however long
    /// the path: the engine walks it in C (KR_PATH_IN) and leaves a path too long for that to the
    /// prelude's own walk; both name it the same way.
    func testAMissingFieldDeepInsideAProfileIsNamedByItsPath() throws {
        let long = String(repeating: "a_very_long_field_name_", count: 30)   // 690 bytes: two make a path past 1 024
        let t = try TempRules([
            "schema/enterprise.schema.json": """
            {"type":"object","properties":{"kind":{"const":"enterprise"},
              "groups":{"type":"array","items":{"type":"object","properties":{
                "members":{"type":"array","items":{"type":"object","properties":{"age":{"type":"integer"}}}}}}},
              "\(long)":{"type":"object","properties":{"\(long)2":{"type":"object","properties":{"age":{"type":"integer"}}}}}}}
            """,
            "deep.lua": """
            rule "deep" { applies_to = "enterprise", title = { pl = "Głęboko", en = "Deep" }, basis = "test" }
            criterion "D-1" { basis = "a", pl = "w tablicach", check = function(p) return p.groups[2].members[3].age > 18 end }
            criterion "D-2" { basis = "a", pl = "daleko", check = function(p) return p["\(long)"]["\(long)2"].age > 18 end }
            criterion "D-3" { basis = "a", pl = "w korzeniu", check = function(p) return p.age > 18 end }
            """,
        ], withSchemas: false)
        let engine = try Engine(rulesDirectory: t.dir)
        let profile = #"{"kind":"enterprise","groups":[{"members":[]},{"members":[{"age":20},{"age":30},{}]}],"# +
            #""\#(long)":{"\#(long)2":{}}}"#
        let r = try XCTUnwrap(engine.eval(profile).result("deep"))
        XCTAssertEqual(r.criteria.map(\.outcome), [.unknown, .unknown, .error], "\(r.criteria)")
        XCTAssertEqual(r.criterion("D-1")?.missing, ["groups[1].members[2].age"])
        XCTAssertEqual(r.criterion("D-2")?.missing, ["\(long).\(long)2.age"])
    }

    /// An application is judged by the rule of its programme (and the rules that name it), however
    /// many records and programmes a batch mixes: the rules that apply are found once per kind and
    /// programme, and past the few hundred programmes kept, rule by rule, with the same answer.
    func testAnApplicationIsJudgedByTheRulesOfItsProgramme() throws {
        let t = try TempRules([
            "grants.lua": """
            rule "alpha" { applies_to = "application", title = { pl = "Alfa", en = "Alpha" }, basis = "test" }
            criterion "A-1" { basis = "a", pl = "alfa", check = function(a) return true end }
            rule "beta" { applies_to = "application", title = { pl = "Beta", en = "Beta" }, basis = "test", programs = { "gamma", "alpha" } }
            criterion "B-1" { basis = "a", pl = "beta", check = function(a) return true end }
            rule "person-rule" { applies_to = "person", title = { pl = "Osoba", en = "Person" }, basis = "test" }
            criterion "P-1" { basis = "a", pl = "osoba", check = function(p) return true end }
            """,
        ])
        let engine = try Engine(rulesDirectory: t.dir)
        func rules(_ program: String) throws -> [String] {
            try engine.eval(#"{"kind":"application","program":"\#(program)","submitted_on":"2025-06-01"}"#).results?.map(\.rule) ?? ["invalid"]
        }
        for round in 0..<300 {   // past the 256 programmes kept
            XCTAssertEqual(try rules("other-\(round)"), [], "other-\(round)")
            if round % 50 == 0 || round > 290 {
                XCTAssertEqual(try rules("alpha"), ["alpha", "beta"], "round \(round)")
                XCTAssertEqual(try rules("gamma"), ["beta"], "round \(round)")
                XCTAssertEqual(try rules("beta"), ["beta"], "round \(round)")
                XCTAssertEqual(try engine.eval(#"{"kind":"person"}"#).results?.map(\.rule), ["person-rule"])
            }
        }
    }
}
