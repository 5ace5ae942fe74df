import Foundation
import Kryteria
import KryteriaDocuments
import KryteriaBatch
#if canImport(Glibc)
import Glibc
#endif

/// The documents a batch can write besides JSON Lines and plain CSV: the workbook (--format xlsx),
/// the HTML report (--report) and CSV in another dialect (--csv-dialect excel-pl). The pipeline hands
/// every result line here in output order (`BatchSettings.sink`); the renderers are in KryteriaDocuments.
final class BatchDocuments {
    let workbook: WorkbookWriter?
    let report: BatchReport?
    let reportPath: String?
    let csv: CSVDialect?
    let format: String
    let lang: Language
    /// --rank: CSV rows carry the rank, eligibility and points the pipeline put in each result line.
    let rank: Bool
    private var outFD: Int32 = -1
    private var buf: [UInt8] = []
    private var rows: [UInt8] = []

    var needsSink: Bool { workbook != nil || report != nil || csv != nil }

    init(format: String, output: String?, reportPath: String?, dialect: String, lang: Language, engine: Engine, asOf: String?,
         rank: Bool = false) throws {
        self.format = format
        self.lang = lang
        self.rank = rank
        self.reportPath = reportPath
        let t = DocumentWords(lang).t
        guard let d = CSVDialect.named(dialect, numericColumns: rank ? [2, 7, 8] : [4, 5]) else {
            throw BatchError.usage(t("--csv-dialect: oczekiwano standard albo excel-pl, jest \(dialect)",
                                     "--csv-dialect: expected standard or excel-pl, found \(dialect)"))
        }
        csv = format == "csv" && dialect == "excel-pl" ? d : nil
        if dialect == "excel-pl" && format != "csv" { throw BatchError.usage(t("--csv-dialect excel-pl wymaga --format csv", "--csv-dialect excel-pl needs --format csv")) }
        if format == "xlsx" {
            guard let output else { throw BatchError.usage(t("--format xlsx wymaga -o PLIK.xlsx (skoroszytu nie wypisuje się na terminal)",
                                                             "--format xlsx needs -o FILE.xlsx (a workbook is not written to the terminal)")) }
            BatchDocuments.makeFolder(of: output)
            do {
                workbook = try WorkbookWriter(path: output, lang: lang, description: try? engine.describe(asOf: asOf), asOf: asOf)
            } catch let e as WorkbookError {
                throw BatchError.usage(e.text(lang))
            } catch {
                throw BatchError.usage("\(error)")
            }
        } else {
            workbook = nil
        }
        if let reportPath {
            BatchDocuments.makeFolder(of: reportPath)
            // fail now, not after an hour of scoring
            guard startFile(reportPath) else {
                throw BatchError.usage(t("nie można zapisać raportu \(reportPath): ", "cannot write the report \(reportPath): ")
                                       + SystemText.error(errno, lang))
            }
            report = BatchReport(lang: lang, vocabulary: engine.vocabulary)
        } else {
            report = nil
        }
    }

    static func makeFolder(of path: String) {
        let folder = folderOf(path)
        if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
    }

    /// Where text output goes; writes the CSV header of the dialect.
    func start(outFD: Int32) throws {
        self.outFD = outFD
        let headerText = (rank ? BatchRankColumns.csvHeaderPrefix : "") + BatchCSV.header
        if let csv {
            buf.append(contentsOf: CSVDialect.byteOrderMark)
            let header = Array(headerText.utf8)
            header.withUnsafeBytes { csv.transcode($0, into: &buf) }
        } else if format == "csv" {
            buf.append(contentsOf: headerText.utf8)
        }
    }

    /// One record's result line, in output order.
    func consume(_ result: UnsafeRawBufferPointer, _ input: UnsafeRawBufferPointer?) throws {
        var parsed: ResultLine?
        if let report {
            parsed = ResultLine.parse(result)
            report.add(parsed!)
        }
        if let workbook {
            var name: String?, program: String?
            if let input {
                let f = ProfileFields.topLevelStrings(input, keys: ["name", "program"])
                name = f["name"]; program = f["program"]
            }
            do { try workbook.append(parsed ?? ResultLine.parse(result), name: name, program: program) } catch let e as WorkbookError {
                throw BatchError.usage(e.text(lang))
            }
            return
        }
        switch format {
        case "csv":
            rows.removeAll(keepingCapacity: true)
            let r = parsed ?? ResultLine.parse(result)
            if r.evaluation == nil {
                BatchCSV.errorRow(line: r.line ?? 0, code: r.errorCode ?? "engine_error", message: r.errorMessage ?? "", language: lang, into: &rows)
            } else {
                BatchCSV.rows(result: result, line: r.line ?? 0, language: lang, into: &rows)
            }
            if rank, let obj = try? JSONSerialization.jsonObject(with: Data(result)) as? [String: Any] {
                let group: UInt8 = ["eligible": 0, "undetermined": 1, "ineligible": 2][obj["eligibility"] as? String ?? ""] ?? 3
                let plain = rows
                rows.removeAll(keepingCapacity: true)
                plain.withUnsafeBytes {
                    BatchRankColumns.write($0, rank: obj["rank"] as? Int ?? 0, group: group,
                                           points: (obj["points"] as? Double) ?? -Double.infinity, format: .csv, language: lang, into: &rows)
                }
            }
            if let csv { rows.withUnsafeBytes { csv.transcode($0, into: &buf) } } else { buf.append(contentsOf: rows) }
        default:
            buf.append(contentsOf: result)
            buf.append(0x0A)
        }
        if buf.count >= 1 << 20 { try flush() }
    }

    /// Writes what is buffered to the output.
    func flush() throws {
        guard !buf.isEmpty, outFD >= 0 else { buf.removeAll(keepingCapacity: true); return }
        defer { buf.removeAll(keepingCapacity: true) }
        if let err = buf.withUnsafeBytes({ writeAll(outFD, $0) }) { throw BatchError.usage(err) }
    }

    /// Finishes the workbook and writes the report.
    func finish(title: String, ruleset: String) throws {
        try flush()
        if let workbook {
            do { try workbook.finish() } catch let e as WorkbookError { throw BatchError.usage(e.text(lang)) } catch { throw BatchError.usage("\(error)") }
        }
        if let report, let reportPath {
            let html = report.render(title: title, ruleset: ruleset, kryteriaVersion: KryteriaCommand.configuration.version)
            do { try Data(html.utf8).write(to: URL(fileURLWithPath: reportPath)) } catch {
                throw BatchError.usage(DocumentWords(lang).t("nie można zapisać raportu \(reportPath): ", "cannot write the report \(reportPath): ")
                                       + SystemText.error(error, lang))
            }
        }
    }
}

/// Decision sheets for `check --format html|pdf -o DIR_OR_FILE` and the REPL's `report FILE`.
final class SheetOutput {
    let pdf: Bool
    /// A folder gets one file per profile; a path ending in .html / .pdf gets the one profile.
    let folder: String?
    let file: String?
    let context: DecisionSheet.Context
    private var used = Set<String>()
    private(set) var written: [String] = []

    init(format: String, output given: String?, engine: Engine, lang: Language) throws {
        pdf = format == "pdf"
        let t = DocumentWords(lang).t
        if pdf && PDFPrinter.findBrowser() == nil { throw BatchError.usage(PDFPrinter.Failure.noBrowser.description) }
        let ext = pdf ? ".pdf" : ".html"
        let output = given == "-" ? nil : given   // "-o -": standard output
        // a device or a FIFO (e.g. /dev/null) is one file, written in place
        if let output, output.lowercased().hasSuffix(ext) || isSpecialFile(output) {
            file = output; folder = nil
        } else if let output {
            if output.lowercased().hasSuffix(".html") || output.lowercased().hasSuffix(".pdf") {
                throw BatchError.usage(t("-o \(output): --format \(format) zapisuje pliki \(ext)", "-o \(output): --format \(format) writes \(ext) files"))
            }
            folder = output; file = nil
        } else {
            if pdf { throw BatchError.usage(t("--format pdf wymaga -o PLIK.pdf albo folderu", "--format pdf needs -o FILE.pdf or a folder")) }
            folder = nil; file = nil   // html to stdout
        }
        context = DecisionSheet.Context(lang: lang, kryteriaVersion: KryteriaCommand.configuration.version,
                                        rulesDirectory: engine.rulesDirectory, description: try? engine.describe(),
                                        vocabulary: engine.vocabulary)
    }

    /// Writes the sheet of one evaluation; returns the path (nil: stdout).
    @discardableResult
    func write(_ ev: Evaluation, name: String?, source: String?, index: Int) throws -> String? {
        var ctx = context
        ctx.source = source
        let html = DecisionSheet.render(ev, name: name, context: ctx)
        let path: String
        if let file {
            if !written.isEmpty {
                throw BatchError.usage(context.lang == .en ? "-o \(file) holds one profile; give a folder for several"
                                                           : "-o \(file) mieści jeden profil; dla kilku podaj folder")
            }
            path = file
        } else if let folder {
            var fn = DecisionSheet.fileName(ev, name: name, fallback: "profil-\(index)", ext: pdf ? "pdf" : "html")
            var k = 2
            while used.contains(fn) {
                fn = DecisionSheet.fileName(ev, name: name, fallback: "profil-\(index)", ext: "").dropLast() + "-\(k)." + (pdf ? "pdf" : "html")
                k += 1
            }
            used.insert(fn)
            path = (folder as NSString).appendingPathComponent(fn)
        } else {
            Terminal.stdout(html)
            return nil
        }
        try SheetOutput.save(html, to: path, pdf: pdf, lang: context.lang)
        written.append(path)
        return path
    }

    static func save(_ html: String, to path: String, pdf: Bool, lang: Language) throws {
        let t = DocumentWords(lang).t
        let folder = folderOf(path)
        if !folder.isEmpty {
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw BatchError.usage(t("nie można utworzyć folderu \(folder): ", "cannot create the folder \(folder): ") + SystemText.error(error, lang))
            }
        }
        if pdf {
            do { try PDFPrinter.print(html: html, to: path) } catch { throw BatchError.usage("\(path): \(error)") }
        } else {
            do { try writeFile(Data(html.utf8), to: path) } catch {
                throw BatchError.usage(t("nie można zapisać \(path): ", "cannot write \(path): ") + SystemText.error(error, lang))
            }
        }
    }
}
