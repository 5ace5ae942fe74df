import Foundation
import XCTest

/// `kryteria repl`, driven as a user would: through a pipe, with rules edited on disk
/// between commands, and under a pseudo-terminal (tmux) for the prompt, completion and
/// history.
final class ReplTests: XCTestCase {

    // MARK: fixtures

    private static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// The built `kryteria`: `KRYTERIA_BIN`, else the one next to this test bundle, else
    /// the newest of repoRoot/.build*/debug/kryteria.
    private static let binary: String? = {
        let fm = FileManager.default
        if let b = ProcessInfo.processInfo.environment["KRYTERIA_BIN"], fm.isExecutableFile(atPath: b) { return b }
        var near: [URL] = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        if let e = Bundle.main.executableURL { near.append(e.deletingLastPathComponent()) }
        near.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for dir in near {
            let b = dir.appendingPathComponent("kryteria").path
            if fm.isExecutableFile(atPath: b) { return b }
        }
        let builds = (try? fm.contentsOfDirectory(atPath: root.path))?.filter { $0.hasPrefix(".build") } ?? []
        let found = builds.map { root.appendingPathComponent($0).appendingPathComponent("debug/kryteria").path }
            .filter { fm.isExecutableFile(atPath: $0) }
        func mtime(_ p: String) -> Date { ((try? fm.attributesOfItem(atPath: p))?[.modificationDate] as? Date) ?? .distantPast }
        return found.max { mtime($0) < mtime($1) }
    }()

    private var tmp: URL!

    override func setUpWithError() throws {
        guard Self.binary != nil else { throw XCTSkip("no built kryteria binary (set KRYTERIA_BIN)") }
        tmp = FileManager.default.temporaryDirectory.appendingPathComponent("kryteria-repl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let tmp { try? FileManager.default.removeItem(at: tmp) }
    }

    /// A person in the style of the Playground profiles, with labour-market data left out.
    private static let person = """
    {
      "kind": "person",
      "id": "repl-t1",
      "name": "Anna Próbna",
      "as_of": "2025-03-01",
      "birth_date": "1990-05-01",
      "disability": "none",
      "disability_kinds": [],
      "mental_disorder": false,
      "homeless": false,
      "cis_kis_graduate": false,
      "special_care_allowance": false,
      "leaving_foster_care": false,
      "prison": "none",
      "refugee": false,
      "addiction_after_therapy": false,
      "social_assistance": false,
      "household_size": 4,
      "benefits": []
    }
    """

    private func write(_ text: String, _ name: String) throws -> String {
        let url = tmp.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// Runs the binary with `input` on stdin; stdout and stderr apart and merged in order.
    private func run(_ args: [String], input: String = "", env: [String: String] = [:]) throws
        -> (out: String, err: String, status: Int32) {
        let inFile = try write(input, "stdin-\(UUID().uuidString).txt")
        let outURL = tmp.appendingPathComponent("out-\(UUID().uuidString)")
        let errURL = tmp.appendingPathComponent("err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary!)
        p.arguments = args
        p.currentDirectoryURL = Self.root
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment["KRYTERIA_HISTORY"] = tmp.appendingPathComponent("history").path
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        p.standardInput = FileHandle(forReadingAtPath: inFile)
        p.standardOutput = try FileHandle(forWritingTo: outURL)
        p.standardError = try FileHandle(forWritingTo: errURL)
        try p.run()
        let deadline = Date().addingTimeInterval(60)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        if p.isRunning {
            p.terminate()
            XCTFail("kryteria \(args) did not finish in 60 s")
        }
        p.waitUntilExit()
        return (try String(contentsOf: outURL, encoding: .utf8), try String(contentsOf: errURL, encoding: .utf8), p.terminationStatus)
    }

    // MARK: (a) a scripted session through a pipe

    func testScriptedSession() throws {
        let profile = try write(Self.person, "anna.json")
        let saved = tmp.appendingPathComponent("saved.json").path
        let script = """
        load \(profile)
        missing
        set labour_status unemployed
        set unemployed_days_last_24_months 400
        set labour_status bogus
        set household_size "four"
        set employees[3].fte 0.5
        set disability_kinds[3] autism
        p.labour_status
        why per-03b
        whatif labour_status=employed unemployed_days_last_24_months=10
        p.unemployed_days_last_24_months
        age(p.birth_date)
        p.no_such_field + 1
        error("boom")
        20 + 22
        show labour_status
        unset household_size
        save \(saved)
        quit
        1 + 1
        """
        let r = try run(["repl"], input: script)
        let out = r.out, err = r.err

        // no prompt or banner when stdin is not a terminal
        XCTAssertFalse(out.contains("kryteria>"), out)
        XCTAssertFalse(out.contains("Kryteria REPL"), out)
        XCTAssertTrue(out.hasPrefix("wczytano \(profile): osoba · repl-t1"), out)

        // missing: per rule, the fields to ask for, with the criteria that need them
        let missingPart = section(out, from: "[long-term-unemployed]", to: "zapytaj o (wszystkie)")
        XCTAssertTrue(missingPart.contains("labour_status"), missingPart)
        XCTAssertTrue(missingPart.contains("(unemployed_days_last_24_months ← PER-03b)"), missingPart)
        XCTAssertTrue(missingPart.contains("Ile dni w ciągu ostatnich 24 miesięcy"), missingPart)

        // set: JSON when it parses, else a string; schema problems refuse the change
        XCTAssertTrue(out.contains("labour_status = \"unemployed\"\n"), out)
        XCTAssertTrue(out.contains("unemployed_days_last_24_months = 400\n"), out)
        XCTAssertTrue(err.contains("$.labour_status"), err)
        XCTAssertTrue(err.contains("\"bogus\""), err)
        XCTAssertTrue(err.contains("$.household_size"), err)
        XCTAssertTrue(err.contains("nieznane pole employees[3].fte"), "a person has no employees: \(err)")
        XCTAssertTrue(err.contains("disability_kinds[3]: tablica ma 0 elementów; następny indeks to [0]"), err)
        XCTAssertFalse(out.contains("bogus"), "a refused value must not reach the profile")
        XCTAssertTrue(out.contains("\"unemployed\"\n"), "p.labour_status after the refused set")

        // why: outcome, reason with values, legal basis
        let why = section(out, from: "Osoba długotrwale bezrobotna [long-term-unemployed]: SPEŁNIA", to: "podstawa prawna")
        XCTAssertTrue(why.contains("PER-03b"), out)
        XCTAssertTrue(why.contains("400"), why)
        XCTAssertTrue(out.contains("podstawa prawna: definicja osoby długotrwale bezrobotnej"), out)

        // whatif: before → after, flipped criteria, profile unchanged
        XCTAssertTrue(out.contains("[long-term-unemployed]: SPEŁNIA → NIE SPEŁNIA"), out)
        XCTAssertTrue(out.contains("PER-03a  ✓ → ✗"), out)
        XCTAssertTrue(out.contains("PER-03b  ✓ → ✗"), out)
        XCTAssertTrue(out.contains("(profil bez zmian)\n400\n"), "whatif must not change the profile:\n" + out)

        // Lua: values, errors that do not end the session
        XCTAssertTrue(out.contains("\n34\n"), "age(p.birth_date) as of 2025-03-01")
        XCTAssertTrue(err.contains("błąd Lua: brak pola w profilu: no_such_field"), err)
        XCTAssertTrue(err.contains("boom"), err)
        XCTAssertTrue(out.contains("\n42\n"), "the session goes on after Lua errors:\n" + out)

        // show, unset, save with sorted keys; quit ends the session
        XCTAssertTrue(out.contains("\n\"unemployed\"\n"), out)
        XCTAssertTrue(out.contains("usunięto household_size"), out)
        XCTAssertFalse(out.contains("\n2\n"), "nothing runs after quit")
        let savedText = try String(contentsOfFile: saved, encoding: .utf8)
        let obj = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(savedText.utf8)) as? [String: Any])
        XCTAssertEqual(obj["labour_status"] as? String, "unemployed")
        XCTAssertEqual(obj["unemployed_days_last_24_months"] as? Int, 400)
        XCTAssertNil(obj["household_size"])
        XCTAssertEqual(obj["name"] as? String, "Anna Próbna")
        let keys = savedText.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("  \"") else { return nil }
            return String(line.dropFirst(3).prefix { $0 != "\"" })
        }
        XCTAssertEqual(keys, keys.sorted(), "saved keys are sorted")
        XCTAssertTrue(savedText.contains("\"kind\": \"person\""), savedText)

        // a script with failed commands ends with status 1
        XCTAssertEqual(r.status, 1)
    }

    /// A profile file with a typo: where it is in the file and what is wrong, in the session's language.
    func testLoadingABrokenProfileSaysWhereInTheFile() throws {
        let broken = try write("{\n  \"kind\": \"person\",\n  \"homeless\": tru\n}\n", "broken.json")
        let pl = try run(["repl"], input: "load \(broken)\nload \(broken).missing\n")
        XCTAssertTrue(pl.err.contains("\(broken):3:15: błędny JSON: niepoprawna wartość 'tru' (oczekiwano wartości: obiektu, tablicy, tekstu, liczby, true, false lub null)"), pl.err)
        XCTAssertTrue(pl.err.contains("\(broken).missing: nie ma takiego pliku"), pl.err)
        let en = try run(["repl", "--lang", "en"], input: "load \(broken)\n1 + nil\n")
        XCTAssertTrue(en.err.contains("\(broken):3:15: malformed JSON: invalid literal 'tru'"), en.err)
        XCTAssertTrue(en.err.contains("attempt to perform arithmetic on a nil value"), en.err)
        // a Lua mistake typed at the prompt, in the session's language too
        let lua = try run(["repl"], input: "1 + nil\n")
        XCTAssertTrue(lua.err.contains("repl:1: nie można liczyć na wartości nil"), lua.err)
    }

    /// A consultant's slips at the prompt are explained in Polish: Lua's syntax, and the values an
    /// enumerated field can take when a word is none of them.
    func testSlipsAtThePromptAreExplainedInTheSessionsLanguage() throws {
        let pl = try run(["repl"], input: "new person\nfoo bar\nset labour_status na zasiłku\nset labour_status bierny\n")
        XCTAssertTrue(pl.err.contains("repl:1: błąd składni przy 'bar'"), pl.err)
        XCTAssertTrue(pl.err.contains("możliwe wartości (nazwa albo kod): osoba pracująca (employed), osoba bezrobotna (unemployed), "), pl.err)
        // the labels say "osoba bierna zawodowo"; the masculine word a consultant types finds it too
        XCTAssertTrue(pl.out.contains("labour_status = \"inactive\""), pl.out)
        let more = try run(["repl"], input: "new person\nset labour_status bezrobotny\nset labour_status pracujący\n")
        XCTAssertTrue(more.out.contains("labour_status = \"unemployed\"\nlabour_status = \"employed\""), more.out + more.err)
        // a file of two profiles: the plural form of its count
        let two = try write("[{\"kind\": \"person\"}, {\"kind\": \"person\"}]", "two.json")
        let loaded = try run(["repl"], input: "load \(two)\nload \(two) 7\n")
        XCTAssertTrue(loaded.out.contains("plik ma 2 profile; wczytano nr 1 (load \(two) N wybiera inny; N jak \"line\" w wynikach batch)"), loaded.out)
        XCTAssertTrue(loaded.err.contains("nie ma profilu nr 7; numery: 1, 2"), loaded.err)
        // a day that does not exist is refused at the prompt, as --as-of refuses it
        let day = try run(["repl"], input: "asof 2025-02-30\nasof 2025-02-28\n")
        XCTAssertTrue(day.err.contains("oczekiwano istniejącej daty RRRR-MM-DD, jest: 2025-02-30"), day.err)
        XCTAssertFalse(day.out.contains("stan na 2025-02-30"), day.out)
        XCTAssertTrue(day.out.contains("stan na 2025-02-28"), day.out)
        let en = try run(["repl", "--lang", "en"], input: "new person\nfoo bar\nset labour_status jobless\n")
        XCTAssertTrue(en.err.contains("repl:1: syntax error near 'bar'"), en.err)
        XCTAssertTrue(en.err.contains("possible values (name or code): employed (employed), unemployed (unemployed)"), en.err)
    }

    func testCheckPrintsTheSameReportAsTheCheckCommand() throws {
        let profile = try write(Self.person, "anna.json")
        let direct = try run(["check", profile])
        let repl = try run(["repl", profile], input: "check\n")
        XCTAssertEqual(repl.status, 0, repl.err)
        let lines = repl.out.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        XCTAssertTrue(lines[0].hasPrefix("wczytano"))
        XCTAssertEqual(String(lines[1]), direct.out)
        XCTAssertTrue(direct.out.contains("Osoba długotrwale bezrobotna: "))

        // one rule, English
        let one = try run(["repl", "--lang", "en", profile], input: "check long-term-unemployed\ncheck no-such-rule\n")
        XCTAssertTrue(one.out.contains("Long-term unemployed person: UNDETERMINED"), one.out)
        XCTAssertFalse(one.out.contains("Person at risk of social exclusion"), one.out)
        XCTAssertTrue(one.err.contains("no rule 'no-such-rule'"), one.err)
    }

    func testVocabularySavingAndUnknownWordsAsAConsultantMeetsThem() throws {
        let target = try write("{}", "existing.json")
        let r = try run(["repl"], input: """
        new person
        set labour_status bezrobotna
        set legal_form fundacja
        set disability znaczny
        missing
        labour_statu
        chek
        save \(target)
        save! \(target)
        lang en
        help
        """)
        // Polish words for enumerated values are turned into codes
        XCTAssertTrue(r.out.contains("labour_status = \"unemployed\""), r.out)
        XCTAssertTrue(r.out.contains("disability = \"severe\""), r.out)
        // missing data is asked for as questions a consultant can read aloud
        XCTAssertTrue(r.out.contains("Ile dni w ciągu ostatnich 24 miesięcy osoba była zarejestrowana jako bezrobotna?"), r.out)
        XCTAssertFalse(r.out.contains("zapytaj o (wszystkie): unemployed_days_last_24_months"), r.out)
        // an unknown word gets a hint, not a bare nil
        XCTAssertTrue(r.err.contains("nieznane polecenie ani pole: labour_statu — może 'labour_status'?"), r.err)
        XCTAssertTrue(r.err.contains("nieznane polecenie ani pole: chek — może 'check'?"), r.err)
        XCTAssertFalse(r.out.split(separator: "\n").contains("nil"), r.out)
        // save never overwrites silently; save! does
        XCTAssertTrue(r.err.contains("już istnieje: aby go nadpisać, wpisz save! \(target)"), r.err)
        XCTAssertTrue(try String(contentsOfFile: target, encoding: .utf8).contains("\"unemployed\""))
        // help in the session's language
        XCTAssertTrue(r.out.contains("Commands (help CMD for details)"), r.out)
        XCTAssertTrue(r.out.contains("only save! overwrites a file"), r.out)
    }

    /// What a consultant types: a misspelt field is refused (it was kept beside the real one, which
    /// the rules went on reading), tak/nie, amounts with a decimal comma, dates as 3.12.1988, a word
    /// for a list field, words without Polish letters, the same words in whatif; a record of a JSON
    /// Lines file by the number batch gives it.
    func testValuesAsAConsultantTypesThemAndRecordsOfJSONLines() throws {
        let r = try run(["repl", repoRoot + "/Playground/profiles/repl-example-person.json"], input: """
        set household_sise 3
        whatif household_sise=5
        set homeless tak
        set household_monthly_income 2 500,50 zł
        set birth_date 3.12.1988
        set disability_kinds autyzm
        set labour_status pracujaca
        whatif labour_status=bezrobotna
        load \(repoRoot)/Playground/applications.jsonl 7
        load \(repoRoot)/Playground/applications.jsonl 31
        """)
        XCTAssertTrue(r.err.contains("nieznane pole household_sise; może 'household_size'?"), r.err)
        XCTAssertEqual(r.err.components(separatedBy: "nieznane pole household_sise").count, 3, "set and whatif both refuse it: \(r.err)")
        XCTAssertFalse(r.out.contains("household_sise ="), r.out)
        for line in ["homeless = true", "household_monthly_income = 2500.5", "birth_date = \"1988-12-03\"",
                     "disability_kinds = [\"autism\"]", "labour_status = \"employed\""] {
            XCTAssertTrue(r.out.contains(line), "\(line): \(r.out)")
        }
        XCTAssertTrue(r.out.contains("SPEŁNIA → ") || r.out.contains("→ SPEŁNIA"), "whatif read the word: \(r.out)")
        let seventh = try XCTUnwrap(jsonObject(try String(contentsOfFile: repoRoot + "/Playground/applications.jsonl", encoding: .utf8)
            .components(separatedBy: "\n")[6]))
        XCTAssertTrue(r.out.contains("wczytano \(repoRoot)/Playground/applications.jsonl: wniosek · \(seventh["id"] as! String)"), r.out)
        XCTAssertTrue(r.err.contains("applications.jsonl:31:151: błędny JSON: przecinek przed '}' jest niedozwolony"), r.err)
        // what-if on a scoring sheet: points that change are a change
        let w = try run(["repl"], input: "load \(repoRoot)/Playground/applications.jsonl 5\nwhatif jobs[1].worker.disability=znaczny\n")
        XCTAssertTrue(w.out.contains("[owes-job-creation-scoring]: SPEŁNIA · punkty 8 → 11"), w.out)
        XCTAssertTrue(w.out.contains("zmienione reguły: 1"), w.out)
    }

    func testHelpFollowsTheLanguageAndNewStartsAProfile() throws {
        let r = try run(["repl"], input: """
        help
        help set
        lang en
        help set
        help whatif
        check
        new enterprise
        set employees[0].fte 0.5
        set employees[1].fte 0.25
        show employees
        new alien
        """)
        XCTAssertTrue(r.out.contains("Polecenia"), r.out)
        XCTAssertTrue(r.out.contains("Przykłady: set labour_status unemployed"), r.out)
        XCTAssertTrue(r.out.contains("Examples: set labour_status unemployed"), r.out)
        XCTAssertTrue(r.out.contains("what if: outcomes before and after"), r.out)
        XCTAssertTrue(r.err.contains("no profile: use `load FILE`"), r.err)
        XCTAssertTrue(r.out.contains("new profile: enterprise"), r.out)
        XCTAssertTrue(r.out.contains("employees[1].fte = 0.25"), r.out)
        let shown = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(section(r.out, from: "[\n", to: "]\n").utf8)) as? [[String: Any]])
        XCTAssertEqual(shown.count, 2)
        XCTAssertEqual(shown[0]["fte"] as? Double, 0.5)
        XCTAssertTrue(r.err.contains("new application|enterprise|person"), r.err)
    }

    // MARK: (b) rules edited on disk, reloaded; a broken file keeps the old rules

    private static let probeRule = """
    rule "repl-probe" {
      applies_to = "person",
      title = { pl = "Sonda REPL", en = "REPL probe" },
      basis = "test",
    }

    criterion "PROBE-01" {
      basis = "test",
      pl = "Gospodarstwo co najmniej THRESHOLD osoby",
      en = "Household of at least THRESHOLD",
      check = function(p)
        return verdict(p.household_size >= THRESHOLD,
          { pl = "gospodarstwo " .. p.household_size .. ", próg THRESHOLD", en = "household " .. p.household_size .. ", threshold THRESHOLD" },
          { pl = "gospodarstwo " .. p.household_size .. ", próg THRESHOLD", en = "household " .. p.household_size .. ", threshold THRESHOLD" })
      end,
    }

    """

    func testReloadPicksUpEditsAndKeepsOldRulesOnError() throws {
        let rules = tmp.appendingPathComponent("rules")
        try FileManager.default.copyItem(at: Self.root.appendingPathComponent("Rules"), to: rules)
        let probe = rules.appendingPathComponent("repl-probe.lua")
        let profile = try write(Self.person, "anna.json")  // household_size 4
        let s = try ReplProcess(binary: Self.binary!, args: ["repl", "--rules", rules.path, profile], cwd: Self.root)
        defer { s.stop() }

        s.send("rules")
        try s.wait(for: "long-term-unemployed")
        XCTAssertFalse(s.output.contains("repl-probe"))

        // a new rule file appears on reload
        try Data(Self.probeRule.replacingOccurrences(of: "THRESHOLD", with: "3").utf8).write(to: probe)
        s.send("reload")
        try s.wait(for: "wczytano reguły ponownie")
        s.send("check repl-probe")
        try s.wait(for: "Sonda REPL: SPEŁNIA")
        try s.wait(for: "gospodarstwo 4, próg 3")

        // an edited rule takes effect
        try Data(Self.probeRule.replacingOccurrences(of: "THRESHOLD", with: "5").utf8).write(to: probe)
        s.send("reload")
        s.send("check repl-probe")
        try s.wait(for: "Sonda REPL: NIE SPEŁNIA")
        try s.wait(for: "gospodarstwo 4, próg 5")

        // a broken file: file:line, and the previous rules stay in use
        var broken = Self.probeRule.replacingOccurrences(of: "THRESHOLD", with: "2").components(separatedBy: "\n")
        broken[2] = "  title = { pl = \"Sonda\" en = \"oops\" },"
        try Data(broken.joined(separator: "\n").utf8).write(to: probe)
        let mark = s.output.count
        s.send("reload")
        try s.wait(for: "działa poprzednia wersja")
        let after = String(s.output.dropFirst(mark))
        XCTAssertTrue(after.contains("repl-probe.lua:3"), after)
        s.send("check repl-probe")
        s.send("1 + 2")
        try s.wait(for: "\n3\n")
        let last = String(s.output.dropFirst(mark))
        XCTAssertTrue(last.contains("Sonda REPL: NIE SPEŁNIA"), last)
        XCTAssertTrue(last.contains("gospodarstwo 4, próg 5"), "the old rule (threshold 5) still runs:\n" + last)

        // fixed again: the new version loads
        try Data(Self.probeRule.replacingOccurrences(of: "THRESHOLD", with: "4").utf8).write(to: probe)
        s.send("reload")
        s.send("why probe-01")
        try s.wait(for: "gospodarstwo 4, próg 4")
        s.send("quit")
        XCTAssertEqual(s.waitExit(), 1, "the failed reload makes the script's status 1")
    }

    // MARK: (c) under a terminal: prompt, completion, history across sessions

    func testTerminalPromptCompletionAndHistory() throws {
        guard let tmux = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else { throw XCTSkip("tmux is not installed") }
        let profile = try write(Self.person, "anna.json")
        let history = tmp.appendingPathComponent("hist").path
        let socket = "kryteria-repltest-\(getpid())-\(UUID().uuidString.prefix(8))"
        let t = Tmux(tmux: tmux, socket: socket)
        defer { t.killServer() }
        let command = "cd '\(Self.root.path)' && NO_COLOR=1 KRYTERIA_HISTORY='\(history)' '\(Self.binary!)' repl --rules Rules"

        // session 1
        try t.start("one", command + " '\(profile)'; sleep 60")
        try t.waitPane("one") { $0.hasSuffix("kryteria:repl-t1>") }
        t.keys("one", "check long-term-u", "Tab")
        try t.waitPane("one") { $0.contains("kryteria:repl-t1> check long-term-unemployed") }
        t.keys("one", "Enter")
        try t.waitPane("one") { $0.contains("Osoba długotrwale bezrobotna: NIEUSTALONE") }
        t.keys("one", "set labour_st", "Tab")
        try t.waitPane("one") { $0.contains("> set labour_status") }
        t.keys("one", "unem", "Tab", "Enter")
        try t.waitPane("one") { $0.contains("labour_status = \"unemployed\"") }
        t.keys("one", "40 + 2", "Enter")
        try t.waitPane("one") { $0.contains("\n42") }
        // Polish letters typed at the terminal reach the profile (libedit dropped them in the "C" locale)
        t.keys("one", "set name Łąka Ślęża", "Enter")
        try t.waitPane("one") { $0.contains("name = \"") }
        t.keys("one", "quit", "Enter")
        try t.waitPane("one") { $0.hasSuffix("kryteria:repl-t1> quit") }
        let saved = try String(contentsOfFile: history, encoding: .utf8)
        XCTAssertTrue(saved.contains("labour_status"), saved)
        XCTAssertTrue(saved.contains("set\\040name\\040Łąka\\040Ślęża"), saved)
        XCTAssertFalse(saved.contains("quit"), "quit is not kept in the history")

        // session 2 recalls the previous command with Up
        try t.start("two", command + "; sleep 60")
        try t.waitPane("two") { $0.hasSuffix("kryteria>") }
        t.keys("two", "Up")
        try t.waitPane("two") { $0.contains("kryteria> set name ") }
        t.keys("two", "Up")
        try t.waitPane("two") { $0.contains("kryteria> 40 + 2") }
        t.keys("two", "Up")
        try t.waitPane("two") { $0.contains("kryteria> set labour_status unemployed") }
        t.keys("two", "Down", "Enter")
        try t.waitPane("two") { $0.contains("\n42") }
    }

    // MARK: helpers

    /// The text from the first `from` to the next `to` after it (inclusive), or "".
    private func section(_ s: String, from: String, to: String) -> String {
        guard let a = s.range(of: from), let b = s.range(of: to, range: a.lowerBound..<s.endIndex) else { return "" }
        return String(s[a.lowerBound..<b.upperBound])
    }
}

private struct ReplTestTimeout: Error {}

/// A REPL process fed line by line through a pipe; stdout and stderr merged in order.
private final class ReplProcess {
    private let process = Process()
    private let input = Pipe()
    private let outputPipe = Pipe()
    private let lock = NSLock()
    private var buffer = Data()

    init(binary: String, args: [String], cwd: URL) throws {
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = args
        process.currentDirectoryURL = cwd
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["KRYTERIA_HISTORY"] = "/dev/null"
        process.environment = env
        process.standardInput = input
        process.standardOutput = outputPipe
        process.standardError = outputPipe
        outputPipe.fileHandleForReading.readabilityHandler = { [weak self] h in
            let d = h.availableData
            guard let self, !d.isEmpty else { return }
            self.lock.withLock { self.buffer.append(d) }
        }
        try process.run()
    }

    var output: String { lock.withLock { String(decoding: buffer, as: UTF8.self) } }

    func send(_ line: String) {
        input.fileHandleForWriting.write(Data((line + "\n").utf8))
    }

    func wait(for text: String, timeout: TimeInterval = 30, file: StaticString = #filePath, line: UInt = #line) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if output.contains(text) { return }
            usleep(20_000)
        }
        XCTFail("timed out waiting for \(text.debugDescription); output:\n\(output)", file: file, line: line)
        throw ReplTestTimeout()
    }

    func waitExit() -> Int32 {
        try? input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    func stop() {
        if process.isRunning { process.terminate(); process.waitUntilExit() }
        outputPipe.fileHandleForReading.readabilityHandler = nil
    }
}

/// A private tmux server: start a session, send keys, read the pane.
private struct Tmux {
    let tmux: String
    let socket: String

    /// Runs tmux through system(3): Foundation's Process would wait for the daemonised
    /// server, which inherits what the client had open.
    @discardableResult
    func call(_ args: [String]) -> (String, Int32) {
        let outPath = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString).out").path
        defer { try? FileManager.default.removeItem(atPath: outPath) }
        func q(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let term = ProcessInfo.processInfo.environment["TERM"].flatMap { $0 == "dumb" ? nil : $0 } ?? "xterm-256color"
        let line = "unset TMUX; TERM=\(q(term)) exec \(q(tmux)) -L \(q(socket)) " + args.map(q).joined(separator: " ") +
            " </dev/null >\(q(outPath)) 2>&1"
        let status = system(line)
        let text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        return (text, status)
    }

    func start(_ name: String, _ command: String) throws {
        let (msg, status) = call(["new-session", "-d", "-s", name, "-x", "200", "-y", "50", command])
        if status != 0 { XCTFail("tmux new-session: \(msg)"); throw ReplTestTimeout() }
    }

    func keys(_ name: String, _ keys: String...) {
        for k in keys {
            if ["Tab", "Enter", "Up", "Down", "C-u", "C-d"].contains(k) {
                call(["send-keys", "-t", name, k])
            } else {
                call(["send-keys", "-t", name, "-l", k])
            }
            usleep(150_000)
        }
    }

    func pane(_ name: String) -> String {
        let (text, _) = call(["capture-pane", "-p", "-t", name])
        // trailing blank lines and spaces of the pane
        return text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { String($0.reversed().drop { $0 == " " }.reversed()) }
            .joined(separator: "\n").trimmingCharacters(in: .newlines)
    }

    func waitPane(_ name: String, timeout: TimeInterval = 15, file: StaticString = #filePath, line: UInt = #line,
                  _ ok: (String) -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = pane(name)
            if ok(last) { return }
            usleep(100_000)
        }
        XCTFail("tmux pane \(name) never matched; it shows:\n\(last)", file: file, line: line)
        throw ReplTestTimeout()
    }

    func killServer() { call(["kill-server"]) }
}
