import XCTest

/// `kryteria check` and `kryteria test` as a consultant uses them, through the real binary.
final class CheckTests: XCTestCase {
    func testReportOfAPlaygroundEnterprise() throws {
        let r = try kryteria(["check", "--rules", repoRoot + "/Rules", "--rule", "ps-status",
                              repoRoot + "/Playground/profiles/pes-002.json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.out.contains("Fundacja Warmińska Przystań"), r.out)
        XCTAssertTrue(r.out.contains("Status przedsiębiorstwa społecznego: NIE SPEŁNIA"), r.out)
        XCTAssertTrue(r.out.contains("✗ PS-05  zatrudnionych na min. 1/2 etatu: 2, wymagane co najmniej 3 (brakuje 1)  · art. 5 ust. 1"), r.out)
        XCTAssertFalse(r.out.contains("\u{1B}["), "no colour when piped")
        let en = try kryteria(["check", "--rules", repoRoot + "/Rules", "--rule", "ps-status", "--lang", "en",
                               repoRoot + "/Playground/profiles/pes-002.json"])
        XCTAssertTrue(en.out.contains("Social enterprise status: NOT ELIGIBLE"), en.out)
    }

    /// -o takes the report (text or JSON) to a file; nothing to check is said, not passed over.
    func testOutputToAFileAndNothingToCheck() throws {
        let dir = try temporaryFolder(self)
        let out = dir.appendingPathComponent("raporty/os-901.txt")
        let r = try kryteria(["check", "Playground/profiles/os-901.json", "-o", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.out, "")
        XCTAssertTrue(try String(contentsOf: out, encoding: .utf8).hasPrefix("Jan Nowak, Braniewo (os-901) · osoba · stan na 2025-06-01"))
        let j = try kryteria(["check", "--json", "Playground/profiles/os-901.json", "-o", out.path])
        XCTAssertEqual(j.status, 0)
        XCTAssertEqual(jsonObject(try String(contentsOf: out, encoding: .utf8))?["id"] as? String, "os-901")
        let empty = dir.appendingPathComponent("pusty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let none = try kryteria(["check", empty.path])
        XCTAssertEqual(none.status, 2)
        XCTAssertEqual(none.stderr, "kryteria check: brak profili do sprawdzenia w: \(empty.path)\n")
    }

    /// A value outside a field's list of codes: the report lists the codes with their words.
    func testAWrongCodeIsExplainedWithTheWordsOfTheCodes() throws {
        let dir = try temporaryFolder(self)
        let f = dir.appendingPathComponent("os.json")
        try write(#"{"kind": "person", "id": "os", "labour_status": "bezrobotny"}"#, f)
        let r = try kryteria(["check", f.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.out.contains("      wartości: osoba pracująca (employed), osoba bezrobotna (unemployed), osoba poszukująca pracy (job_seeker), osoba bierna zawodowo (inactive)\n"), r.out)
    }

    /// A scoring sheet only adds up points: it is shown by them, never as "SPEŁNIA" beside an
    /// application that is not eligible.
    func testAScoringSheetIsShownByItsPoints() throws {
        let r = try kryteria(["check", "Playground/profiles/wn-2025-002.json"])
        XCTAssertTrue(r.out.contains("  Przykładowa karta oceny: tworzenie miejsc pracy (OWES): punkty 0\n"), r.out)
        XCTAssertFalse(r.out.contains("SPEŁNIA · punkty"), r.out)
        let html = try kryteria(["check", "Playground/profiles/wn-2025-002.json", "--format", "html"])
        XCTAssertTrue(html.out.contains("karta punktowa"), html.out)
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

    /// Where a value comes from: a centre's override with its own basis, a value marked unverified
    /// ("M"), a regional programme's value — in the listing and in its JSON.
    func testRulesShowsWhereEachValueComesFrom() throws {
        let dir = try temporaryFolder(self)
        let rules = dir.appendingPathComponent("Rules")
        try FileManager.default.copyItem(atPath: repoRoot + "/Rules", toPath: rules.path)
        try write("""
        override "minimum_wage" {
          basis = "uchwała zarządu OWES nr 5/2026",
          { from = "2027-01-01", value = 5100, confidence = "M" },
        }
        """, rules.appendingPathComponent("local/centrum.lua"))
        let r = try kryteria(["rules", "--rules", rules.path, "--as-of", "2027-02-01"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let line = r.out.split(separator: "\n").first { $0.hasPrefix("  minimum_wage ") }.map(String.init) ?? ""
        XCTAssertTrue(line.contains("5100 zł/miesiąc  od 2027-01-01 · uchwała zarządu OWES nr 5/2026 (niezweryfikowane) · wartość ośrodka, "), line)
        XCTAssertTrue(r.out.contains("average_wage_enterprise_annual") && r.out.contains("w poprzednim roku (niezweryfikowane)"), r.out)
        XCTAssertTrue(r.out.contains("    program FELD: 35 212 zł/miejsce pracy  od 2024-05-17"), r.out)
        let j = try kryteria(["rules", "--rules", rules.path, "--as-of", "2027-02-01", "--json"])
        let doc = try XCTUnwrap(jsonObject(j.out.replacingOccurrences(of: "\n", with: " ")))
        let mw = try XCTUnwrap((doc["parameters"] as? [[String: Any]])?.first { $0["name"] as? String == "minimum_wage" })
        XCTAssertEqual(mw["basis"] as? String, "uchwała zarządu OWES nr 5/2026")
        XCTAssertEqual(mw["unverified"] as? Bool, true)
        XCTAssertEqual(mw["label"] as? String, "Minimalne wynagrodzenie za pracę")
        XCTAssertTrue((mw["overridden_at"] as? String ?? "").contains("centrum.lua:1"), "\(mw)")
    }

    /// A criterion's label names a parameter: `rules --as-of` fills it with the value of that day, not today's.
    func testRulesFillsLabelsWithTheParametersOfTheDateAsked() throws {
        let dir = try temporaryFolder(self)
        let rules = dir.appendingPathComponent("Rules")
        try FileManager.default.copyItem(atPath: repoRoot + "/Rules", toPath: rules.path)
        let f = rules.appendingPathComponent("parameters/ps.lua")
        let text = try String(contentsOf: f, encoding: .utf8)
        let changed = text.replacingOccurrences(of: "{ from = \"2022-10-30\", value = 3 },",
                                                with: "{ from = \"2022-10-30\", value = 3 },\n  { from = \"2027-01-01\", value = 5 },")
        XCTAssertNotEqual(changed, text)
        try changed.write(to: f, atomically: true, encoding: .utf8)
        for (date, label) in [("2026-12-31", "Co najmniej 3 osoby na umowę"), ("2027-01-01", "Co najmniej 5 osób na umowę")] {
            let r = try kryteria(["rules", "--rules", rules.path, "--as-of", date])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.out.contains("PS-05    " + label), "\(date): \(r.out)")
            let j = try kryteria(["rules", "--rules", rules.path, "--as-of", date, "--json", "--rule", "ps-status"])
            XCTAssertTrue(j.out.contains(label), "\(date): \(j.out)")
        }
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
        XCTAssertTrue(missing.stderr.contains("none.json: nie ma takiego pliku"), missing.stderr)
        let missingEn = try kryteria(["check", "--rules", repoRoot + "/Rules", "--lang", "en", dir.appendingPathComponent("none.json").path])
        XCTAssertTrue(missingEn.stderr.contains("none.json: no such file\n"), missingEn.stderr)
        let badDate = try kryteria(["check", "--as-of", "2025-02-30", bad.path])
        XCTAssertEqual(badDate.status, 2)
        // the argument parser's own complaints in Polish too (English with --lang en)
        let noFiles = try kryteria(["check"])
        XCTAssertEqual(noFiles.status, 2)
        XCTAssertTrue(noFiles.stderr.hasPrefix("Błąd: brakuje argumentu '<files> ...'\nPomoc: "), noFiles.stderr)
        let badLang = try kryteria(["check", "--lang", "de", bad.path])
        XCTAssertTrue(badLang.stderr.hasPrefix("Błąd: wartość 'de' jest niepoprawna dla '--lang <lang>'. Podaj jedną z wartości: 'pl' albo 'en'.\n"),
                      badLang.stderr)
        let noFilesEn = try kryteria(["check", "--lang", "en"])
        XCTAssertTrue(noFilesEn.stderr.hasPrefix("Error: Missing expected argument '<files> ...'"), noFilesEn.stderr)
        let nowhere = dir.appendingPathComponent("nowhere").path
        let noRules = try kryteria(["check", "--rules", nowhere, bad.path])
        XCTAssertEqual(noRules.status, 2)
        XCTAssertEqual(noRules.stderr, "kryteria: nie ma folderu reguł \(nowhere) (wskaż go opcją --rules)\n")
        let noRulesEn = try kryteria(["check", "--rules", nowhere, "--lang", "en", bad.path])
        XCTAssertEqual(noRulesEn.stderr, "kryteria: rules folder not found: \(nowhere) (give it with --rules)\n")
        let unknownRule = try kryteria(["check", "--rules", repoRoot + "/Rules", "--rule", "ps-statu", bad.path])
        XCTAssertEqual(unknownRule.status, 2)
        XCTAssertTrue(unknownRule.stderr.contains("nieznana reguła: ps-statu"), unknownRule.stderr)
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
        XCTAssertEqual((objs[1]["error"] as? [String: Any])?["message"] as? String,
                       "wiersz 2, kolumna 27: przecinek przed '}' jest niedozwolony")
        XCTAssertTrue(r.stderr.contains("mixed.jsonl:2:27: błędny JSON: przecinek przed '}' jest niedozwolony"), r.stderr)
    }

    /// A profile written over several lines with one typo is one broken JSON text, not JSON Lines: one
    /// error at its line and column in the file, in the consultant's language.
    func testAPrettyPrintedProfileWithATypoIsPlacedInTheFile() throws {
        let dir = try temporaryFolder(self)
        let f = dir.appendingPathComponent("os-1.json")
        try write("{\n  \"kind\": \"person\",\n  \"id\": \"os-1\",\n  \"homeless\": tru,\n  \"refugee\": false\n}\n", f)
        let r = try kryteria(["check", "--rules", repoRoot + "/Rules", f.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr.split(separator: "\n").filter { $0.contains("os-1.json") },
                       ["\(f.path):4:15: błędny JSON: niepoprawna wartość 'tru' (oczekiwano wartości: obiektu, tablicy, tekstu, liczby, true, false lub null)"],
                       r.stderr)
        let en = try kryteria(["check", "--rules", repoRoot + "/Rules", "--lang", "en", "--json", f.path])
        XCTAssertEqual(en.status, 1)
        let obj = try XCTUnwrap(en.lines.compactMap(jsonObject).first, en.out)
        XCTAssertNil(obj["line"], "one text, not a line of JSON Lines")
        XCTAssertEqual((obj["error"] as? [String: Any])?["message"] as? String,
                       "line 4, column 15: invalid literal 'tru' (expected a value: an object, array, string, number, true, false or null)")
        // an array of profiles with a typo in one, or an empty place (two commas): that one placed in
        // the file and named, the others still checked
        let arrays = [
            ("all.json", "[\n  {\"kind\": \"person\", \"id\": \"a\"},\n  {\"kind\": \"person\", \"id\": tru}, {\"kind\": \"person\", \"id\": \"c\"}\n]\n",
             ":3:28: błędny JSON: niepoprawna wartość 'tru'"),
            ("gap.json", "[{\"kind\": \"person\", \"id\": \"a\"},\n , {\"kind\": \"person\", \"id\": \"c\"}]\n",
             ":2:2: błędny JSON: pusty element tablicy"),
        ]
        for (name, text, said) in arrays {
            let a = dir.appendingPathComponent(name)
            try write(text, a)
            let ra = try kryteria(["check", "--rules", repoRoot + "/Rules", "--json", a.path])
            XCTAssertEqual(ra.status, 1)
            XCTAssertTrue(ra.stderr.contains(a.path + said), ra.stderr)
            XCTAssertEqual(ra.lines.compactMap(jsonObject).map { $0["id"] as? String ?? "?" }, ["a", "?", "c"], ra.out)
        }
    }

    /// A copy of the shipped rules with a comma missing at the end of line 30 of ps-status.lua.
    func brokenRules() throws -> String {
        let dir = try temporaryFolder(self)
        let rules = dir.appendingPathComponent("Rules")
        try FileManager.default.copyItem(atPath: repoRoot + "/Rules", toPath: rules.path)
        let f = rules.appendingPathComponent("ps-status.lua")
        var lines = try String(contentsOf: f, encoding: .utf8).components(separatedBy: "\n")
        XCTAssertTrue(lines[29].hasSuffix("\","), lines[29])
        lines[29].removeLast()
        try lines.joined(separator: "\n").write(to: f, atomically: true, encoding: .utf8)
        return rules.path
    }

    func testEveryCommandRefusesABrokenRuleset() throws {
        let rules = try brokenRules()
        let profile = repoRoot + "/Playground/profiles/pes-002.json"
        for args in [["check", profile], ["check", "--json", profile], ["batch", repoRoot + "/Playground/applications.jsonl"],
                     ["diff", repoRoot + "/Playground/applications.jsonl", "--against", repoRoot + "/Rules"],
                     ["rules"], ["test", rules], ["batch", "--format", "csv", profile]] {
            let r = try kryteria([args[0], "--rules", rules] + args.dropFirst())
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertFalse(r.out.contains("ps-status"), "\(args) printed results: \(r.out)")
            // the cause, where the comma is missing, in Polish, with the code underlined
            XCTAssertTrue(r.stderr.contains("ps-status.lua:30:"), "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("brakuje przecinka na końcu tej linii"), "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("^"), r.stderr)
        }
        // a rule that calls the broken one is reported once, as a consequence, not as an unknown rule
        let r = try kryteria(["check", "--rules", rules, profile])
        XCTAssertFalse(r.stderr.contains("nieznana reguła"), r.stderr)
        XCTAssertTrue(r.stderr.contains("nie została wczytana, bo plik"), r.stderr)
        let en = try kryteria(["check", "--lang", "en", "--rules", rules, profile])
        XCTAssertTrue(en.stderr.contains("a comma is missing at the end of this line"), en.stderr)
        XCTAssertTrue(en.stderr.contains("nothing was evaluated"), en.stderr)
    }

    func testSkipBrokenIsExplicitAndEveryOutputNamesWhatWasLeftOut() throws {
        let rules = try brokenRules()
        let person = repoRoot + "/Playground/profiles/os-901.json"
        let r = try kryteria(["check", "--rules", rules, "--skip-broken", person])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.out.contains("Osoba zagrożona wykluczeniem społecznym: SPEŁNIA"), r.out)
        XCTAssertTrue(r.out.contains("pominięto uszkodzone pliki reguł"), r.out)
        XCTAssertTrue(r.out.contains("ps-status.lua"), r.out)
        let j = try kryteria(["check", "--json", "--rules", rules, "--skip-broken", person])
        let obj = try JSONSerialization.jsonObject(with: Data(j.out.utf8)) as? [String: Any]
        let skipped = obj?["skipped"] as? [String] ?? []
        XCTAssertTrue(skipped.contains { $0.hasSuffix("ps-status.lua") }, j.out)
        // rules that depend on the broken one are left out too, and named
        XCTAssertTrue(skipped.contains { $0.hasSuffix("owes-job-creation.lua") }, j.out)
        let b = try kryteria(["batch", "--rules", rules, "--skip-broken", repoRoot + "/Playground/people.jsonl"])
        XCTAssertEqual(b.status, 0, b.stderr)
        for line in b.out.split(separator: "\n") { XCTAssertTrue(line.contains("\"skipped\":["), String(line)) }
        let csv = try kryteria(["batch", "--rules", rules, "--skip-broken", "--format", "csv", repoRoot + "/Playground/people.jsonl"])
        for line in csv.out.split(separator: "\n").dropFirst() {
            XCTAssertTrue(line.contains("pominięto uszkodzone pliki reguł:"), String(line))
        }
        // without broken files nothing is said
        let ok = try kryteria(["check", "--json", "--rules", repoRoot + "/Rules", person])
        XCTAssertFalse(ok.out.contains("skipped"), ok.out)
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
            XCTAssertTrue((loops?["error"] as? String ?? "").contains("przekroczono limit instrukcji"), "\(o)")
            XCTAssertEqual(results.first { $0["rule"] as? String == "fine" }?["outcome"] as? String, "eligible")
        }
    }

    func testRuleTestsCommand() throws {
        let ok = try kryteria(["test", repoRoot + "/Rules", "--coverage"])
        XCTAssertEqual(ok.status, 0, ok.out)
        XCTAssertTrue(ok.out.contains("pokrycie: każde kryterium było w testach spełnione i niespełnione"), ok.out)
        XCTAssertNotNil(ok.out.range(of: #"testy: \d+ zaliczon\w+, 0 niezaliczonych"#, options: .regularExpression), ok.out)
        let en = try kryteria(["test", repoRoot + "/Rules", "--lang", "en"])
        XCTAssertNotNil(en.out.range(of: #"tests: \d+ passed, 0 failed"#, options: .regularExpression), en.out)

        let dir = try temporaryFolder(self)
        let rules = dir.appendingPathComponent("Rules")
        try FileManager.default.copyItem(atPath: repoRoot + "/Rules", toPath: rules.path)
        let ps = rules.appendingPathComponent("parameters/ps.lua")
        let text = try String(contentsOf: ps, encoding: .utf8)
        try write(text.replacingOccurrences(of: "{ from = \"2022-10-30\", value = 0.30 },", with: "{ from = \"2022-10-30\", value = 0.40 },"), ps)
        let failing = try kryteria(["test", rules.path])
        XCTAssertEqual(failing.status, 1)
        XCTAssertTrue(failing.out.contains("NIEZALICZONY "), failing.out)
        XCTAssertTrue(failing.out.contains("reguła ps-status"), failing.out)
        XCTAssertTrue(failing.out.contains("    oczekiwano: eligible\n    jest:       ineligible\n"), failing.out)
        let failingEn = try kryteria(["test", rules.path, "--lang", "en"])
        XCTAssertTrue(failingEn.out.contains("FAIL ") && failingEn.out.contains("  rule ps-status"), failingEn.out)
        XCTAssertTrue(failing.out.contains("wymagane co najmniej 40%"), failing.out)
    }
}
