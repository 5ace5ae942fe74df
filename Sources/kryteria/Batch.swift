import ArgumentParser
import Foundation
import Kryteria
import KryteriaBatch
#if canImport(Glibc)
import Glibc
#endif

struct Batch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Oceń wiele profili naraz / evaluate many profiles, fast.",
        discussion: """
        INPUT: JSON Lines (one profile per line) or one JSON array of profiles, detected by the \
        first non-space byte; - or nothing reads stdin. Blank lines of JSON Lines are skipped \
        and give no result; "line" is the physical line number in the file. For a JSON array \
        "line" is the element's index (1-based). Syntax errors are placed in the file \
        ("wiersz L, kolumna C", with --lang en "line L, column C").

        Output: JSON Lines, exactly one line per record, in input order: the result of the \
        contract, or {"line":N,"error":{"code":"malformed_json","message":"wiersz N, kolumna C: …"}}. \
        With -o it is written to OUTPUT.partial and renamed to OUTPUT when complete; --resume \
        continues a killed run from OUTPUT.partial. A summary goes to stderr, and a progress \
        bar when stderr is a terminal.

        Exit status: 0 every record has a result; 1 some records were invalid or malformed \
        (their error lines are written); 2 wrong arguments, unreadable input, or the rules \
        cannot be loaded.
        """
    )

    @OptionGroup var options: RuleOptions

    @Argument(help: "Plik wejściowy (JSON Lines lub tablica JSON), - = stdin / input file.")
    var input: String = "-"

    @Option(name: [.short, .customLong("output")], help: "Plik wynikowy (domyślnie stdout; - = stdout) / output file (default and -: stdout).")
    var output: String?

    @Option(name: .long, help: "jsonl | csv (csv: one row per record and rule) | xlsx (a workbook; needs -o).")
    var format: String = "jsonl"

    @Option(name: .long, help: "Zapisz też raport HTML z wykresami / also write an HTML report with charts to this file.")
    var report: String?

    @Option(name: .customLong("csv-dialect"), help: "standard | excel-pl (średnik, przecinek dziesiętny, BOM / semicolons, decimal comma, BOM).")
    var csvDialect: String = "standard"

    @Flag(name: .long, help: "Ranking: najpierw spełniające, potem nieustalone, potem niespełniające, w grupie wg punktów malejąco; kolumny rank, eligibility, points; buforuje cały wynik / eligible first, then undetermined, then ineligible, by points within each; adds rank, eligibility and points. Buffers the whole output.")
    var rank = false

    @Option(name: .long, help: "Liczba wątków (domyślnie: wszystkie rdzenie) / worker threads (default: all cores).")
    var jobs: Int?

    @Flag(name: .long, help: "Wznów przerwany przebieg z OUTPUT.partial / continue a killed run (needs -o).")
    var resume = false

    @Flag(name: [.short, .long], help: "Bez podsumowania i paska postępu / no summary, no progress bar.")
    var quiet = false

    @Option(name: .customLong("chunk-size"), help: .hidden)
    var chunkSize: Int = 256

    func run() throws {
        do {
            try execute()
        } catch let e as BatchError {
            Terminal.stderr("kryteria batch: \(e)\n")
            throw ExitCode(ExitStatus.usage)
        }
    }

    private func t(_ pl: String, _ en: String) -> String { options.lang == .en ? en : pl }
    private var why: String { SystemText.error(errno, options.lang) }

    private func execute() throws {
        // "-o -" is standard output, as "-" is standard input
        let output = self.output == "-" ? nil : self.output
        let xlsx = format == "xlsx"
        guard let fmt = xlsx ? .jsonl : OutputFormat(rawValue: format) else { throw BatchError.usage(t("--format: oczekiwano jsonl, csv albo xlsx, jest \(format)", "--format: expected jsonl, csv or xlsx, found \(format)")) }
        if resume && (xlsx || report != nil || csvDialect != "standard") { throw BatchError.usage(t("--resume działa tylko ze zwykłym wynikiem jsonl albo csv", "--resume works with plain jsonl or csv output only")) }
        let jobs = self.jobs ?? ProcessInfo.processInfo.activeProcessorCount
        guard jobs >= 1 && jobs <= 256 else { throw BatchError.usage(t("--jobs: oczekiwano liczby 1…256, jest \(jobs)", "--jobs: expected 1…256, found \(jobs)")) }
        guard chunkSize >= 1 else { throw BatchError.usage(t("--chunk-size musi być dodatnie", "--chunk-size must be positive")) }
        if resume && output == nil { throw BatchError.usage(t("--resume wymaga -o WYNIK", "--resume needs -o OUTPUT")) }
        if resume && rank { throw BatchError.usage(t("--resume nie łączy się z --rank", "--resume cannot be combined with --rank")) }
        if input != "-" && !FileManager.default.fileExists(atPath: input) {
            throw BatchError.usage(t("nie ma pliku wejściowego: \(input)", "no such input file: \(input)"))
        }

        if let output, output != "-" {   // a folder is no output file: said before any work, not after it
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: output, isDirectory: &isDir), isDir.boolValue {
                throw BatchError.usage(t("-o \(output) jest folderem; podaj plik wyniku", "-o \(output) is a folder; give an output file"))
            }
        }
        let engine = options.loadEngine()   // also refuses an unknown --rule (status 2)

        let reader = try RecordReader(path: input, language: options.lang)
        let docs = try BatchDocuments(format: format, output: output, reportPath: report, dialect: csvDialect,
                                      lang: options.lang, engine: engine, asOf: options.asOf, rank: rank)

        // the output: stdout, or OUTPUT.partial renamed at the end
        var outFD: Int32 = 1
        var partial: String?
        var skipped = 0
        var priorErrors = 0
        var writeHeader = fmt == .csv && !docs.needsSink
        if let output, !xlsx, isSpecialFile(output) {
            // a device or a FIFO (e.g. -o /dev/null): written in place, no OUTPUT.partial
            if resume { throw BatchError.usage(t("--resume wymaga zwykłego pliku wyniku, nie \(output)", "--resume needs a regular output file, not \(output)")) }
            outFD = open(output, O_WRONLY | O_CLOEXEC)
            if outFD < 0 { throw BatchError.usage(t("nie można zapisać \(output): ", "cannot write \(output): ") + why) }
        } else if let output, !xlsx {
            let p = output + ".partial"
            partial = p
            // the folder of the output is made when missing (e.g. Playground/out/)
            let folder = folderOf(output)
            if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            if resume, FileManager.default.fileExists(atPath: p) {
                let point = try BatchResume.point(partial: p, format: fmt, language: options.lang)
                guard truncate(p, off_t(point.keepBytes)) == 0 else {
                    throw BatchError.usage(t("nie można przyciąć \(p): ", "cannot truncate \(p): ") + why)
                }
                outFD = open(p, O_WRONLY | O_APPEND | O_CLOEXEC)
                writeHeader = fmt == .csv && point.keepBytes == 0
                // the records already answered, the last one remembered: its line and id must be those
                // of the partial's last result, or the partial belongs to other data
                var lastPlace: RecordPlace?
                var lastID: String?
                skipped = 0
                while skipped < point.records, try reader.next({ rec, place in
                    if skipped == point.records - 1 {
                        lastPlace = place
                        lastID = (try? JSONSerialization.jsonObject(with: Data(rec)) as? [String: Any])?["id"] as? String
                    }
                }) { skipped += 1 }
                if fmt == .jsonl, skipped == point.records, let last = BatchResume.lastResult(partial: p, keepBytes: point.keepBytes),
                   let place = lastPlace, last.line != place.line || (last.id != nil && last.id != lastID) {
                    let got = "\(t("wiersz", "line")) \(last.line.map(String.init) ?? "?")" + (last.id.map { ", id \($0)" } ?? "")
                    let want = "\(t("wiersz", "line")) \(place.line)" + (lastID.map { ", id \($0)" } ?? "")
                    throw BatchError.usage(t("\(p): ostatni zapisany wynik (\(got)) nie odpowiada rekordowi nr \(skipped) wejścia (\(want)): czy to te same dane?",
                                             "\(p): the last result written (\(got)) does not answer input record \(skipped) (\(want)): not the same input?"))
                }
                // and evaluated as this run will be: the same rules, language and as-of date
                if fmt == .jsonl, let was = BatchResume.lastEvaluated(partial: p, keepBytes: point.keepBytes) {
                    var differs: [String] = []
                    if was.ruleset != engine.rulesetHash {
                        differs.append(t("reguły (zapisane: \(was.ruleset.dropFirst(7).prefix(12)), teraz: \(engine.rulesetHash.dropFirst(7).prefix(12)); zmieniono pliki w \(engine.rulesDirectory)?)",
                                         "rules (written: \(was.ruleset.dropFirst(7).prefix(12)), now: \(engine.rulesetHash.dropFirst(7).prefix(12)); were files in \(engine.rulesDirectory) changed?)"))
                    }
                    if let l = was.lang, l != options.lang.rawValue {
                        differs.append(t("język (zapisany: \(l), teraz: \(options.lang.rawValue))", "language (written: \(l), now: \(options.lang.rawValue))"))
                    }
                    if let asOf = options.asOf, was.asOfSource != "option" || was.asOf != asOf {
                        differs.append(t("data oceny (zapisana: \(was.asOf ?? "?") z profilu, teraz --as-of \(asOf))",
                                         "as-of date (written: \(was.asOf ?? "?") from the profile, now --as-of \(asOf))"))
                    } else if options.asOf == nil, was.asOfSource == "option" {
                        differs.append(t("data oceny (zapisana: --as-of \(was.asOf ?? "?"), teraz z profilu)",
                                         "as-of date (written: --as-of \(was.asOf ?? "?"), now from the profile)"))
                    }
                    if !differs.isEmpty {
                        throw BatchError.usage(t("\(p): zapisane wyniki powstały inaczej niż ten przebieg: ", "\(p): the results written were made otherwise than this run: ")
                                               + differs.joined(separator: "; ")
                                               + t("; wznowienie połączyłoby dwie oceny w jednym pliku (uruchom bez --resume)",
                                                   "; resuming would join two assessments in one file (run without --resume)"))
                    }
                }
                if skipped < point.records {
                    throw BatchError.usage(t("\(p) zawiera \(point.records) \(Plural.plWord(point.records, "wynik", "wyniki", "wyników")), a wejście tylko "
                                             + "\(skipped) \(Plural.plWord(skipped, "rekord", "rekordy", "rekordów")): czy to te same dane?",
                                             "\(p) holds \(point.records) results but the input has only \(skipped) records: not the same input?"))
                }
                priorErrors = point.errors
                if !quiet {
                    Terminal.stderr("kryteria batch: " + t("wznawiam po \(group(skipped)) \(skipped == 1 ? "rekordzie zapisanym" : "rekordach zapisanych") już w \(p)\n",
                                                             "resuming after \(group(skipped)) records already in \(p)\n"))
                }
            } else {
                if resume && !quiet {
                    Terminal.stderr("kryteria batch: " + t("brak \(p) do wznowienia; zaczynam od początku\n", "no \(p) to resume; starting from the beginning\n"))
                }
                outFD = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            }
            if outFD < 0 { throw BatchError.usage(t("nie można zapisać \(p): ", "cannot write \(p): ") + why) }
        }
        let header = (rank ? BatchRankColumns.csvHeaderPrefix : "") + BatchCSV.header
        if writeHeader, let err = Array(header.utf8).withUnsafeBytes({ writeAll(outFD, $0) }) {
            throw BatchError.usage(err)
        }

        var settings = BatchSettings()
        settings.format = fmt
        settings.rank = rank
        settings.language = options.lang
        settings.jobs = jobs
        settings.chunkSize = chunkSize
        settings.options = options.evaluationOptions.json()
        if docs.needsSink {
            try docs.start(outFD: xlsx ? -1 : outFD)
            settings.format = .jsonl
            settings.recordSink = docs.consume
        }

        let progress = Terminal.stderrIsTTY && !quiet ? BatchProgress(total: reader.totalBytes, lang: options.lang) : nil
        let totals = try BatchPipeline(engine: engine, settings: settings, reader: reader, outFD: outFD,
                                       progress: progress).run()
        // an array not closed, or text after it: records may be missing, whatever -q says
        if let problem = reader.arrayProblem {
            Terminal.stderr("kryteria batch: \(input == "-" ? "stdin" : input): " + problem.message(options.lang) + "\n")
        }

        try docs.finish(title: input == "-" ? "stdin" : input, ruleset: engine.rulesetHash)
        if let output, let partial {
            if fsync(outFD) != 0 && errno != EINVAL {
                throw BatchError.usage(t("nie można zapisać \(partial): ", "cannot write \(partial): ") + why)
            }
            close(outFD)
            if rename(partial, output) != 0 {
                throw BatchError.usage(t("nie można zmienić nazwy \(partial) na \(output): ", "cannot rename \(partial) to \(output): ") + why)
            }
        } else if outFD != 1 {
            close(outFD)
        }
        if !quiet { Terminal.stderr(Batch.summary(totals, jobs: jobs, skipped: skipped, priorErrors: priorErrors, lang: options.lang)) }
        if totals.invalid + totals.malformed + priorErrors > 0 || reader.arrayProblem != nil {
            throw ExitCode(ExitStatus.invalidRecords)
        }
    }

    /// The end-of-run summary on stderr, in the chosen language.
    static func summary(_ t: BatchTotals, jobs: Int, skipped: Int, priorErrors: Int, lang: Language = .en) -> String {
        let pl = lang == .pl
        let rate = t.seconds > 0 ? Double(t.records) / t.seconds : 0
        func seconds(_ x: Double) -> String {   // "1,25" (Polish decimal comma), "1.25"
            let s = String(format: "%.2f", x)
            return pl ? s.replacingOccurrences(of: ".", with: ",") : s
        }
        func records(_ n: Int) -> String {
            pl ? group(n) + " " + Plural.plWord(n, "rekord", "rekordy", "rekordów") : group(n) + (n == 1 ? " record" : " records")
        }
        var s = "kryteria batch: " + records(t.records) + (pl ? " w " : " in ") + seconds(t.seconds) + " s"
        s += " (\(group(Int(rate))) " + (pl ? "rek./s, wątki: \(jobs)" : "records/s, \(jobs) job\(jobs == 1 ? "" : "s")") + ")"
        if skipped > 0 { s += ", " + records(skipped) + (pl ? " wznowionych z poprzedniego przebiegu" : " resumed from before") }
        s += "\n"
        for rule in t.stats.rules.keys.sorted() {
            let c = t.stats.rules[rule]!
            let (e, i, u) = (group(c["eligible"] ?? 0), group(c["ineligible"] ?? 0), group(c["undetermined"] ?? 0))
            s += pl ? "  \(rule): spełnia \(e), nie spełnia \(i), nieustalone \(u)\n"
                    : "  \(rule): eligible \(e), ineligible \(i), undetermined \(u)\n"
        }
        s += pl ? "  niepoprawne profile: \(group(t.invalid)), błędny JSON: \(group(t.malformed))"
                : "  invalid \(group(t.invalid)), malformed JSON \(group(t.malformed))"
        if priorErrors > 0 { s += pl ? ", błędy we wznowionej części: \(group(priorErrors))" : ", errors in the resumed part \(group(priorErrors))" }
        s += "\n"
        if !t.invalidLines.isEmpty {
            let more = t.invalid + t.malformed > t.invalidLines.count ? " …" : ""
            s += (pl ? "  linie z błędem: " : "  lines with errors: ") + t.invalidLines.map(String.init).joined(separator: ", ") + more + "\n"
        }
        if let limit = t.idsComparedIn {
            let n = group(limit)
            s += pl ? "  powtórzone identyfikatory sprawdzono w pierwszych \(n) rekordach z identyfikatorem\n"
                    : "  repeated ids were looked for in the first \(n) records with an id\n"
        }
        for d in t.duplicateIDs {
            s += (pl ? "  ⚠ ten sam identyfikator \(d.id) w liniach: " : "  ⚠ the same id \(d.id) on lines: ")
                + d.lines.map(String.init).joined(separator: ", ")
                + (d.lines.count >= BatchTotals.linesPerDuplicate ? ", …" : "") + "\n"
        }
        return s
    }
}
