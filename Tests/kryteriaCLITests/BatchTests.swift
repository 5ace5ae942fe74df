import Foundation
import XCTest

final class BatchTests: XCTestCase {
    let rule = ["--rule", "ps-status"]

    func testJSONLinesAndArrayGiveTheSameResults() throws {
        let dir = try temporaryFolder(self)
        let n = 40
        let jsonl = dir.appendingPathComponent("in.jsonl")
        try write(jsonLines(n), jsonl)
        // a pretty-printed array: elements over several lines, strings with brackets and commas
        var arr = "[\n"
        for i in 1...n {
            arr += "  " + enterprise(i).replacingOccurrences(of: ",\"as_of\"", with: ",\n    \"as_of\"")
            arr += i < n ? ",\n" : "\n"
        }
        arr += "]\n"
        let array = dir.appendingPathComponent("in.json")
        try write(arr, array)

        let a = try kryteria(["batch", jsonl.path, "-q"] + rule)
        let b = try kryteria(["batch", array.path, "-q"] + rule)
        XCTAssertEqual(a.status, 0, a.stderr)
        XCTAssertEqual(b.status, 0, b.stderr)
        XCTAssertEqual(a.lines.count, n)
        XCTAssertEqual(a.out, b.out, "array element i must give the result of JSON Lines line i")
        // the same array saved by Notepad or PowerShell, with a UTF-8 byte order mark before '[':
        // still one result per element (it was read as JSON Lines, every line an error), in batch and check
        let bom = dir.appendingPathComponent("bom.json")
        try (Data([0xEF, 0xBB, 0xBF]) + Data(arr.utf8)).write(to: bom)
        let c = try kryteria(["batch", bom.path, "-q"] + rule)
        XCTAssertEqual(c.status, 0, c.stderr)
        XCTAssertEqual(c.out, a.out)
        let checked = try kryteria(["check", "--json", bom.path] + rule)
        XCTAssertEqual(checked.status, 0, checked.stderr)
        XCTAssertEqual(checked.lines.count, n, checked.out)
        // a broken element after the mark is placed as without it
        try (Data([0xEF, 0xBB, 0xBF]) + Data("[\n  {\"kind\":\"enterprise\",}\n]".utf8)).write(to: bom)
        let broken = try kryteria(["batch", bom.path, "-q"] + rule)
        XCTAssertEqual(broken.lines.count, 1, broken.out)
        XCTAssertTrue(broken.out.contains("wiersz 2, kolumna 24"), broken.out)
        for (i, l) in a.lines.enumerated() {
            let o = try XCTUnwrap(jsonObject(l))
            XCTAssertEqual(o["line"] as? Int, i + 1)
            XCTAssertEqual(o["id"] as? String, "E\(i + 1)")
            XCTAssertNotNil(o["results"])
        }
    }

    func testArrayStringsWithBracketsAndEmptyArray() throws {
        let dir = try temporaryFolder(self)
        let f = dir.appendingPathComponent("tricky.json")
        try write("[" + enterprise(1, id: "a],[b{\"c\\\\") + " , " + enterprise(2, id: "x") + "]", f)
        let r = try kryteria(["batch", f.path, "-q"] + rule)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.lines.count, 2)
        XCTAssertEqual(jsonObject(r.lines[0])?["id"] as? String, "a],[b{\"c\\\\")
        let e = dir.appendingPathComponent("empty.json")
        try write(" [ ] ", e)
        let r2 = try kryteria(["batch", e.path, "-q"] + rule)
        XCTAssertEqual(r2.status, 0)
        XCTAssertEqual(r2.out, "")
    }

    /// An empty place in the input array (two commas, a comma after '[' or before ']') is not JSON: it
    /// gets a result of its own, an error at its line and column, and no record is skipped or renumbered.
    func testEmptyArrayElementsAreReportedWhereTheyAre() throws {
        let dir = try temporaryFolder(self)
        let f = dir.appendingPathComponent("gaps.json")
        try write("[\n,\n" + enterprise(1, id: "a") + ",\n ,\n" + enterprise(2, id: "b") + ",\n]\n", f)
        let r = try kryteria(["batch", f.path, "-q"] + rule)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.lines.count, 5, r.out)
        let objs = try r.lines.map { try XCTUnwrap(jsonObject($0)) }
        XCTAssertEqual(objs.map { $0["line"] as? Int }, [1, 2, 3, 4, 5])
        XCTAssertEqual(objs[1]["id"] as? String, "a")
        XCTAssertEqual(objs[3]["id"] as? String, "b")
        for (i, place) in [(0, "wiersz 2, kolumna 1"), (2, "wiersz 4, kolumna 2"), (4, "wiersz 6, kolumna 1")] {
            let err = try XCTUnwrap(objs[i]["error"] as? [String: Any], r.lines[i])
            XCTAssertEqual(err["code"] as? String, "malformed_json")
            XCTAssertEqual(err["message"] as? String, place + ": pusty element tablicy", r.lines[i])
        }
        let en = try kryteria(["batch", f.path, "-q", "--lang", "en"] + rule)
        let e = try XCTUnwrap(jsonObject(en.lines[4])?["error"] as? [String: Any])
        XCTAssertEqual(e["message"] as? String, "line 6, column 1: empty array element")
        // a resumed run counts the empty places as the records they are
        let out = dir.appendingPathComponent("out.jsonl")
        try write(r.lines.prefix(3).joined(separator: "\n") + "\n", out)
        let resumed = try kryteria(["batch", f.path, "-q", "--resume", "-o", out.path] + rule)
        XCTAssertEqual(resumed.status, 1, resumed.stderr)
        XCTAssertEqual(try String(contentsOf: out, encoding: .utf8), r.out)
    }

    /// An array cut short (no closing ']') or followed by more text may have lost records: both are
    /// said on stderr, whatever -q says, at their place, and the exit status is that of broken input.
    func testAnArrayCutShortOrFollowedByTextIsNotPassedOverInSilence() throws {
        let dir = try temporaryFolder(self)
        let cut = dir.appendingPathComponent("cut.json")
        try write("[\n" + enterprise(1) + ",\n" + enterprise(2) + "\n", cut)
        let r = try kryteria(["batch", cut.path, "-q"] + rule)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.lines.count, 2, "the records that are there are evaluated")
        XCTAssertEqual(r.stderr, "kryteria batch: \(cut.path): wiersz 4, kolumna 1: tablica profili nie jest zamknięta znakiem ']' (plik urwany? rekordów może brakować)\n")
        let after = dir.appendingPathComponent("after.json")
        try write("[" + enterprise(1) + "]\n  " + enterprise(2) + "\n", after)
        let a = try kryteria(["batch", after.path, "-q", "--lang", "en"] + rule)
        XCTAssertEqual(a.status, 1, a.stderr)
        XCTAssertEqual(a.lines.count, 1)
        XCTAssertEqual(a.stderr, "kryteria batch: \(after.path): line 2, column 3: text after the closing ']' of the array of profiles was not evaluated\n")
        let c = try kryteria(["check", "--rules", repoRoot + "/Rules", after.path])
        XCTAssertEqual(c.status, 1)
        XCTAssertTrue(c.stderr.contains("\(after.path):2:3: błędny JSON: tekst po zamykającym ']' tablicy profili nie został oceniony"), c.stderr)
        let d = try kryteria(["diff", cut.path, "--rule", "ps-status", "--against", "Rules", "--json"])
        XCTAssertEqual(d.status, 1)
        XCTAssertTrue(d.stderr.contains("tablica profili nie jest zamknięta"), d.stderr)
        // a whole array and spaces after it: nothing to say
        let whole = dir.appendingPathComponent("whole.json")
        try write("[" + enterprise(1) + "]\n\n ", whole)
        let w = try kryteria(["batch", whole.path, "-q"] + rule)
        XCTAssertEqual(w.status, 0, w.stderr)
        XCTAssertEqual(w.stderr, "")
    }

    /// The summary after a run: counts with their Polish plural, seconds with a decimal comma, the
    /// outcomes per rule and the lines with errors; English with --lang en.
    func testTheSummaryOnStderrSpeaksTheChosenLanguage() throws {
        let dir = try temporaryFolder(self)
        let f = dir.appendingPathComponent("in.jsonl")
        try write(jsonLines(3) + "{\"kind\": \"enterprise\",\n" + jsonLines(1), f)
        let pl = try kryteria(["batch", f.path, "-o", dir.appendingPathComponent("o.jsonl").path, "--jobs", "1"] + rule)
        XCTAssertEqual(pl.status, 1, pl.stderr)
        let lines = pl.stderr.split(separator: "\n").map(String.init)
        XCTAssertNotNil(lines.first?.range(of: #"^kryteria batch: 5 rekordów w \d+,\d\d s \([\d ]+ rek\./s, wątki: 1\)$"#,
                                            options: .regularExpression), pl.stderr)
        XCTAssertTrue(lines.contains { $0.hasPrefix("  ps-status: spełnia ") && $0.contains(", nie spełnia ") && $0.contains(", nieustalone ") },
                      pl.stderr)
        XCTAssertTrue(lines.contains("  niepoprawne profile: 0, błędny JSON: 1"), pl.stderr)
        XCTAssertTrue(lines.contains("  linie z błędem: 4"), pl.stderr)
        let one = dir.appendingPathComponent("one.jsonl")
        try write(jsonLines(1), one)
        let single = try kryteria(["batch", one.path, "-o", dir.appendingPathComponent("o1.jsonl").path] + rule)
        XCTAssertTrue(single.stderr.hasPrefix("kryteria batch: 1 rekord w "), single.stderr)
        let en = try kryteria(["batch", f.path, "-o", dir.appendingPathComponent("o2.jsonl").path, "--jobs", "1", "--lang", "en"] + rule)
        XCTAssertNotNil(en.stderr.range(of: #"^kryteria batch: 5 records in \d+\.\d\d s \([\d ]+ records/s, 1 job\)\n"#,
                                        options: .regularExpression), en.stderr)
        XCTAssertTrue(en.stderr.contains("  invalid 0, malformed JSON 1\n  lines with errors: 4\n"), en.stderr)
    }

    /// "-o -" is standard output (it used to stop the program: Foundation traps on a one-character path).
    func testOutputDashIsStandardOutput() throws {
        let dir = try temporaryFolder(self)
        let input = dir.appendingPathComponent("in.jsonl")
        try write(jsonLines(3), input)
        let plain = try kryteria(["batch", input.path, "-q"] + rule)
        let dash = try kryteria(["batch", input.path, "-q", "-o", "-"] + rule)
        XCTAssertEqual(dash.status, 0, dash.stderr)
        XCTAssertEqual(dash.lines.count, 3)
        XCTAssertEqual(dash.out, plain.out)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "-.partial"))
    }

    /// An output that is not a regular file (a FIFO here; /dev/null in use) is written in place:
    /// it was replaced by renaming OUTPUT.partial over it, which as root turned /dev/null into a file.
    func testOutputThatIsAFIFOIsWrittenInPlace() throws {
        let dir = try temporaryFolder(self)
        let input = dir.appendingPathComponent("in.jsonl")
        try write(jsonLines(4), input)
        let fifo = dir.appendingPathComponent("results.fifo").path
        let reader = try FIFOReader(fifo)
        let r = try kryteria(["batch", input.path, "-q", "-o", fifo] + rule)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(reader.text().split(separator: "\n").count, 4)
        var st = stat()
        XCTAssertEqual(stat(fifo, &st), 0)
        XCTAssertEqual(st.st_mode & S_IFMT, S_IFIFO, "the FIFO must still be a FIFO")
        XCTAssertFalse(FileManager.default.fileExists(atPath: fifo + ".partial"))
        let resumed = try kryteria(["batch", input.path, "-q", "--resume", "-o", fifo] + rule)
        XCTAssertEqual(resumed.status, 2)
        XCTAssertTrue(resumed.stderr.contains("--resume wymaga zwykłego pliku wyniku"), resumed.stderr)
        // the report too (it was made empty at the start with FileManager.createFile: a rename)
        let reportFifo = dir.appendingPathComponent("report.fifo").path
        let reportReader = try FIFOReader(reportFifo)
        let withReport = try kryteria(["batch", input.path, "-q", "-o", dir.appendingPathComponent("out.jsonl").path,
                                       "--report", reportFifo] + rule)
        XCTAssertEqual(withReport.status, 0, withReport.stderr)
        XCTAssertTrue(reportReader.text().contains("<html"))
        XCTAssertEqual(stat(reportFifo, &st), 0)
        XCTAssertEqual(st.st_mode & S_IFMT, S_IFIFO, "the report FIFO must still be a FIFO")
    }

    func testStdin() throws {
        let dir = try temporaryFolder(self)
        let text = jsonLines(25)
        let f = dir.appendingPathComponent("in.jsonl")
        try write(text, f)
        let fromFile = try kryteria(["batch", f.path, "-q"] + rule)
        let fromStdin = try kryteria(["batch", "-q"] + rule, stdin: Data(text.utf8))
        let fromDash = try kryteria(["batch", "-", "-q"] + rule, stdin: Data(text.utf8))
        XCTAssertEqual(fromStdin.status, 0, fromStdin.stderr)
        XCTAssertEqual(fromStdin.lines.count, 25)
        XCTAssertEqual(fromFile.out, fromStdin.out)
        XCTAssertEqual(fromFile.out, fromDash.out)
    }

    func testOrderIsKeptWithManyJobs() throws {
        let dir = try temporaryFolder(self)
        let f = dir.appendingPathComponent("in.jsonl")
        try write(jsonLines(3000), f)
        // small chunks so that four workers really interleave
        let one = try kryteria(["batch", f.path, "-q", "--jobs", "1"] + rule)
        let four = try kryteria(["batch", f.path, "-q", "--jobs", "4", "--chunk-size", "7"] + rule)
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertEqual(four.status, 0, four.stderr)
        XCTAssertEqual(one.lines.count, 3000)
        XCTAssertTrue(one.stdout == four.stdout, "--jobs 4 must give the bytes of --jobs 1")
        for (i, l) in four.lines.enumerated() where i % 97 == 0 {
            XCTAssertTrue(l.hasPrefix("{\"line\":\(i + 1),"), l)
        }
    }

    func testMalformedLinesInTheMiddle() throws {
        let dir = try temporaryFolder(self)
        var lines = (1...10).map { enterprise($0) }
        lines[2] = "{\"kind\":\"enterprise\",,}"            // line 3
        lines[5] = "   {not json"                           // line 6, the record starts in column 4
        lines.insert("", at: 7)                             // line 8 blank: skipped
        lines[8] = "{\"kind\":\"enterprise\",\"employees\":\"x\"}" // line 9: valid JSON, invalid profile
        let f = dir.appendingPathComponent("in.jsonl")
        try write(lines.joined(separator: "\n") + "\n", f)
        let r = try kryteria(["batch", f.path, "--jobs", "2", "--chunk-size", "2"] + rule)
        XCTAssertEqual(r.status, 1, "malformed or invalid records give exit status 1")
        XCTAssertEqual(r.lines.count, 10, "one line per record, the blank line is no record")
        let objs = r.lines.map { jsonObject($0) ?? [:] }
        XCTAssertEqual(objs.map { $0["line"] as? Int }, [1, 2, 3, 4, 5, 6, 7, 9, 10, 11])
        let e3 = try XCTUnwrap(objs[2]["error"] as? [String: Any])
        XCTAssertEqual(e3["code"] as? String, "malformed_json")
        XCTAssertTrue((e3["message"] as? String ?? "").hasPrefix("wiersz 3, kolumna "), "\(e3)")
        let e6 = try XCTUnwrap(objs[5]["error"] as? [String: Any])
        XCTAssertEqual(e6["code"] as? String, "malformed_json")
        // the place in the file and what is wrong, in Polish by default
        XCTAssertEqual(e6["message"] as? String, "wiersz 6, kolumna 5: oczekiwano: klucz w cudzysłowie podwójnym, jest 'n'")
        let en = try kryteria(["batch", f.path, "--lang", "en"] + rule)
        let e6en = try XCTUnwrap(jsonObject(en.lines[5])?["error"] as? [String: Any])
        XCTAssertEqual(e6en["message"] as? String, "line 6, column 5: expected a string key in double quotes, found 'n'")
        XCTAssertEqual((objs[7]["error"] as? [String: Any])?["code"] as? String, "invalid_profile")
        for i in [0, 1, 3, 4, 6, 8, 9] { XCTAssertNotNil(objs[i]["results"], "record \(i) evaluated") }
        XCTAssertTrue(r.stderr.contains("błędny JSON: 2"), r.stderr)  // the summary speaks Polish by default
        XCTAssertTrue(r.stderr.contains("linie z błędem: 3, 6, 9"), r.stderr)
    }

    func testResumeAfterKill() throws {
        let dir = try temporaryFolder(self)
        let f = dir.appendingPathComponent("in.jsonl")
        let n = 40_000
        try write(jsonLines(n), f)
        let full = dir.appendingPathComponent("full.jsonl")
        let r0 = try kryteria(["batch", f.path, "-q", "-o", full.path, "--jobs", "2"] + rule)
        XCTAssertEqual(r0.status, 0, r0.stderr)
        let expected = try Data(contentsOf: full)

        let out = dir.appendingPathComponent("out.jsonl")
        let partial = URL(fileURLWithPath: out.path + ".partial")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try XCTUnwrap(kryteriaBinary))
        p.arguments = ["batch", f.path, "-q", "-o", out.path, "--jobs", "2", "--chunk-size", "50"] + rule
        p.currentDirectoryURL = URL(fileURLWithPath: repoRoot)
        p.standardError = FileHandle.nullDevice
        try p.run()
        // wait until part of the output is written, then kill it hard
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let size = (try? FileManager.default.attributesOfItem(atPath: partial.path)[.size] as? Int) ?? 0
            if size > expected.count / 5 { break }
            usleep(2000)
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .uncaughtSignal, "the run must have been killed before it finished")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
        // a line cut in the middle, as a kill during write(2) leaves it
        let h = try FileHandle(forWritingTo: partial)
        h.seekToEndOfFile()
        h.write(Data("{\"line\":123,\"id\":\"cut".utf8))
        try h.close()
        let before = try Data(contentsOf: partial)
        XCTAssertLessThan(before.count, expected.count)

        let r = try kryteria(["batch", f.path, "-o", out.path, "--resume", "--jobs", "2"] + rule)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("rekordach zapisanych już w \(partial.path)"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: partial.path))
        let got = try Data(contentsOf: out)
        XCTAssertEqual(got.count, expected.count)
        XCTAssertTrue(got == expected, "a resumed run must equal an uninterrupted one")
        let lines = String(decoding: got, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(lines.count, n)
        XCTAssertEqual(Set(lines).count, n, "no duplicate lines")
    }

    /// A partial output of other data (the same number of records or more) is refused, not continued:
    /// its last result must answer the input record at the same place, by line and id.
    func testResumeRefusesThePartialOutputOfOtherData() throws {
        let dir = try temporaryFolder(self)
        let a = dir.appendingPathComponent("a.jsonl"), b = dir.appendingPathComponent("b.jsonl")
        try write(jsonLines(6), a)
        try write(jsonLines(6, from: 101), b)
        let full = dir.appendingPathComponent("full.jsonl")
        XCTAssertEqual(try kryteria(["batch", a.path, "-q", "-o", full.path] + rule).status, 0)
        let head = try String(contentsOf: full, encoding: .utf8).split(separator: "\n").prefix(3).joined(separator: "\n") + "\n"
        let out = dir.appendingPathComponent("out.jsonl")
        try write(head, URL(fileURLWithPath: out.path + ".partial"))
        let wrong = try kryteria(["batch", b.path, "-q", "-o", out.path, "--resume"] + rule)
        XCTAssertEqual(wrong.status, 2, wrong.stderr)
        XCTAssertEqual(wrong.stderr, "kryteria batch: \(out.path).partial: ostatni zapisany wynik (wiersz 3, id E3) nie odpowiada rekordowi nr 3 wejścia (wiersz 3, id E103): czy to te same dane?\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path))
        // the same data, evaluated otherwise: another language, another as-of date, rules changed on disk
        let rules = dir.appendingPathComponent("Rules")
        try FileManager.default.copyItem(atPath: repoRoot + "/Rules", toPath: rules.path)
        try write("-- a comment changes the ruleset\n", rules.appendingPathComponent("parameters/zz-note.lua"))
        for (args, words) in [(["--lang", "en"], "the results written were made otherwise than this run: language (written: pl, now: en)"),
                              (["--as-of", "2025-01-01"], "zapisane wyniki powstały inaczej niż ten przebieg: data oceny (zapisana: 2024-04-15 z profilu, teraz --as-of 2025-01-01)"),
                              (["--rules", rules.path], "zapisane wyniki powstały inaczej niż ten przebieg: reguły (zapisane: ")] {
            let other = try kryteria(["batch", a.path, "-q", "-o", out.path, "--resume"] + rule + args)
            XCTAssertEqual(other.status, 2, "\(args): \(other.stderr)")
            XCTAssertTrue(other.stderr.contains(words), "\(args): \(other.stderr)")
            XCTAssertTrue(other.stderr.contains("without --resume") || other.stderr.contains("uruchom bez --resume"), other.stderr)
            XCTAssertEqual(try String(contentsOfFile: out.path + ".partial", encoding: .utf8), head, "\(args): the partial is kept as it was")
        }
        let right = try kryteria(["batch", a.path, "-q", "-o", out.path, "--resume"] + rule)
        XCTAssertEqual(right.status, 0, right.stderr)
        XCTAssertEqual(try Data(contentsOf: out), try Data(contentsOf: full))
    }

    func testCSV() throws {
        let dir = try temporaryFolder(self)
        let weird = "Spółdzielnia \"Razem\", Kraków\nodział 2"
        let text = [enterprise(1, id: weird), "{oops", enterprise(4)].joined(separator: "\n") + "\n"
        let f = dir.appendingPathComponent("in.jsonl")
        try write(text, f)
        let r = try kryteria(["batch", f.path, "-q", "--format", "csv", "--lang", "en"] + rule)
        XCTAssertEqual(r.status, 1, r.stderr)
        let rows = parseCSV(r.out)
        XCTAssertEqual(rows.first, ["id", "line", "rule", "outcome", "amount", "score", "failed", "missing", "message"])
        XCTAssertEqual(rows.count, 4, r.out)
        for row in rows { XCTAssertEqual(row.count, 9, "\(row)") }
        XCTAssertEqual(rows[1][0], weird, "quotes, commas and newlines survive the round trip")
        XCTAssertEqual(rows[1][1], "1")
        XCTAssertEqual(rows[1][2], "ps-status")
        XCTAssertTrue(["eligible", "ineligible", "undetermined"].contains(rows[1][3]))
        XCTAssertEqual(rows[2][1], "2")
        XCTAssertEqual(rows[2][3], "invalid")
        XCTAssertTrue(rows[2][8].contains("line 2, column"), rows[2][8])
        XCTAssertEqual(rows[3][0], "E4")
        // failed criteria agree with the JSON result
        let json = try kryteria(["batch", f.path, "-q"] + rule)
        // in Polish (the default) the outcome is in words
        let pl = parseCSV(try kryteria(["batch", f.path, "-q", "--format", "csv"] + rule).out)
        XCTAssertEqual(pl[2][3], "niepoprawny")
        XCTAssertTrue(["spełnia", "nie spełnia", "nieustalone"].contains(pl[1][3]), "\(pl[1])")
        let obj = try XCTUnwrap(jsonObject(json.lines[2]))
        let res = try XCTUnwrap((obj["results"] as? [[String: Any]])?.first)
        let failed = (res["criteria"] as? [[String: Any]] ?? []).filter { $0["outcome"] as? String == "fail" }.compactMap { $0["id"] as? String }
        XCTAssertEqual(rows[3][6], failed.joined(separator: ";"))
        XCTAssertEqual(rows[3][3], res["outcome"] as? String)
    }

    func testRankKeepsEveryRecord() throws {
        let dir = try temporaryFolder(self)
        let f = dir.appendingPathComponent("in.jsonl")
        try write(jsonLines(30) + "{bad\n", f)
        let plain = try kryteria(["batch", f.path, "-q"] + rule)
        let ranked = try kryteria(["batch", f.path, "-q", "--rank", "--jobs", "3", "--chunk-size", "4"] + rule)
        XCTAssertEqual(ranked.status, 1)
        // every record once, with its rank; the rank fields aside, the same lines
        let stripped = ranked.lines.map { $0.replacingOccurrences(of: #"^\{"rank":\d+,"eligibility":"[a-z]+",("points":[0-9.]+,)?"#,
                                                                  with: "{", options: .regularExpression) }
        XCTAssertEqual(stripped.sorted(), plain.lines.sorted())
        XCTAssertEqual(ranked.lines.count, 31)
    }

    func testExitStatuses() throws {
        let dir = try temporaryFolder(self)
        let good = dir.appendingPathComponent("good.jsonl")
        try write(jsonLines(5), good)
        let bad = dir.appendingPathComponent("bad.jsonl")
        try write(jsonLines(2) + "{\"kind\":\"nonsense\"}\n", bad)

        XCTAssertEqual(try kryteria(["batch", good.path, "-q"] + rule).status, 0)
        XCTAssertEqual(try kryteria(["batch", bad.path, "-q"] + rule).status, 1)
        let noRules = try kryteria(["batch", good.path, "-q", "--rules", dir.appendingPathComponent("nope").path])
        XCTAssertEqual(noRules.status, 2, noRules.stderr)
        XCTAssertEqual(try kryteria(["batch", good.path, "-q", "--resume"]).status, 2, "--resume needs -o")
        XCTAssertEqual(try kryteria(["batch", dir.appendingPathComponent("missing.jsonl").path, "-q"]).status, 2)
        XCTAssertEqual(try kryteria(["batch", good.path, "-q", "--rule", "no-such-rule"]).status, 2)
        XCTAssertEqual(try kryteria(["batch", good.path, "-q", "--format", "xml"]).status, 2)
        let o = dir.appendingPathComponent("o.jsonl")
        XCTAssertEqual(try kryteria(["batch", good.path, "-q", "-o", o.path] + rule).status, 0)
        XCTAssertEqual(try String(contentsOf: o, encoding: .utf8).split(separator: "\n").count, 5)
        XCTAssertFalse(FileManager.default.fileExists(atPath: o.path + ".partial"))
    }

    /// The progress line an analyst watches on a terminal speaks the chosen language too (run under
    /// a pseudo-terminal made by util-linux `script`; skipped where there is none).
    func testProgressLineOnATerminalSpeaksTheChosenLanguage() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), let bin = kryteriaBinary else {
            throw XCTSkip("no /usr/bin/script to make a pseudo-terminal")
        }
        let dir = try temporaryFolder(self)
        let input = dir.appendingPathComponent("many.jsonl")
        try write(jsonLines(40_000), input)
        func progress(_ lang: String) throws -> String {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            let cmd = "\(bin) batch \(input.path) --jobs 1 --lang \(lang) -o \(dir.appendingPathComponent("o-\(lang).jsonl").path) --rule ps-status"
            p.arguments = ["-qec", cmd, "/dev/null"]
            p.currentDirectoryURL = URL(fileURLWithPath: repoRoot)
            let out = Pipe()
            p.standardOutput = out
            p.standardInput = FileHandle.nullDevice
            try p.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0)
            return String(decoding: data, as: UTF8.self)
        }
        let pl = try progress("pl")
        XCTAssertNotNil(pl.range(of: #"\] +\d+% [\d ]+ rek\.  [\d ]+ rek\./s  zostało \d+:\d\d"#, options: .regularExpression), pl)
        XCTAssertFalse(pl.contains("rec/s"), pl)
        let en = try progress("en")
        XCTAssertNotNil(en.range(of: #"\] +\d+% [\d ]+ rec  [\d ]+ rec/s  ETA \d+:\d\d"#, options: .regularExpression), en)
    }

    /// A wrong command line is explained in the analyst's language, the system's reason included.
    func testUsageErrorsSpeakTheChosenLanguage() throws {
        let dir = try temporaryFolder(self)
        let good = dir.appendingPathComponent("good.jsonl")
        try write(jsonLines(2), good)
        let missing = dir.appendingPathComponent("brak.jsonl").path
        func err(_ args: [String]) throws -> String {
            let r = try kryteria(["batch"] + args + rule)
            XCTAssertEqual(r.status, 2, r.stderr)
            return r.stderr
        }
        XCTAssertEqual(try err([missing]), "kryteria batch: nie ma pliku wejściowego: \(missing)\n")
        // the argument parser's suggestion and --help in Polish by default, English with --lang en
        XCTAssertTrue(try err([good.path, "--frmat", "csv"]).hasPrefix("Błąd: nieznana opcja '--frmat'. Czy chodziło o '--format'?\n"))
        let help = try kryteria(["batch", "--help"])
        XCTAssertEqual(help.status, 0)
        for word in ["OPIS: ", "UŻYCIE: kryteria batch", "ARGUMENTY:", "OPCJE:", "Pokaż tę pomoc.", "(domyślnie: "] {
            XCTAssertTrue(help.out.contains(word), word + "\n" + help.out)
        }
        for word in ["OVERVIEW:", "USAGE:", "OPTIONS:", "Show help information.", "(default: "] {
            XCTAssertFalse(help.out.contains(word), word)
        }
        let helpEn = try kryteria(["batch", "--help", "--lang", "en"])
        XCTAssertTrue(helpEn.out.hasPrefix("OVERVIEW: "), helpEn.out)
        XCTAssertEqual(try err([missing, "--lang", "en"]), "kryteria batch: no such input file: \(missing)\n")
        XCTAssertEqual(try err([good.path, "-o", dir.path]), "kryteria batch: -o \(dir.path) jest folderem; podaj plik wyniku\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path + ".partial"), "nothing evaluated, nothing left behind")
        XCTAssertEqual(try err([good.path, "--jobs", "0"]), "kryteria batch: --jobs: oczekiwano liczby 1…256, jest 0\n")
        XCTAssertEqual(try err([good.path, "--format", "xml", "--lang", "en"]), "kryteria batch: --format: expected jsonl, csv or xlsx, found xml\n")
        // the output's folder is a file: the system's reason, in Polish
        let out = good.path + "/wynik.jsonl"
        XCTAssertEqual(try err([good.path, "-o", out]), "kryteria batch: nie można zapisać \(out).partial: część ścieżki nie jest folderem\n")
        XCTAssertEqual(try err([good.path, "-o", out, "--lang", "en"]), "kryteria batch: cannot write \(out).partial: Not a directory\n")
        // a folder given as input: the system's reason, in the chosen language
        XCTAssertEqual(try err([dir.path]), "kryteria batch: nie można czytać wejścia: to jest folder, nie plik\n")
        XCTAssertEqual(try err([dir.path, "--lang", "en"]), "kryteria batch: cannot read input: Is a directory\n")
        let date = try kryteria(["batch", good.path, "--as-of", "2025-02-30"])
        XCTAssertTrue(date.stderr.contains("--as-of: oczekiwano istniejącej daty RRRR-MM-DD, jest 2025-02-30"), date.stderr)
    }
}

final class DiffTests: XCTestCase {
    /// Rules/ copied with ps.min_employees raised from 3 to 4.
    func stricterRules() throws -> URL {
        let dir = try temporaryFolder(self)
        let copy = dir.appendingPathComponent("Rules")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: repoRoot + "/Rules"), to: copy)
        let ps = copy.appendingPathComponent("parameters/ps.lua")
        let text = try String(contentsOf: ps, encoding: .utf8)
        let pattern = #"(parameter "ps\.min_employees" \{[^}]*?value = )3"#
        let regex = try NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators])
        let edited = regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "$14")
        XCTAssertNotEqual(edited, text, "the threshold must be found in Rules/parameters/ps.lua")
        try edited.write(to: ps, atomically: true, encoding: .utf8)
        return copy
    }

    /// An enterprise with exactly three people on employment contracts at 1 FTE.
    func threeEmployees(_ id: String) -> String {
        let emp = "{\"contract\":\"employment\",\"fte\":1,\"at_risk\":true,\"disability\":\"none\",\"disability_kinds\":[]}"
        return enterprise(1, id: id, employees: [emp, emp, emp])
    }

    func testDiffOnAChangedThreshold() throws {
        let rules2 = try stricterRules()
        let dir = rules2.deletingLastPathComponent()
        let f = dir.appendingPathComponent("in.jsonl")
        let big = enterprise(1, id: "BIG", employees: Array(repeating: "{\"contract\":\"employment\",\"fte\":1,\"at_risk\":true}", count: 6))
        try write([threeEmployees("THREE"), big].joined(separator: "\n") + "\n", f)

        let r = try kryteria(["diff", f.path, "--rule", "ps-status", "--against", rules2.path, "--json", "--lang", "en"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.lines.count, 2, r.out)   // one changed record + the summary
        let rec = try XCTUnwrap(jsonObject(r.lines[0]))
        XCTAssertEqual(rec["id"] as? String, "THREE")
        XCTAssertEqual(rec["line"] as? Int, 1)
        let change = try XCTUnwrap((rec["changes"] as? [[String: Any]])?.first)
        XCTAssertEqual(change["rule"] as? String, "ps-status")
        let flip = try XCTUnwrap((change["criteria"] as? [[String: Any]])?.first { $0["id"] as? String == "PS-05" })
        XCTAssertEqual(flip["before"] as? String, "pass")
        XCTAssertEqual(flip["after"] as? String, "fail")
        XCTAssertTrue((flip["reason_after"] as? String ?? "").contains("4"), "\(flip)")
        let summary = try XCTUnwrap(jsonObject(r.lines[1])?["summary"] as? [String: Any])
        XCTAssertEqual(summary["records"] as? Int, 2)
        XCTAssertEqual(summary["changed"] as? Int, 1)

        let table = try kryteria(["diff", f.path, "--rule", "ps-status", "--against", rules2.path, "--lang", "en"])
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.out.contains("PS-05"), table.out)
        XCTAssertTrue(table.out.contains("THREE"), table.out)
        XCTAssertFalse(table.out.contains("BIG"), "an unchanged record is not listed")
        let pl = try kryteria(["diff", f.path, "--rule", "ps-status", "--against", rules2.path])
        XCTAssertTrue(pl.out.contains("Zmienione rekordy"), pl.out)
        // the outcomes in the words of the reports and the HTML diff
        XCTAssertTrue(pl.out.contains("  ps-status: spełnia → nie spełnia\n    PS-05  spełnia → nie spełnia\n"), pl.out)

        // the same rules on both sides: nothing changes
        let same = try kryteria(["diff", f.path, "--rule", "ps-status", "--against", "Rules", "--json"])
        XCTAssertEqual(same.lines.count, 1)
        XCTAssertEqual((jsonObject(same.lines[0])?["summary"] as? [String: Any])?["changed"] as? Int, 0)
    }

    func testDiffArguments() throws {
        let dir = try temporaryFolder(self)
        let f = dir.appendingPathComponent("in.jsonl")
        try write(jsonLines(2), f)
        let noAgainst = try kryteria(["diff", f.path])
        XCTAssertEqual(noAgainst.status, 2, "needs --against or --against-as-of")
        XCTAssertEqual(noAgainst.stderr, "kryteria diff: podaj --against FOLDER (inne reguły) i/lub --against-as-of DATA\n")
        let badDate = try kryteria(["diff", f.path, "--against-as-of", "2025-02-30", "--lang", "en"])
        XCTAssertEqual(badDate.status, 2)
        XCTAssertEqual(badDate.stderr, "kryteria diff: --against-as-of: expected a date YYYY-MM-DD that exists, found 2025-02-30\n")
        XCTAssertEqual(try kryteria(["diff", f.path, "--against", dir.appendingPathComponent("nope").path]).status, 2)
        let dates = try kryteria(["diff", f.path, "--as-of", "2023-01-01", "--against-as-of", "2024-06-01", "--json"])
        XCTAssertEqual(dates.status, 0, dates.stderr)
        XCTAssertNotNil(jsonObject(dates.lines.last ?? "")?["summary"])
    }
}

/// --rank ranks eligibility first (issue: a ranking that means eligibility).
final class RankTests: XCTestCase {
    func testRankOrdersEligibleThenUndeterminedThenIneligibleByPoints() throws {
        let r = try kryteria(["batch", repoRoot + "/Playground/applications.jsonl", "--rank", "-q"])
        XCTAssertEqual(r.status, 1, r.stderr)   // two broken lines in the Playground call
        let objs = r.lines.compactMap(jsonObject)
        XCTAssertEqual(objs.count, 61)
        let order = ["eligible": 0, "undetermined": 1, "ineligible": 2, "invalid": 3]
        var last = (group: -1, points: Double.infinity)
        for (i, o) in objs.enumerated() {
            XCTAssertEqual(o["rank"] as? Int, i + 1)
            let g = try XCTUnwrap(order[o["eligibility"] as? String ?? ""], "\(o)")
            let pts = (o["points"] as? Double) ?? -Double.infinity
            XCTAssertGreaterThanOrEqual(g, last.group, "rank \(i + 1) is out of its group")
            if g == last.group { XCTAssertLessThanOrEqual(pts, last.points, "rank \(i + 1): points not descending") }
            last = (g, pts)
        }
        // the Playground's undetermined and ineligible applications with many points no longer come first
        let top = objs.prefix(10).compactMap { $0["id"] as? String }
        XCTAssertFalse(top.contains("wn-2025-015"), "\(top)")
        XCTAssertFalse(top.contains("wn-2025-017"), "\(top)")
        XCTAssertEqual(objs.last?["eligibility"] as? String, "invalid")
    }

    func testRankedCSVHasRankEligibilityAndPointsInPolish() throws {
        let r = try kryteria(["batch", repoRoot + "/Playground/applications.jsonl", "--rank", "--format", "csv", "-q"])
        let lines = r.out.split(separator: "\n")
        XCTAssertEqual(lines.first, "rank,eligibility,points,id,line,rule,outcome,amount,score,failed,missing,message")
        XCTAssertTrue(lines[1].hasPrefix("1,spełnia,"), String(lines[1]))
        XCTAssertTrue(r.out.contains(",nie spełnia,"), r.out)
        let en = try kryteria(["batch", repoRoot + "/Playground/applications.jsonl", "--rank", "--format", "csv", "-q", "--lang", "en"])
        XCTAssertTrue(en.out.split(separator: "\n")[1].hasPrefix("1,eligible,"), en.out)
    }

    /// Points with a fraction (a call that gives 2.5 points) keep every row at its twelve columns:
    /// a decimal point in standard CSV, a decimal comma between semicolons in excel-pl.
    func testRankedCSVWithFractionalPointsKeepsItsColumns() throws {
        let dir = try temporaryFolder(self)
        let rules = dir.appendingPathComponent("Rules")
        try FileManager.default.copyItem(atPath: repoRoot + "/Rules", toPath: rules.path)
        let f = rules.appendingPathComponent("examples/owes-job-creation-scoring.lua")
        let text = try String(contentsOf: f, encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        let at = try XCTUnwrap(lines.firstIndex { $0.contains("\"score.reintegration_type\"") })
        var changed = lines
        for i in at..<min(at + 8, lines.count) where changed[i].contains("value = 5 }") {
            changed[i] = changed[i].replacingOccurrences(of: "value = 5 }", with: "value = 2.5 }")
        }
        XCTAssertNotEqual(changed, lines)
        try changed.joined(separator: "\n").write(to: f, atomically: true, encoding: .utf8)
        let input = repoRoot + "/Playground/applications.jsonl"
        for (dialect, sep) in [("standard", ","), ("excel-pl", ";")] {
            let r = try kryteria(["batch", input, "--rules", rules.path, "--rank", "--format", "csv", "--csv-dialect", dialect, "-q"])
            let rows = parseCSV(r.out, separator: Character(sep))
            XCTAssertGreaterThan(rows.count, 50)
            XCTAssertTrue(rows.allSatisfy { $0.count == 12 }, "\(dialect): \(rows.filter { $0.count != 12 }.prefix(3))")
            let fractional = rows.dropFirst().filter { $0[2].contains(dialect == "standard" ? "." : ",") }
            XCTAssertFalse(fractional.isEmpty, "\(dialect): some points have a fraction")
            XCTAssertTrue(fractional.allSatisfy { Double($0[2].replacingOccurrences(of: ",", with: ".")) != nil }, "\(fractional.prefix(2))")
            let scores = rows.dropFirst().map { $0[8] }.filter { !$0.isEmpty }
            XCTAssertFalse(scores.isEmpty)
            XCTAssertTrue(scores.allSatisfy { !$0.contains(dialect == "standard" ? "," : ".") }, "\(dialect): \(scores.prefix(5))")
        }
    }


    func testSummaryListsInvalidLinesAndRepeatedIDs() throws {
        let input = """
        {"kind":"person","id":"a"}
        {"kind":"person","id":"b"}
        {"kind":"person","id":"a",}
        {"kind":"person","id":"c","birth_date":"jutro"}
        {"kind":"person","id":"a"}
        """
        let r = try kryteria(["batch", "--rule", "at-risk-person", "-"], stdin: Data(input.utf8))
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("linie z błędem: 3, 4"), r.stderr)
        XCTAssertTrue(r.stderr.contains("ten sam identyfikator a w liniach: 1, 5"), r.stderr)
        XCTAssertEqual(r.lines.count, 5, "one result per record")
    }
}

/// A FIFO made at `path` and read to its end on a thread of its own (a writer blocks until it is).
final class FIFOReader {
    private let thread: Thread
    init(_ path: String) throws {
        guard mkfifo(path, 0o600) == 0 else { throw CocoaError(.fileWriteUnknown) }
        var box = Data()
        thread = Thread { if let h = FileHandle(forReadingAtPath: path) { box = h.readDataToEndOfFile(); try? h.close() } }
        thread.start()
        self.finish = { box }
    }
    private var finish: () -> Data = { Data() }
    /// What the writer wrote: waits up to 2 s for it to close the FIFO ("" if it never opened it).
    func text() -> String {
        for _ in 0..<100 where !thread.isFinished { usleep(20_000) }
        return thread.isFinished ? String(decoding: finish(), as: UTF8.self) : ""
    }
}
