import Foundation
import XCTest
import Kryteria
@testable import KryteriaDocuments

/// The renderers on their own: plural forms, the CSV dialect, the field scanner, the workbook's failure paths.
final class DocumentUnitTests: XCTestCase {
    /// The amounts of the report's chart: a whole amount without its grosze, in either language
    /// (English lost its thousands: "12,000.00" with ",00" taken out read "PLN 120.00").
    func testChartAmountsKeepTheirThousands() {
        let d: [Double: Int] = [12_000: 2, 12_150.5: 1, 1_000_000: 1]
        XCTAssertEqual(BatchReport.bins(d, money: true, w: DocumentWords(.en)).map(\.label), ["PLN 12,000", "PLN 12,150.50", "PLN 1,000,000"])
        XCTAssertEqual(BatchReport.bins(d, money: true, w: DocumentWords(.pl)).map(\.label), ["12 000 zł", "12 150,50 zł", "1 000 000 zł"])
    }

    /// The workbook's errors in the analyst's language, with Polish plural forms.
    func testWorkbookErrorsSpeakTheChosenLanguage() {
        XCTAssertEqual(WorkbookError.tooManyRows(1_048_574).text(.pl),
                       "arkusz mieści najwyżej 1048574 rekordy; dla większej liczby użyj --format jsonl albo csv")
        XCTAssertEqual(WorkbookError.tooManyRows(1_048_575).text(.pl),
                       "arkusz mieści najwyżej 1048575 rekordów; dla większej liczby użyj --format jsonl albo csv")
        XCTAssertEqual(WorkbookError.tooManyRows(5).text(.en), "a worksheet holds at most 5 records; use --format jsonl or csv for more")
        XCTAssertEqual(WorkbookError.finished.description, "the workbook is already finished")
        XCTAssertEqual(WorkbookError.cannotWrite("a.xlsx", "brak uprawnień").text(.pl), "nie można zapisać a.xlsx: brak uprawnień")
    }

    func testPolishPluralsAndGrouping() {
        let w = DocumentWords(.pl)
        XCTAssertEqual(w.count(1, "rekord", "rekordy", "rekordów", en: "record", enPlural: "records"), "1 rekord")
        XCTAssertEqual(w.count(3, "rekord", "rekordy", "rekordów", en: "record", enPlural: "records"), "3 rekordy")
        XCTAssertEqual(w.count(12, "rekord", "rekordy", "rekordów", en: "record", enPlural: "records"), "12 rekordów")
        XCTAssertEqual(w.count(22, "rekord", "rekordy", "rekordów", en: "record", enPlural: "records"), "22 rekordy")
        XCTAssertEqual(w.count(1_000_000, "rekord", "rekordy", "rekordów", en: "record", enPlural: "records"), "1\u{00A0}000\u{00A0}000 rekordów")
        XCTAssertEqual(DocumentWords(.en).count(1, "rekord", "rekordy", "rekordów", en: "record", enPlural: "records"), "1 record")
        XCTAssertEqual(w.criterion(.fail), "nie spełnia")
        XCTAssertEqual(w.outcome(.undetermined), ReportRenderer.outcomeWord(.undetermined, .pl))
        // points with a decimal comma in Polish, the same words in the documents and the terminal's report
        XCTAssertEqual(w.number(2.25), "2,25")
        XCTAssertEqual(ReportRenderer.number(2.5, .pl), "2,50")
        XCTAssertEqual(ReportRenderer.number(2.25, .en), "2.25")
        XCTAssertEqual(ReportRenderer.number(-3, .pl), "-3")
    }

    /// Parameter values as people read them: a text as written (its full stops kept), a switch as
    /// yes or no, a unit in the form its number takes, English units with --lang en.
    func testParameterValuesInWords() {
        let act = "ustawa z 20 marca 2025 r. o rynku pracy (Dz.U. 2025 poz. 620)"
        let cases: [(value: String, unit: String, lang: Language, shown: String)] = [
            (act, "akt prawny", .pl, act),
            ("false", "tak/nie", .pl, "nie"),
            ("true", "tak/nie", .en, "yes"),
            ("1", "lata", .pl, "1 rok"),
            ("50", "lata", .pl, "50 lat"),
            ("24", "miesiące", .pl, "24 miesiące"),
            ("12", "miesiące", .pl, "12 miesięcy"),
            ("0.5", "etat", .pl, "0,5 etatu"),
            ("10", "miejsca pracy", .pl, "10 miejsc pracy"),
            ("0.3", "%", .pl, "30%"),
            ("2.65", "× kryterium", .pl, "2,65 × kryterium"),
            ("1", "lata", .en, "1 year"),
            ("10", "miejsca pracy", .en, "10 jobs"),
            ("4806", "zł/miesiąc", .en, "4806 PLN/month"),
            ("31229", "zł/miejsce pracy", .pl, "31 229 zł/miejsce pracy"),
            ("8265.92", "zł/miesiąc", .pl, "8265,92 zł/miesiąc"),
            ("38700", "zł/12 miesięcy", .en, "38,700 PLN/12 months"),
            ("1234567.5", "zł", .pl, "1 234 567,5 zł"),
        ]
        for c in cases { XCTAssertEqual(ParameterTable.show(c.value, unit: c.unit, lang: c.lang), c.shown, "\(c)") }
        XCTAssertEqual(ParameterTable.unitName("miesiące", .en), "months")
        XCTAssertEqual(ParameterTable.unitName("miesiące", .pl), "miesiące")
    }

    func testCSVDialectExcelPL() {
        let d = CSVDialect.named("excel-pl", numericColumns: [4, 5])!
        var out: [UInt8] = []
        let rfc = "id,line,rule,outcome,amount,score,failed,missing,message\nwn-1,1,r,eligible,1234.5,2.25,\"A;B\",,\"say \"\"hi\"\", ok\"\n"
        Array(rfc.utf8).withUnsafeBytes { d.transcode($0, into: &out) }
        XCTAssertEqual(String(decoding: out, as: UTF8.self),
                       "id;line;rule;outcome;amount;score;failed;missing;message\r\nwn-1;1;r;eligible;1234,5;2,25;\"A;B\";;\"say \"\"hi\"\", ok\"\r\n")
        XCTAssertNil(CSVDialect.named("excel-de", numericColumns: []))
    }

    func testTopLevelFieldsSkipNestedNames() {
        let json = #"{"kind":"application","enterprise":{"name":"nested"},"name":"Wniosek \"Ą\"","program":"owes-job-creation","jobs":[{"name":"x"}]}"#
        let f = Array(json.utf8).withUnsafeBytes { ProfileFields.topLevelStrings($0, keys: ["name", "program"]) }
        XCTAssertEqual(f["name"], "Wniosek \"Ą\"")
        XCTAssertEqual(f["program"], "owes-job-creation")
        let none = Array(#"{"a":{"name":"x"}}"#.utf8).withUnsafeBytes { ProfileFields.topLevelStrings($0, keys: ["name"]) }
        XCTAssertNil(none["name"])
    }

    func testWorkbookRefusesAMissingFolderAndASecondFinish() throws {
        XCTAssertThrowsError(try WorkbookWriter(path: "/nonexistent-folder-kryteria/x.xlsx")) { e in
            XCTAssertTrue("\(e)".contains("/nonexistent-folder-kryteria/x.xlsx"), "\(e)")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kryteria-wb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let wb = try WorkbookWriter(path: dir.appendingPathComponent("a.xlsx").path)
        let line = #"{"line":1,"error":{"code":"malformed_json","message":"line 1, column 2: ąę"}}"#
        try Array(line.utf8).withUnsafeBytes { try wb.append(resultLine: $0) }
        try wb.finish()
        XCTAssertThrowsError(try wb.finish())
        XCTAssertThrowsError(try Array(line.utf8).withUnsafeBytes { try wb.append(resultLine: $0) })
        let bytes = try Data(contentsOf: dir.appendingPathComponent("a.xlsx"))
        XCTAssertEqual(Array(bytes.prefix(2)), [0x50, 0x4B], "a zip file")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["a.xlsx"])
    }

    func testQuestionsComeFromTheVocabularyAndNameThePlace() throws {
        // the one vocabulary of the shipped schemas
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let schemas = try ["person", "enterprise", "application"].map {
            try String(contentsOf: dir.appendingPathComponent("Rules/schema/\($0).schema.json"), encoding: .utf8)
        }
        let v = Vocabulary(schemas: schemas)
        XCTAssertEqual(MissingQuestions.question(for: "jobs[1].worker.birth_date", lang: .pl, vocabulary: v),
                       "Jaka jest data urodzenia osoby (RRRR-MM-DD)? (stanowisko 2, osoba na stanowisku)")
        XCTAssertEqual(MissingQuestions.question(for: "birth_date", lang: .en, vocabulary: v), "What is the person's date of birth (YYYY-MM-DD)?")
        XCTAssertTrue(MissingQuestions.question(for: "nowe_pole", lang: .pl, vocabulary: v).contains("nowe_pole"))
        XCTAssertEqual(MissingQuestions.question(for: "birth_date", lang: .pl, vocabulary: v, extra: ["birth_date": "Kiedy się urodził(a)?"]), "Kiedy się urodził(a)?")
        // a field a person has at its top level and an employee has too: the person's words, whatever
        // the order the schemas are read in (an employee's "osoba zatrudniona" is not asked of a person)
        for order in [schemas, Array(schemas.reversed())] {
            XCTAssertEqual(Vocabulary(schemas: order).question("disability", .pl),
                           "Czy osoba ma orzeczenie o stopniu niepełnosprawności, a jeśli tak — jaki to stopień (lekki, umiarkowany, znaczny)?")
        }
    }
}
