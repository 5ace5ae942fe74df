import XCTest
@testable import Kryteria

/// Parameters with effective dates: the value in force on the as-of date.
final class ParameterTests: XCTestCase {
    let files = [
        "parameters/wage.lua": """
        parameter "min_wage" {
          unit = "zł", basis = "rozporządzenie",
          { from = "2025-01-01", value = 4666 },
          { from = "2026-01-01", value = 4806 },
        }
        """,
        "wage.lua": personRule("wage", criterion: "W-1", "    return pass(\"płaca %d\", param \"min_wage\")"),
    ]

    func reason(_ engine: Engine, _ date: String) throws -> CriterionResult {
        try XCTUnwrap(engine.eval(#"{"kind":"person"}"#, asOf: date).result("wage")?.criteria.first)
    }

    func testValueBeforeOnAndAfterAChange() throws {
        let t = try TempRules(files)
        let engine = try Engine(rulesDirectory: t.dir, language: .en)
        XCTAssertEqual(try reason(engine, "2025-12-31").reason, "płaca 4666")
        XCTAssertEqual(try reason(engine, "2026-01-01").reason, "płaca 4806")
        XCTAssertEqual(try reason(engine, "2030-06-01").reason, "płaca 4806")
        XCTAssertEqual(try reason(engine, "2025-01-01").reason, "płaca 4666")
        // values are kept per date: coming back to a date, and alternating, still gives each its own
        for _ in 0..<2 {
            XCTAssertEqual(try reason(engine, "2026-01-01").reason, "płaca 4806")
            XCTAssertEqual(try reason(engine, "2025-12-31").reason, "płaca 4666")
        }
    }

    func testDateBeforeFirstValueIsAnErrorThatSaysSo() throws {
        let t = try TempRules(files)
        let engine = try Engine(rulesDirectory: t.dir, language: .en)
        let c = try reason(engine, "2024-12-31")
        XCTAssertEqual(c.outcome, .error)
        XCTAssertTrue(c.reason!.contains("nie ma wartości obowiązującej 2024-12-31 (pierwsza wartość obowiązuje od 2025-01-01)"), c.reason!)
        let en = try XCTUnwrap(engine.eval(#"{"kind":"person"}"#, asOf: "2024-12-31", lang: .en).result("wage")?.criteria.first)
        XCTAssertTrue(en.reason!.contains("no value in force on 2024-12-31"), en.reason!)
        XCTAssertTrue(c.reason!.contains("2025-01-01"), c.reason!)
    }

    func testAsOfComesFromProfileThenOption() throws {
        let t = try TempRules(files)
        let engine = try Engine(rulesDirectory: t.dir, language: .en)
        let ev = try engine.eval(#"{"kind":"person","as_of":"2025-06-01"}"#)
        XCTAssertEqual(ev.asOf, "2025-06-01")
        XCTAssertEqual(ev.asOfSource, "profile")
        let ev2 = try engine.eval(#"{"kind":"person","as_of":"2025-06-01"}"#, asOf: "2026-02-01")
        XCTAssertEqual(ev2.asOf, "2026-02-01")
        XCTAssertEqual(ev2.result("wage")?.criteria.first?.reason, "płaca 4806")
    }

    func testParameterFileErrors() throws {
        let t = try TempRules([
            "parameters/bad.lua": """
            parameter "x" {
              basis = "b",
              { from = "2025-01-01", value = 1 },
              { from = "2024-01-01", value = 2 },
            }
            """,
            "parameters/bad2.lua": """
            parameter "y" { basis = "b", { form = "2025-01-01", value = 1 } }
            """,
        ])
        XCTAssertThrowsError(try Engine(rulesDirectory: t.dir, language: .en)) { e in
            guard case KryteriaError.brokenRuleset(let ds) = e else { return XCTFail("\(e)") }
            XCTAssertEqual(ds.count, 2, "\(ds)")
            XCTAssertTrue(ds.contains { $0.file.hasSuffix("parameters/bad.lua") && $0.line == 1 && $0.message.contains("date order") }, "\(ds)")
            XCTAssertTrue(ds.contains { $0.file.hasSuffix("parameters/bad2.lua") && $0.message.contains("did you mean 'from'") }, "\(ds)")
        }
    }

    /// Every problem of a parameter file is worded in the language asked for (Polish by default).
    func testParameterFileErrorsInPolish() throws {
        let t = try TempRules([
            // one file each: a file stops at its first problem
            "parameters/a.lua": #"parameter "x" { basis = "b", { from = "2025-13-01", value = 1 } }"#,
            "parameters/b.lua": #"parameter "y" { basis = "b", { from = "2025-01-01" } }"#,
            "parameters/c.lua": #"parameter "z" { basis = "b" }"#,
            "parameters/d.lua": #"parameter "w" { basis = "b", { from = "2025-01-01", value = 1, programme = "FELD" }, { from = "2024-01-01", value = 2, programme = "FELD" } }"#,
        ])
        func words(_ lang: Language) -> [String] {
            var got: [String] = []
            XCTAssertThrowsError(try Engine(rulesDirectory: t.dir, strict: true, language: lang)) { e in
                guard case KryteriaError.brokenRuleset(let ds) = e else { return XCTFail("\(e)") }
                got = ds.map(\.message)
            }
            return got
        }
        XCTAssertEqual(words(.pl), [
            "parametr 'x': wartość 1 potrzebuje from = \"RRRR-MM-DD\" (istniejącej daty), jest 2025-13-01",
            "parametr 'y': wartość 1 nie ma value",
            "parametr 'z' nie ma żadnej wartości",
            "parametr 'w': wartości programu FELD muszą iść w kolejności dat (2024-01-01 po 2025-01-01)",
        ])
        XCTAssertEqual(words(.en).first, "parameter 'x': value 1 needs from = \"YYYY-MM-DD\", found 2025-13-01")
    }

    /// Mistakes a rule author makes in dated values, each refused at the line of the value: ranges
    /// that overlap or end before they start, a decimal comma, an amount written as text, an unknown
    /// confidence, a blank legal basis.
    func testDatedValuesThatContradictOrMisleadAreRefusedAtTheirLine() throws {
        let cases: [(String, Int, String)] = [
            ("""
             parameter "a" { unit = "zł", basis = "b",
               { from = "2025-01-01", ["until"] = "2026-06-30", value = 1 },
               { from = "2026-01-01", value = 2 },
             }
             """, 3, "parametr 'a': wartości nakładają się (jedna obowiązuje do 2026-06-30, następna od 2026-01-01)"),
            ("""
             parameter "a" { unit = "zł", basis = "b",
               { from = "2026-01-01", ["until"] = "2025-01-01", value = 1 },
             }
             """, 2, "parametr 'a': wartość 1 obowiązuje do 2025-01-01, a więc przed swoim początkiem 2026-01-01"),
            ("""
             parameter "a" { unit = "zł", basis = "b",
               { from = "2025-01-01", value = 1 },
               { from = "2026-01-01", value = 4806,50 },
             }
             """, 3, "parametr 'a': wartość 2: liczba z przecinkiem dziesiętnym? W Lua część ułamkową oddziela kropka: value = 4806.50"),
            ("""
             parameter "a" { unit = "zł", basis = "b",
               { from = "2026-01-01", value = "4 806,00" },
             }
             """, 2, "parametr 'a': wartość 1: jednostka to zł, więc value musi być liczbą (bez cudzysłowu, z kropką dziesiętną), jest \"4 806,00\""),
            ("""
             parameter "a" { unit = "zł", basis = "b",
               { from = "2026-01-01", value = 1, confidence = "X" },
             }
             """, 2, "parametr 'a': wartość 1: confidence to \"C\" (potwierdzone) albo \"M\" (niezweryfikowane), jest \"X\""),
            ("""
             parameter "a" { unit = "zł", basis = "  ",
               { from = "2026-01-01", value = 1 },
             }
             """, 1, "parametr 'a': brakuje basis (źródła prawnego)"),
        ]
        for (text, line, message) in cases {
            let t = try TempRules(["parameters/p.lua": text])
            XCTAssertThrowsError(try Engine(rulesDirectory: t.dir)) { e in
                guard case KryteriaError.brokenRuleset(let ds) = e else { return XCTFail("\(e)") }
                XCTAssertEqual(ds.first?.line, line, "\(ds)")
                XCTAssertEqual(ds.first?.message, message)
            }
        }
        // a blank basis of a criterion is no basis either
        let t = try TempRules(["r.lua": personRule("r", "    return true").replacingOccurrences(of: "basis = \"art. 1\"", with: "basis = \"\"")])
        XCTAssertThrowsError(try Engine(rulesDirectory: t.dir)) { e in
            guard case KryteriaError.brokenRuleset(let ds) = e else { return XCTFail("\(e)") }
            XCTAssertTrue(ds.first?.message.contains("brakuje basis (podstawy prawnej)") == true, "\(ds)")
        }
    }

    func testLabelsQuoteTheParameterInForceWithPluralForms() throws {
        let t = try TempRules([
            "parameters/staff.lua": """
            parameter "min_staff" {
              unit = "", basis = "ustawa",
              { from = "2025-01-01", value = 3 },
              { from = "2026-01-01", value = 5 },
              { from = "2027-01-01", value = 22 },
            }
            """,
            "staff.lua": """
            rule "staff" { applies_to = "person", title = { pl = "Kadra", en = "Staff" }, basis = "test" }
            criterion "S-1" {
              basis = "art. 1",
              pl = "Co najmniej {min_staff|osoba|osoby|osób} zatrudnione",
              en = "At least {min_staff|person|people} employed",
              check = function(p) return true end,
            }
            """,
        ])
        let engine = try Engine(rulesDirectory: t.dir)
        func label(_ date: String, _ lang: Language = .pl) throws -> String {
            try XCTUnwrap(engine.eval(#"{"kind":"person"}"#, asOf: date, lang: lang).result("staff")?.criteria.first?.label)
        }
        XCTAssertEqual(try label("2025-06-01"), "Co najmniej 3 osoby zatrudnione")
        XCTAssertEqual(try label("2026-06-01"), "Co najmniej 5 osób zatrudnione")
        XCTAssertEqual(try label("2027-06-01"), "Co najmniej 22 osoby zatrudnione")
        XCTAssertEqual(try label("2026-06-01", .en), "At least 5 people employed")
        // before the first value: the label says so, it never guesses a number
        XCTAssertEqual(try label("2024-06-01"), "Co najmniej [brak wartości min_staff] osób zatrudnione")
    }

    /// Numbers written in words are remembered per language and number of decimals: the same
    /// amount in both languages and at two precisions, alternately, in one engine.
    /// A one-criterion person rule whose check is `check` (Lua), loaded once: the returned function
    /// evaluates it (in the same engine, as often as asked) and gives the criterion's reason in a language.
    func probe(_ check: String, rule id: String = "probe") throws -> (Language) throws -> String {
        let t = try TempRules(["\(id).lua": """
            rule "\(id)" { applies_to = "person", title = { pl = "Próba", en = "Probe" }, basis = "test" }
            criterion "P-1" {
              basis = "art. 1", pl = "x",
              check = function(p)
            \(check)
              end,
            }
            """])
        let engine = try Engine(rulesDirectory: t.dir)
        return { lang in
            _ = t   // the rules folder lives as long as the function
            return try XCTUnwrap(engine.eval(#"{"kind":"person"}"#, asOf: "2025-06-01", lang: lang).result(id)?.criteria.first?.reason)
        }
    }
    func reasonOf(_ check: String, _ lang: Language) throws -> String { try probe(check)(lang) }

    func testRememberedNumbersKeepTheirLanguageAndDecimals() throws {
        let reason = try probe("return pass(money(1240.5) .. ' | ' .. num(1234.56) .. ' | ' .. num(1234.56, 1))")
        for _ in 0..<2 {
            XCTAssertEqual(try reason(.pl), "1 240,50 zł | 1 234,56 | 1 234,6")
            XCTAssertEqual(try reason(.en), "PLN 1,240.50 | 1,234.56 | 1,234.6")
        }
    }

    /// A text with values, { pl = "...%d...", en = "...%d...", v }, is formatted in the language of the
    /// evaluation only; the other language's text is never made (its format would fail here), and
    /// the same form works for the what of at_least and for verdict's two texts.
    func testATextWithValuesIsFormattedInOneLanguageOnly() throws {
        let t = try TempRules([
            "texts.lua": """
            rule "texts" { applies_to = "person", title = { pl = "Teksty", en = "Texts" }, basis = "test" }
            criterion "T-1" {
              basis = "art. 1", pl = "x",
              check = function(p) return pass { pl = "złożono %s, %d osób", en = "filed on %s, %q people", "2025-01-01", 7 } end,
            }
            criterion "T-2" {
              basis = "art. 2", pl = "y",
              check = function(p) return at_least(2, 3, { pl = "zatrudnionych (%s)", en = "employed (%s)", num(1234.5) }) end,
            }
            criterion "T-3" {
              basis = "art. 3", pl = "z",
              check = function(p) return verdict(false, { pl = "%d", en = "%d", "nie liczba" }, { pl = "nie: %s", en = "no: %s", "x%" }) end,
            }
            """,
        ])
        let engine = try Engine(rulesDirectory: t.dir)
        func reasons(_ lang: Language) throws -> [String?] {
            try XCTUnwrap(engine.eval(#"{"kind":"person"}"#, asOf: "2025-06-01", lang: lang).result("texts")).criteria.map(\.reason)
        }
        XCTAssertEqual(try reasons(.pl), ["złożono 2025-01-01, 7 osób",
                                          "zatrudnionych (1 234,5): 2, wymagane co najmniej 3 (brakuje 1)", "nie: x%"])
        XCTAssertEqual(try reasons(.en), ["filed on 2025-01-01, 7 people",
                                          "employed (1,234.5): 2, at least 3 required (1 short)", "no: x%"])
    }

    /// Texts a rule file keeps at file level are frozen when it loads (read-only views); their words
    /// still reach every reason, assumption, n/a text and the what of at_least, in both languages,
    /// instead of silently falling back to the criterion's label or to "wartość".
    func testTextsKeptAtFileLevelKeepTheirWords() throws {
        let t = try TempRules([
            "kept.lua": """
            rule "kept" { applies_to = "person", title = { pl = "Stałe", en = "Kept" }, basis = "test" }
            local OK = { pl = "dobrze", en = "fine" }
            local WHAT = { pl = "pracownicy", en = "staff" }
            local DATED = { pl = "złożono %s", en = "filed on %s", "2025-01-01" }
            local ASSUME = { pl = "ZAŁOŻENIE: tak", en = "ASSUMPTION: yes" }
            local NA = { pl = "nie dotyczy: nie", en = "not applicable: no" }
            criterion "K-1" { basis = "a", pl = "jeden", assumption = ASSUME, check = function(p) return pass(OK) end }
            criterion "K-2" { basis = "b", pl = "dwa", check = function(p) return at_least(0, 1, WHAT) end }
            criterion "K-3" { basis = "c", pl = "trzy", check = function(p) return fail(DATED) end }
            criterion "K-4" { basis = "d", pl = "cztery", applies = function(p) return false end, na = NA,
              check = function(p) return true end }
            criterion "K-5" { basis = "e", pl = "pięć", check = function(p) return verdict(true, OK, WHAT) end }
            """,
        ])
        let engine = try Engine(rulesDirectory: t.dir)
        func criteria(_ lang: Language) throws -> [CriterionResult] {
            try XCTUnwrap(engine.eval(#"{"kind":"person"}"#, asOf: "2025-06-01", lang: lang).result("kept")).criteria
        }
        XCTAssertEqual(try criteria(.pl).map(\.reason), ["dobrze", "pracownicy: 0, wymagane co najmniej 1 (brakuje 1)",
                                                          "złożono 2025-01-01", "nie dotyczy: nie", "dobrze"])
        XCTAssertEqual(try criteria(.en).map(\.reason), ["fine", "staff: 0, at least 1 required (1 short)",
                                                          "filed on 2025-01-01", "not applicable: no", "fine"])
        XCTAssertEqual(try criteria(.pl).first?.assumption, "ZAŁOŻENIE: tak")
        XCTAssertEqual(try criteria(.en).first?.assumption, "ASSUMPTION: yes")
    }

    /// Thousands are grouped from tables below a million and by the general path above it; both
    /// give the same words, in both languages, around the edges (999, 1 000, 999 999,995 -> a million).
    func testNumbersAroundTheThousandsAndAMillion() throws {
        let check = """
            return pass(table.concat({ money(999.999), money(1000), money(1234.5), money(999999.995), money(1234567.891),
              money(-45000.1), num(999), num(1000), num(-12345.5), num(1000000), num(1234567.25), num(0.5) }, " | "))
            """
        XCTAssertEqual(try reasonOf(check, .pl), "1 000,00 zł | 1 000,00 zł | 1 234,50 zł | 1 000 000,00 zł | 1 234 567,89 zł | -45 000,10 zł | "
                       + "999 | 1 000 | -12 345,5 | 1 000 000 | 1 234 567,25 | 0,5")
        XCTAssertEqual(try reasonOf(check, .en), "PLN 1,000.00 | PLN 1,000.00 | PLN 1,234.50 | PLN 1,000,000.00 | PLN 1,234,567.89 | PLN -45,000.10 | "
                       + "999 | 1,000 | -12,345.5 | 1,000,000 | 1,234,567.25 | 0.5")
    }

    /// oneof with one to five choices: the first three are compared directly, more through select.
    func testOneofWithFewAndManyChoices() throws {
        let check = """
            local r = {
              oneof("a", "a"), oneof("b", "a"), oneof("b", "a", "b"), oneof("c", "a", "b", "c"), oneof("d", "a", "b", "c"),
              oneof("e", "a", "b", "c", "d", "e"), oneof("f", "a", "b", "c", "d", "e"), oneof(nil, "a"), oneof("d", "a", "b", "c", "d"),
            }
            for i = 1, #r do r[i] = tostring(r[i]) end
            return pass(table.concat(r, " "))
            """
        XCTAssertEqual(try reasonOf(check, .pl), "true false true true false true false false true")
    }
}
