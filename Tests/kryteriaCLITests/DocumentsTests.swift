import Foundation
import XCTest

/// The documents people read, opened as their users' tools open them: the HTML pages parsed and
/// drawn by a headless Chromium (DOM dump and PNG), the workbook read back by openpyxl.
final class DocumentsTests: XCTestCase {

    // MARK: tools

    /// Chromium, installed by `make setup` (Debian package); the test is skipped, saying so, without it.
    static let chromium: String? = {
        for p in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"] where FileManager.default.isExecutableFile(atPath: p) { return p }
        return nil
    }()

    func requireChromium() throws -> String {
        guard let c = Self.chromium else {
            throw XCTSkip("headless Chromium is not installed (Debian: apt-get install chromium; `make setup` does it): HTML rendering not checked")
        }
        return c
    }

    /// Runs a tool; (status, stdout, stderr).
    @discardableResult
    func run(_ exe: String, _ args: [String], env: [String: String] = [:]) throws -> (Int32, Data, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: repoRoot)
        var e = ProcessInfo.processInfo.environment
        for (k, v) in env { e[k] = v }
        p.environment = e
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        var errData = Data()
        let g = DispatchGroup()
        g.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); g.leave() }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        g.wait()
        p.waitUntilExit()
        return (p.terminationStatus, o, String(decoding: errData, as: UTF8.self))
    }

    /// The DOM Chromium builds from the page (proves it parses; scripts could not add anything: there are none).
    func dom(_ html: URL, _ dir: URL) throws -> String {
        let c = try requireChromium()
        let (st, out, err) = try run(c, ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + dir.appendingPathComponent("chr-dom").path,
                                         "--dump-dom", html.absoluteString])
        XCTAssertEqual(st, 0, err)
        return String(decoding: out, as: UTF8.self)
    }

    /// Draws the page to a PNG; returns its width and height (read from the PNG header).
    func screenshot(_ html: URL, _ png: URL, _ dir: URL, height: Int = 2400) throws -> (Int, Int) {
        let c = try requireChromium()
        let (st, _, err) = try run(c, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                       "--user-data-dir=" + dir.appendingPathComponent("chr-png").path,
                                       "--window-size=900,\(height)", "--screenshot=" + png.path, html.absoluteString])
        XCTAssertEqual(st, 0, err)
        let d = try Data(contentsOf: png)
        XCTAssertEqual(Array(d.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "not a PNG")
        func be32(_ o: Int) -> Int { d[o..<o + 4].reduce(0) { $0 << 8 | Int($1) } }
        // a drawn page compresses far less than an empty one
        XCTAssertGreaterThan(d.count, 30_000, "the PNG looks blank")
        return (be32(16), be32(20))
    }

    /// The workbook as openpyxl reads it.
    func openpyxl(_ xlsx: URL, maxRows: Int = 100_000) throws -> [String: Any] {
        let (st, out, err) = try run("/usr/bin/env", ["python3", repoRoot + "/Tests/Documents/xlsx_dump.py", xlsx.path, String(maxRows)])
        if st == 3 { throw XCTSkip("openpyxl is not installed (pip install openpyxl; `make test` installs it)") }
        XCTAssertEqual(st, 0, err)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: out) as? [String: Any])
    }

    func sheet(_ wb: [String: Any], _ name: String) throws -> [String: Any] {
        let sheets = try XCTUnwrap(wb["sheets"] as? [[String: Any]])
        return try XCTUnwrap(sheets.first { $0["name"] as? String == name }, "no sheet \(name) in \(sheets.map { $0["name"] ?? "" })")
    }

    func rows(_ s: [String: Any]) -> [[[String: Any]]] { s["rows"] as? [[[String: Any]]] ?? [] }

    /// No fetch from anywhere: no external src/href, no @import, no url(), no script.
    func assertSelfContained(_ html: String, file: StaticString = #filePath, line: UInt = #line) {
        for bad in ["<script", "src=", "href=\"http", "@import", "url(", "<link"] {
            XCTAssertFalse(html.contains(bad), "the page refers to \(bad)", file: file, line: line)
        }
        let withoutSVGNamespace = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
        XCTAssertFalse(withoutSVGNamespace.contains("http://") || withoutSVGNamespace.contains("https://"), "the page names a web address", file: file, line: line)
    }

    // MARK: decision sheet

    func testDecisionSheetInPolishIsParsedAndDrawnByChromium() throws {
        let dir = try temporaryFolder(self)
        let r = try kryteria(["check", "Playground/profiles/pes-002.json", "Playground/profiles/wn-2025-054.json", "Playground/profiles/os-901.json",
                              "--format", "html", "-o", dir.appendingPathComponent("karty").path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("karty").path).sorted()
        XCTAssertEqual(names, ["os-901.html", "pes-002.html", "wn-2025-054.html"])
        XCTAssertTrue(r.stderr.contains("karta oceny: "), r.stderr)

        let page = dir.appendingPathComponent("karty/pes-002.html")
        let html = try String(contentsOf: page, encoding: .utf8)
        assertSelfContained(html)
        // heading: who, kind, as-of and its source, ruleset hash, version
        XCTAssertTrue(html.contains("Fundacja Warmińska Przystań"))
        XCTAssertTrue(html.contains("podmiot"))
        XCTAssertTrue(html.contains("2025-06-01") && html.contains("z profilu, pole as_of"))
        XCTAssertTrue(html.contains("sha256:"))
        XCTAssertTrue(html.contains("Kryteria 0."))
        // the rule: outcome in the words of the terminal report, act with Dz.U., the criteria table
        XCTAssertTrue(html.contains("NIE SPEŁNIA"))
        XCTAssertTrue(html.contains("ustawa z 5 sierpnia 2022 r. o ekonomii społecznej (Dz.U. 2024 poz. 113)"))
        XCTAssertTrue(html.contains("zatrudnionych na min. 1/2 etatu: 2, wymagane co najmniej 3 (brakuje 1)"))
        XCTAssertTrue(html.contains("art. 5 ust. 1"))
        // a rule for another kind of entity folds into one line
        XCTAssertTrue(html.contains("Nie dotyczy"))
        XCTAssertTrue(html.contains("Zakład aktywności zawodowej"))
        XCTAssertFalse(html.contains("[zaz-staff]</span></h2>"), "a closed rule got a whole table")
        // assumptions, signature block, print CSS
        XCTAssertTrue(html.contains("Założenie: udział liczony"))
        XCTAssertTrue(html.contains("Imię i nazwisko konsultanta") && html.contains("Data i podpis"))
        XCTAssertTrue(html.contains("@page { size: A4") && html.contains("break-inside: avoid"))
        // unverified parameters the decision rests on: marked "M" (the enterprise-sector average wage of
        // PS-09) or by their basis, in words; none that only another kind of rule uses
        let params = String(html[(html.range(of: "Parametry niezweryfikowane")?.lowerBound ?? html.endIndex)...])
        XCTAssertTrue(params.contains("Przeciętne miesięczne wynagrodzenie w sektorze przedsiębiorstw w poprzednim roku"), params)
        XCTAssertTrue(params.contains("<code>ps.pay_cap_multiple</code>"), params)
        XCTAssertFalse(params.contains("owes.job_creation_unit_cost"), "a parameter of the OWES grant is no basis of a PS status: \(params)")

        // Chromium parses it: every criterion of ps-status is a row of the table
        let d = try dom(page, dir)
        XCTAssertEqual(d.components(separatedBy: "<tr class=\"c-").count - 1, 11, "PS-01 … PS-11 should be 11 rows")
        XCTAssertTrue(d.contains("<h1>Fundacja Warmińska Przystań, Olsztyn</h1>"), String(d.prefix(2000)))
        let (w, h) = try screenshot(page, dir.appendingPathComponent("pes-002.png"), dir)
        XCTAssertEqual(w, 900)
        XCTAssertEqual(h, 2400)

        // an undetermined application: what is missing becomes a question to the applicant
        let wn = try String(contentsOf: dir.appendingPathComponent("karty/wn-2025-054.html"), encoding: .utf8)
        XCTAssertTrue(wn.contains("NIEUSTALONE"))
        XCTAssertTrue(wn.contains("Do wyjaśnienia z wnioskodawcą"))
        XCTAssertTrue(wn.contains("Czy podmiot ma obecnie status przedsiębiorstwa społecznego"), wn)
        XCTAssertTrue(wn.contains("Brakuje: status przedsiębiorstwa społecznego (podmiot)"), "missing data in words, not paths")
        XCTAssertFalse(wn.contains("Brakuje: <code>"))
        XCTAssertFalse(wn.contains("(has_ps_status)"), "the reason speaks in words")
        XCTAssertTrue(wn.contains("data złożenia wniosku, pole submitted_on"))
        XCTAssertTrue(wn.contains("Parametry niezweryfikowane obowiązujące w dniu 2025-06-22"))
    }

    func testDecisionSheetInEnglishToOneFileAndPDF() throws {
        let dir = try temporaryFolder(self)
        let file = dir.appendingPathComponent("sheet.html")
        let r = try kryteria(["check", "Playground/profiles/wn-2025-001.json", "--format", "html", "-o", file.path, "--lang", "en"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let html = try String(contentsOf: file, encoding: .utf8)
        XCTAssertTrue(html.contains("<html lang=\"en\">"))
        XCTAssertTrue(html.contains("Eligibility decision sheet") && html.contains("ELIGIBLE") && html.contains("Consultant&#39;s name"))
        XCTAssertFalse(html.contains("Karta oceny"))
        XCTAssertTrue(html.contains("PLN 31,229.00"), "amount in English form")

        // several profiles into one file: refused, nothing half-written
        let two = try kryteria(["check", "Playground/profiles/wn-2025-001.json", "Playground/profiles/pes-002.json",
                                "--format", "html", "-o", dir.appendingPathComponent("two.html").path])
        XCTAssertEqual(two.status, 2)
        XCTAssertTrue(two.stderr.contains("mieści jeden profil, a jest ich 2; dla kilku podaj folder"), two.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("two.html").path),
                       "refused before the first sheet is written")
        XCTAssertFalse(two.stderr.contains("karta oceny:"), two.stderr)

        // PDF through Chromium
        _ = try requireChromium()
        let pdf = dir.appendingPathComponent("sheet.pdf")
        let p = try kryteria(["check", "Playground/profiles/wn-2025-001.json", "--format", "pdf", "-o", pdf.path])
        XCTAssertEqual(p.status, 0, p.stderr)
        let bytes = try Data(contentsOf: pdf)
        XCTAssertEqual(String(decoding: bytes.prefix(5), as: UTF8.self), "%PDF-")
        XCTAssertGreaterThan(bytes.count, 10_000)
        // A4 pages (595 × 842 pt); a person with six rules needs more than one
        let long = dir.appendingPathComponent("os-908.pdf")
        XCTAssertEqual(try kryteria(["check", "Playground/profiles/os-908.json", "--format", "pdf", "-o", long.path]).status, 0)
        let text = String(decoding: try Data(contentsOf: long), as: UTF8.self)
        let boxes = text.components(separatedBy: "/MediaBox [0 0 594.9").count - 1
        XCTAssertGreaterThan(boxes, 1, "several A4 pages")
        XCTAssertEqual(text.components(separatedBy: "/MediaBox").count - 1, boxes, "every page is A4")
    }

    /// A decision sheet goes to standard output with "-o -", and into a device or a FIFO in place
    /// (as one file: a path without .html used to be taken for a folder to make).
    func testDecisionSheetToStandardOutputAndToAFIFO() throws {
        let dash = try kryteria(["check", "Playground/profiles/pes-002.json", "--format", "html", "-o", "-"])
        XCTAssertEqual(dash.status, 0, dash.stderr)
        XCTAssertTrue(dash.out.hasPrefix("<!DOCTYPE html>"), String(dash.out.prefix(80)))
        let dir = try temporaryFolder(self)
        let fifo = dir.appendingPathComponent("sheet.fifo").path
        let reader = try FIFOReader(fifo)
        let r = try kryteria(["check", "Playground/profiles/pes-002.json", "--format", "html", "-o", fifo])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(reader.text().contains("</html>"))
        var st = stat()
        XCTAssertEqual(stat(fifo, &st), 0)
        XCTAssertEqual(st.st_mode & S_IFMT, S_IFIFO)
    }

    func testPDFWithoutChromiumSaysSoClearly() throws {
        let dir = try temporaryFolder(self)
        let (st, _, err) = try run(kryteriaBinary!, ["check", "Playground/profiles/wn-2025-001.json", "--format", "pdf", "-o", dir.appendingPathComponent("x.pdf").path],
                                   env: ["KRYTERIA_CHROMIUM": "/nonexistent/chromium"])
        XCTAssertEqual(st, 2)
        XCTAssertTrue(err.contains("apt-get install chromium") && err.contains("--format html"), err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.pdf").path))
    }

    func testDecisionSheetOfAnInvalidProfileAndAnUnwritableFolder() throws {
        let dir = try temporaryFolder(self)
        let bad = dir.appendingPathComponent("bad.json")
        try write("{\"kind\":\"person\",\"id\":\"zła-osoba\",\"name\":\"Żaneta Łęcka\",\"birth_date\":\"wczoraj\",\"labour_status\":\"bezrobotna\"}", bad)
        let r = try kryteria(["check", bad.path, "--format", "html", "-o", dir.appendingPathComponent("out").path])
        XCTAssertEqual(r.status, 1, r.stderr)
        let html = try String(contentsOf: dir.appendingPathComponent("out/zła-osoba.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("PROFIL NIEPOPRAWNY") && html.contains("$.birth_date") && html.contains("Żaneta Łęcka"), html)
        // a code outside the list: the codes with their words
        XCTAssertTrue(html.contains("wartości: osoba pracująca (employed), osoba bezrobotna (unemployed)"), html)

        // a folder under a regular file cannot be made
        let blocker = dir.appendingPathComponent("plik")
        try write("x", blocker)
        let u = try kryteria(["check", "Playground/profiles/pes-002.json", "--format", "html", "-o", blocker.appendingPathComponent("karty").path])
        XCTAssertEqual(u.status, 2)
        XCTAssertTrue(u.stderr.contains(blocker.path), u.stderr)
    }

    // MARK: workbook

    func testWorkbookReadBackByOpenpyxl() throws {
        let dir = try temporaryFolder(self)
        let xlsx = dir.appendingPathComponent("wyniki.xlsx")
        let r = try kryteria(["batch", "Playground/applications.jsonl", "--format", "xlsx", "-o", xlsx.path, "-q"])
        XCTAssertEqual(r.status, 1, "lines 26 and 31 are broken on purpose: " + r.stderr)
        XCTAssertTrue(r.out.isEmpty, "a workbook is not written to stdout")
        XCTAssertFalse(FileManager.default.fileExists(atPath: xlsx.path + ".partial"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: xlsx.path + ".rows.tmp"))
        let wb = try openpyxl(xlsx)
        let names = (wb["sheets"] as? [[String: Any]] ?? []).map { $0["name"] as? String ?? "" }
        XCTAssertEqual(names, ["Wyniki", "Podsumowanie", "Parametry"])

        let wyniki = try sheet(wb, "Wyniki")
        XCTAssertEqual(wyniki["freeze"] as? String, "A2")
        XCTAssertTrue((wyniki["filter"] as? String ?? "").hasPrefix("A1:"), "\(wyniki["filter"] ?? "")")
        XCTAssertEqual(wyniki["max_row"] as? Int, 62, "a header and one row per record")
        let rs = rows(wyniki)
        let head = rs[0].map { $0["v"] as? String ?? "" }
        XCTAssertEqual(Array(head.prefix(9)), ["Wiersz", "Identyfikator", "Nazwa", "Program", "Wynik", "Miejsce w rankingu", "Punkty", "Kwota (zł)",
                                               "Niespełnione kryteria (uzasadnienie)"])
        XCTAssertTrue(head.contains("OWES-01a") && head.contains("SC-03"))
        XCTAssertTrue(rs[0].allSatisfy { $0["bold"] as? Bool == true }, "header in bold")
        // input order: the line column is 1…61
        XCTAssertEqual(rs.dropFirst().map { $0[0]["v"] as? Int }, (1...61).map { Optional($0) })
        let first = rs[1]
        XCTAssertEqual(first[0]["t"] as? String, "int")
        XCTAssertEqual(first[1]["v"] as? String, "wn-2025-001")
        XCTAssertEqual(first[2]["v"] as? String, "Wniosek 1: Fundacja Dobrych Rąk", "Polish characters intact")
        XCTAssertEqual(first[3]["v"] as? String, "OWES: dotacja na utworzenie miejsca pracy", "the programme by its title")
        XCTAssertEqual(first[4]["v"] as? String, "spełnia")
        XCTAssertEqual(first[6]["v"] as? Int, 5, "points as a number")
        XCTAssertEqual(first[7]["v"] as? Int, 31229, "the amount as a number")
        XCTAssertEqual(first[7]["fmt"] as? String, "#,##0.00\\ \"zł\"", "złoty format")
        let oc = head.firstIndex(of: "OWES-01a")!
        XCTAssertEqual(first[oc]["v"] as? String, "spełnia")
        // ranks: eligible applications only, 1…n without gaps
        let ranks = rs.dropFirst().compactMap { $0[5]["v"] as? Int }.sorted()
        XCTAssertEqual(ranks, Array(1...ranks.count))
        let ineligible = rs.dropFirst().filter { $0[4]["v"] as? String == "nie spełnia" }
        XCTAssertFalse(ineligible.isEmpty)
        XCTAssertTrue(ineligible.allSatisfy { $0[5]["v"] == nil || $0[5]["v"] is NSNull }, "an ineligible application has no rank")
        XCTAssertTrue((ineligible[0][8]["v"] as? String ?? "").contains(":"), "failed criteria with reasons")
        // the broken lines keep their row, with their message
        let r26 = rs[26], r31 = rs[31]
        XCTAssertEqual(r26[0]["v"] as? Int, 26)
        XCTAssertEqual(r26[4]["v"] as? String, "profil niepoprawny")
        XCTAssertTrue((r26[8]["v"] as? String ?? "").contains("pół etatu"))
        XCTAssertEqual(r31[4]["v"] as? String, "błędny JSON")
        XCTAssertTrue((r31[8]["v"] as? String ?? "").hasPrefix("wiersz 31, kolumna"), "\(r31)")

        // Podsumowanie: counts per rule and outcome, failing criteria, invalid lines with messages
        let pod = rows(try sheet(wb, "Podsumowanie")).map { $0.map { $0["v"] } }
        func find(_ s: String) -> [Any?]? { pod.first { ($0.first as? String) == s } }
        XCTAssertEqual(find("Rekordy")?[1] as? Int, 61)
        XCTAssertEqual(find("Niepoprawne rekordy")?[1] as? Int, 2)
        let creation = try XCTUnwrap(find("owes-job-creation"))
        XCTAssertEqual(creation[1] as? String, "OWES: dotacja na utworzenie miejsca pracy")
        XCTAssertEqual((creation[2] as? Int ?? 0) + (creation[3] as? Int ?? 0) + (creation[4] as? Int ?? 0), creation[6] as? Int)
        XCTAssertNotNil(find("OWES-01b"), "the most failing criterion is listed")
        XCTAssertTrue(pod.contains { ($0.first as? Int) == 26 && ($0.count > 2) && (($0[2] as? String) ?? "").contains("pół etatu") })
        XCTAssertTrue(pod.contains { ($0.first as? Int) == 31 && (($0[2] as? String) ?? "").contains("przecinek przed") })

        // Parametry: values in force with legal basis
        let par = rows(try sheet(wb, "Parametry")).map { $0.map { $0["v"] } }
        XCTAssertTrue((par[0][0] as? String ?? "").hasPrefix("Parametry obowiązujące"))
        let minWage = try XCTUnwrap(par.first { $0.first as? String == "minimum_wage" })
        XCTAssertEqual(minWage[2] as? Int, 4666)
        XCTAssertTrue((minWage[1] as? String ?? "").lowercased().contains("minimalne wynagrodzenie"), "the parameter in words: \(minWage)")
        XCTAssertTrue((minWage[6] as? String ?? "").contains("minimalnego wynagrodzenia"))
        XCTAssertTrue(par.contains { ($0.last as? String) == "niezweryfikowane" }, "unverified parameters are marked")
        // marked by confidence "M", not only by words in the basis: the enterprise-sector average wage (PS-09)
        XCTAssertTrue(par.contains { ($0.first as? String) == "average_wage_enterprise_annual" && (($0.last as? String) ?? "").hasPrefix("niezweryfikowane") }, "\(par)")
        // dates as dates, amounts in złoty
        let cells = rows(try sheet(wb, "Parametry"))
        let mwCells = try XCTUnwrap(cells.first { $0.first?["v"] as? String == "minimum_wage" })
        XCTAssertEqual(mwCells[4]["t"] as? String, "datetime", "'obowiązuje od' is a date: \(mwCells[4])")
        XCTAssertEqual(mwCells[2]["fmt"] as? String, "#,##0.00\\ \"zł\"", "\(mwCells[2])")
    }

    func testWorkbookInEnglishRankedAndFromPeople() throws {
        let dir = try temporaryFolder(self)
        let xlsx = dir.appendingPathComponent("ranked.xlsx")
        let r = try kryteria(["batch", "Playground/applications.jsonl", "--format", "xlsx", "-o", xlsx.path, "--rank", "--lang", "en", "-q"])
        XCTAssertEqual(r.status, 1, r.stderr)
        let wb = try openpyxl(xlsx)
        let rs = rows(try sheet(wb, "Results"))
        XCTAssertEqual(rs[0][4]["v"] as? String, "Outcome")
        // ranked: the rows come in the order of `batch --rank` (not the input order)
        let ranked = try kryteria(["batch", "Playground/applications.jsonl", "--rank"])
        let ids = ranked.lines.map { jsonObject($0)?["line"] as? Int }
        XCTAssertEqual(rs.dropFirst().map { $0[0]["v"] as? Int }, ids)
        XCTAssertNotEqual(ids, (1...61).map { Optional($0) })
        XCTAssertTrue(rs.dropFirst().contains { $0[4]["v"] as? String == "eligible" })
        // each ranked row names its applicant, from its own input line (the column was empty)
        let input = try String(contentsOfFile: repoRoot + "/Playground/applications.jsonl", encoding: .utf8).components(separatedBy: "\n")
        var named = 0
        for row in rs.dropFirst() {
            guard let line = row[0]["v"] as? Int, let o = jsonObject(input[line - 1]), let name = o["name"] as? String else { continue }
            XCTAssertEqual(row[2]["v"] as? String, name, "line \(line)")
            named += 1
        }
        XCTAssertGreaterThan(named, 50)
        XCTAssertNotNil(try? sheet(wb, "Summary"))

        let people = dir.appendingPathComponent("people.xlsx")
        let p = try kryteria(["batch", "Playground/people.jsonl", "--format", "xlsx", "-o", people.path, "-q"])
        XCTAssertTrue(p.status == 0 || p.status == 1, p.stderr)
        let prs = rows(try sheet(try openpyxl(people), "Wyniki"))
        let lines = try String(contentsOfFile: repoRoot + "/Playground/people.jsonl", encoding: .utf8).split(separator: "\n").count
        XCTAssertEqual(prs.count, lines + 1)
        XCTAssertTrue((prs[1][4]["v"] as? String ?? "").contains(": "), "a person's rules each with its outcome")
    }

    func testWorkbookFailurePaths() throws {
        let dir = try temporaryFolder(self)
        let blocker = dir.appendingPathComponent("plik")
        try write("x", blocker)
        let bad = blocker.appendingPathComponent("wyniki.xlsx").path
        let r = try kryteria(["batch", "Playground/applications.jsonl", "--format", "xlsx", "-o", bad])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains(bad), r.stderr)
        let noOut = try kryteria(["batch", "Playground/applications.jsonl", "--format", "xlsx"])
        XCTAssertEqual(noOut.status, 2)
        XCTAssertTrue(noOut.stderr.contains("-o"), noOut.stderr)
        let resume = try kryteria(["batch", "Playground/applications.jsonl", "--format", "xlsx", "-o", dir.appendingPathComponent("a.xlsx").path, "--resume"])
        XCTAssertEqual(resume.status, 2)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["plik"], "nothing left behind")
    }

    // MARK: CSV for a Polish Excel

    func testCSVExcelPLDialect() throws {
        let dir = try temporaryFolder(self)
        let out = dir.appendingPathComponent("wyniki.csv")
        let input = dir.appendingPathComponent("in.jsonl")
        // a person in a household with an income in grosze, and a broken line
        try write("{\"kind\":\"application\",\"id\":\"wn-ą\",\"program\":\"owes-job-creation\",\"submitted_on\":\"2025-05-03\",\"requested_amount\":1234.5}\n{bad\n", input)
        let r = try kryteria(["batch", input.path, "--format", "csv", "--csv-dialect", "excel-pl", "-o", out.path, "-q"])
        XCTAssertEqual(r.status, 1, r.stderr)
        let bytes = try Data(contentsOf: out)
        XCTAssertEqual(Array(bytes.prefix(3)), [0xEF, 0xBB, 0xBF], "UTF-8 BOM")
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        XCTAssertEqual(lines[0], "id;line;rule;outcome;amount;score;failed;missing;message")
        XCTAssertTrue(lines[1].hasPrefix("wn-ą;1;owes-job-creation;"), lines[1])
        XCTAssertTrue(lines.last!.hasPrefix(";2;;niepoprawny;"), lines.last!)
        let std = try kryteria(["batch", input.path, "--format", "csv", "--csv-dialect", "nope"])
        XCTAssertEqual(std.status, 2)
        XCTAssertTrue(std.stderr.contains("excel-pl"), std.stderr)
    }

    // MARK: batch and diff reports

    func testBatchReportWithChartsNextToTheResults() throws {
        let dir = try temporaryFolder(self)
        let report = dir.appendingPathComponent("raport.html")
        let results = dir.appendingPathComponent("wyniki.jsonl")
        let r = try kryteria(["batch", "Playground/applications.jsonl", "-o", results.path, "--report", report.path, "-q"])
        XCTAssertEqual(r.status, 1, r.stderr)
        // the usual results are unchanged: one line per record, in order
        let lines = try String(contentsOf: results, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 61)
        XCTAssertEqual(lines.compactMap { jsonObject(String($0))?["line"] as? Int }, Array(1...61))
        let plain = try kryteria(["batch", "Playground/applications.jsonl"])
        XCTAssertEqual(plain.lines.count, 61)
        XCTAssertEqual(plain.lines, lines.map(String.init), "the report does not change the results")

        let html = try String(contentsOf: report, encoding: .utf8)
        assertSelfContained(html)
        XCTAssertTrue(html.contains("Wynik według reguły") && html.contains("Kryteria, które najczęściej przesądzają o odmowie"))
        XCTAssertTrue(html.contains("Rozkład punktów") && html.contains("Rozkład kwot"))
        XCTAssertTrue(html.contains("Nieustalone: o co najczęściej trzeba dopytać"))
        // the fields to ask for in words, where they are; their paths kept small beside them
        XCTAssertTrue(html.contains("status przedsiębiorstwa społecznego — podmiot"), "missing fields in words")
        XCTAssertTrue(html.contains("stopień niepełnosprawności — stanowisko, osoba na stanowisku"), "missing fields in words")
        XCTAssertTrue(html.contains("Niepoprawne rekordy (2)") && html.contains("pół etatu"))
        let d = try dom(report, dir)
        XCTAssertGreaterThanOrEqual(d.components(separatedBy: "<svg").count - 1, 5, "five charts")
        XCTAssertTrue(d.contains("<rect"))
        _ = try screenshot(report, dir.appendingPathComponent("raport.png"), dir, height: 3000)

        // the CSV with a report: same CSV as without
        let csv = dir.appendingPathComponent("w.csv")
        _ = try kryteria(["batch", "Playground/applications.jsonl", "--format", "csv", "-o", csv.path, "--report", dir.appendingPathComponent("r2.html").path])
        let csvPlain = try kryteria(["batch", "Playground/applications.jsonl", "--format", "csv"])
        XCTAssertEqual(try String(contentsOf: csv, encoding: .utf8), csvPlain.out)

        // an unwritable report fails before the run
        let blocker = dir.appendingPathComponent("plik")
        try write("x", blocker)
        let u = try kryteria(["batch", "Playground/applications.jsonl", "--report", blocker.appendingPathComponent("r.html").path])
        XCTAssertEqual(u.status, 2)
        XCTAssertTrue(u.out.isEmpty)
        XCTAssertTrue(u.stderr.contains("r.html"), u.stderr)
    }

    func testDiffReport() throws {
        let dir = try temporaryFolder(self)
        let report = dir.appendingPathComponent("diff.html")
        let r = try kryteria(["diff", "Playground/applications.jsonl", "--against-as-of", "2026-03-01", "--report", report.path])
        XCTAssertEqual(r.status, 1, r.stderr)
        let html = try String(contentsOf: report, encoding: .utf8)
        assertSelfContained(html)
        XCTAssertTrue(html.contains("Skutki zmiany") && html.contains("na dzień 2026-03-01"))
        XCTAssertTrue(html.contains("Kryteria, które zmieniły wynik") && html.contains("SC-04"))
        XCTAssertTrue(html.contains("spełnia → nie spełnia"), "flips in words")
        let d = try dom(report, dir)
        XCTAssertTrue(d.contains("<svg"))
    }

    // MARK: REPL

    func testReplReportWritesTheSheetOfTheProfile() throws {
        let dir = try temporaryFolder(self)
        let sheet = dir.appendingPathComponent("karta.html")
        let txt = dir.appendingPathComponent("karta.txt")
        let script = "load Playground/profiles/pes-002.json\nreport \(sheet.path)\nreport\nreport \(txt.path)\n"
        let r = try kryteria(["repl"], stdin: Data(script.utf8))
        XCTAssertTrue(r.out.contains("karta oceny zapisana: " + sheet.path), r.out + r.stderr)
        XCTAssertTrue(r.stderr.contains("karta oceny to plik .html albo .pdf, nie \(txt.path)"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: txt.path), "no HTML page under another name")
        XCTAssertTrue(r.stderr.contains("report PLIK.html"), "report without a file says how: " + r.stderr)
        let html = try String(contentsOf: sheet, encoding: .utf8)
        XCTAssertTrue(html.contains("Fundacja Warmińska Przystań") && html.contains("NIE SPEŁNIA"))
        XCTAssertTrue(html.contains("Playground/profiles/pes-002.json"))
    }
}
