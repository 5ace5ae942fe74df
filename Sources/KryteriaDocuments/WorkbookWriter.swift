import Foundation
import Kryteria
import ZIPFoundation
#if canImport(Glibc)
import Glibc
#endif

public enum WorkbookError: Error, CustomStringConvertible {
    case cannotWrite(String, String)
    case tooManyRows(Int)
    case finished

    public var description: String { text(.en) }

    /// The error in a language (the reason of a write failure is the system's, as given).
    public func text(_ lang: Language) -> String {
        let pl = lang == .pl
        switch self {
        case .cannotWrite(let path, let why): return (pl ? "nie można zapisać \(path): " : "cannot write \(path): ") + why
        case .tooManyRows(let n):
            return pl ? "arkusz mieści najwyżej \(Plural.pl(n, "rekord", "rekordy", "rekordów")); dla większej liczby użyj --format jsonl albo csv"
                      : "a worksheet holds at most \(n) records; use --format jsonl or csv for more"
        case .finished: return pl ? "skoroszyt jest już zamknięty" : "the workbook is already finished"
        }
    }
}

/// Writes an Office Open XML workbook (.xlsx) one record at a time. Memory stays flat: the rows of
/// "Wyniki" go to a temporary file as SpreadsheetML with inline strings (no shared string table), and
/// are streamed into the zip entry at the end, when the header (criterion columns seen), the column
/// widths and the ranks are known. Rows are in the order they are appended.
///
///     let wb = try WorkbookWriter(path: "results.xlsx", lang: .pl, description: try engine.describe())
///     wb.append(resultLine)            // one result JSON object per record, in order
///     try wb.finish()
public final class WorkbookWriter {
    public let path: String
    public let lang: Language
    let description: RulesetDescription?
    /// A programme (a rule id) -> its title in the language: what a committee reads.
    let programTitles: [String: String]
    let asOfOption: String?
    /// The summary counts (shared with the batch report).
    public let summary: BatchReport

    static let maxRows = 1_048_575
    private let rowsPath: String
    private var rowsFD: Int32
    private var buf: [UInt8] = []
    private var rowsBytes: Int64 = 0
    private var rowCount = 0
    private var finished = false
    private var writeError: String?
    private let decoder = JSONDecoder()
    /// Words and column letters, made once (a row has dozens of cells).
    private let criterionWords: [CriterionOutcome: String]
    private var columnNames: [[UInt8]] = []

    // columns
    static let fixed = 9
    private var criterionColumn: [String: Int] = [:]
    private var criterionOrder: [String] = []
    private var widths: [Int] = Array(repeating: 8, count: WorkbookWriter.fixed)
    // ranks: the rank key of every row (NaN: not ranked); 8 bytes a record
    private var rankKeys: [Double] = []
    private var asOfDates: [String: Int] = [:]
    private var ruleset: String?

    /// Creates the workbook at `path` (written to `path.partial`, renamed by `finish`). `description`
    /// gives the "Parametry" sheet; `asOf` names its date (default: the most frequent as-of date of the records).
    public init(path: String, lang: Language = .pl, description: RulesetDescription? = nil, asOf: String? = nil) throws {
        self.path = path
        self.lang = lang
        self.description = description
        programTitles = Dictionary((description?.rules ?? []).map { ($0.id, lang == .en ? $0.titleEn : $0.title) }, uniquingKeysWith: { a, _ in a })
        self.asOfOption = asOf
        self.summary = BatchReport(lang: lang)
        let words = DocumentWords(lang)
        criterionWords = Dictionary(uniqueKeysWithValues: CriterionOutcome.allCases.map { ($0, words.criterion($0)) })
        summary.invalidListLimit = 10_000
        let dir = folderOf(path)
        var isDir: ObjCBool = false
        if !dir.isEmpty && !(FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) && isDir.boolValue) {
            throw WorkbookError.cannotWrite(path, "no such folder: \(dir)")
        }
        rowsPath = path + ".rows.tmp"
        rowsFD = open(rowsPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        if rowsFD < 0 { throw WorkbookError.cannotWrite(path, String(cString: strerror(errno))) }
        buf.reserveCapacity(1 << 20)
        let w = DocumentWords(lang)
        let heads = header(w)
        for (i, h) in heads.enumerated() { widths[i] = max(widths[i], h.count + 2) }
    }

    deinit {
        if rowsFD >= 0 { close(rowsFD) }
        if !finished { unlink(rowsPath) }
    }

    func header(_ w: DocumentWords) -> [String] {
        [w.t("Wiersz", "Line"), w.t("Identyfikator", "Id"), w.t("Nazwa", "Name"), w.t("Program", "Programme"),
         w.t("Wynik", "Outcome"), w.t("Miejsce w rankingu", "Rank"), w.t("Punkty", "Points"), w.t("Kwota (zł)", "Amount (PLN)"),
         w.t("Niespełnione kryteria (uzasadnienie)", "Failed criteria (reasons)")]
    }

    /// Appends one record: its result line (one JSON object) and, when known, its input record
    /// (for the profile's name and program).
    public func append(resultLine: UnsafeRawBufferPointer, input: UnsafeRawBufferPointer? = nil) throws {
        let r = ResultLine.parse(resultLine, decoder: decoder)
        var name: String?, program: String?
        if let input {
            let f = ProfileFields.topLevelStrings(input, keys: ["name", "program"])
            name = f["name"]; program = f["program"]
        }
        try append(r, name: name, program: program)
    }

    /// Appends one parsed record.
    public func append(_ r: ResultLine, name: String? = nil, program: String? = nil) throws {
        if finished { throw WorkbookError.finished }
        if rowCount >= WorkbookWriter.maxRows { throw WorkbookError.tooManyRows(WorkbookWriter.maxRows) }
        summary.add(r)
        let w = DocumentWords(lang)
        rowCount += 1
        let row = rowCount + 1
        if let d = r.evaluation?.asOf { asOfDates[d, default: 0] += 1 }
        if ruleset == nil { ruleset = r.evaluation?.ruleset }

        buf.append(contentsOf: "<row r=\"\(row)\">".utf8)
        if let line = r.line { number(0, row, Double(line)) }
        if let id = r.id ?? r.evaluation?.id { text(1, row, id) }
        if let name { text(2, row, name) }
        var rankKey = Double.nan
        if let ev = r.evaluation, ev.error == nil {
            let main = r.mainRule(program: program)
            if let p = program ?? (ev.kind == "application" ? main?.rule : nil) { text(3, row, programTitles[p] ?? p) }
            let results = ev.results ?? []
            if let main {
                text(4, row, w.outcomeLower(main.outcome), style: WorkbookWriter.outcomeStyle(main.outcome))
            } else if results.isEmpty {
                text(4, row, w.t("żadna reguła nie dotyczy", "no rule applies"))
            } else {
                let open = results.filter { !$0.failedOnlyOnGates }
                text(4, row, open.isEmpty ? w.notApplicable : open.map { "\($0.rule): " + w.outcomeLower($0.outcome) }.joined(separator: "; "))
            }
            // rank marker: the cell is filled in when the workbook is finished
            buf.append(0x01)
            let points = (main?.score != nil ? main : nil)?.score ?? results.first(where: { $0.score != nil && !$0.failedOnlyOnGates })?.score
            if let points { number(6, row, points) }
            let amount = main?.amount ?? results.first(where: { $0.amount != nil && !$0.failedOnlyOnGates })?.amount
            if let amount { number(7, row, amount, style: 2) }
            if let main, main.outcome == .eligible { rankKey = points ?? -Double.infinity }
            var failed: [String] = []
            var cells: [(Int, String, Int)] = []
            var seen = Set<String>()
            for res in results where !res.failedOnlyOnGates {
                for c in res.criteria where seen.insert(c.id).inserted {
                    if c.outcome == .fail || c.outcome == .error { failed.append(c.id + ": " + (c.reason ?? c.label)) }
                    let col: Int
                    if let k = criterionColumn[c.id] { col = k } else {
                        col = WorkbookWriter.fixed + criterionOrder.count
                        criterionColumn[c.id] = col
                        criterionOrder.append(c.id)
                        widths.append(max(10, c.id.count + 2))
                    }
                    cells.append((col, criterionWords[c.outcome]!, WorkbookWriter.criterionStyle(c.outcome)))
                }
            }
            if !failed.isEmpty { text(8, row, failed.joined(separator: "; ")) }
            cells.sort { $0.0 < $1.0 }
            for (col, t, s) in cells { text(col, row, t, style: s) }
        } else {
            let code = r.errorCode ?? "invalid_profile"
            text(4, row, code == "malformed_json" ? w.t("błędny JSON", "malformed JSON") : w.t("profil niepoprawny", "invalid profile"), style: 6)
            buf.append(0x01)
            text(8, row, r.errorMessage ?? "")
        }
        buf.append(contentsOf: "</row>\n".utf8)
        rankKeys.append(rankKey)
        if buf.count >= 1 << 20 { flush() }
        if let e = writeError { throw WorkbookError.cannotWrite(rowsPath, e) }
    }

    private func flush() {
        guard writeError == nil else { buf.removeAll(keepingCapacity: true); return }
        var off = 0
        buf.withUnsafeBytes { p in
            while off < p.count {
                let n = write(rowsFD, p.baseAddress! + off, p.count - off)
                if n < 0 { if errno == EINTR { continue }; writeError = String(cString: strerror(errno)); return }
                off += n
            }
        }
        rowsBytes += Int64(buf.count)
        buf.removeAll(keepingCapacity: true)
    }

    // MARK: cells

    static func outcomeStyle(_ o: RuleOutcome) -> Int {
        switch o { case .eligible: return 4; case .ineligible: return 5; case .undetermined: return 6 }
    }

    static func criterionStyle(_ o: CriterionOutcome) -> Int {
        switch o {
        case .pass: return 4
        case .fail, .error: return 5
        case .unknown: return 6
        case .notApplicable: return 7
        }
    }

    static func columnName(_ i: Int) -> String {
        var n = i + 1
        var s = ""
        while n > 0 { let r = (n - 1) % 26; s = String(UnicodeScalar(UInt8(65 + r))) + s; n = (n - 1) / 26 }
        return s
    }

    private func ref(_ col: Int, _ row: Int) {
        while columnNames.count <= col { columnNames.append(Array(WorkbookWriter.columnName(columnNames.count).utf8)) }
        buf.append(contentsOf: columnNames[col])
        buf.append(contentsOf: String(row).utf8)
    }

    private func text(_ col: Int, _ row: Int, _ s: String, style: Int = 0) {
        buf.append(contentsOf: "<c r=\"".utf8)
        ref(col, row)
        buf.append(contentsOf: (style == 0 ? "\" t=\"inlineStr\"><is><t xml:space=\"preserve\">" : "\" s=\"\(style)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">").utf8)
        let n = s.utf8.count
        let clipped = n > 32_000 && s.count > 32_000 ? String(s.prefix(32_000)) + "…" : s
        XML.appendEscaped(clipped, into: &buf)
        buf.append(contentsOf: "</t></is></c>".utf8)
        // a width in characters: bytes are an upper bound, exact only when it matters
        if col < widths.count && widths[col] < 60 && n + 2 > widths[col] { widths[col] = min(60, clipped.count + 2) }
    }

    private func number(_ col: Int, _ row: Int, _ v: Double, style: Int = 0) {
        buf.append(contentsOf: "<c r=\"".utf8)
        ref(col, row)
        buf.append(contentsOf: (style == 0 ? "\"><v>" : "\" s=\"\(style)\"><v>").utf8)
        let t = XML.number(v)
        buf.append(contentsOf: t.utf8)
        buf.append(contentsOf: "</v></c>".utf8)
        if col < widths.count { widths[col] = max(widths[col], min(20, t.count + (style == 2 ? 8 : 3))) }
    }

    // MARK: finish

    /// Writes the workbook and renames it into place. The temporary rows file is removed.
    public func finish() throws {
        if finished { throw WorkbookError.finished }
        flush()
        finished = true
        close(rowsFD)
        rowsFD = -1
        defer { unlink(rowsPath) }
        if let e = writeError { throw WorkbookError.cannotWrite(rowsPath, e) }

        // ranks: eligible records by points, highest first, ties in input order
        var order: [Int32] = []
        order.reserveCapacity(rankKeys.count / 4)
        for (i, k) in rankKeys.enumerated() where !k.isNaN { order.append(Int32(i)) }
        order.sort { a, b in
            let x = rankKeys[Int(a)], y = rankKeys[Int(b)]
            return x != y ? x > y : a < b
        }
        var ranks = [Int32](repeating: 0, count: rankKeys.count)
        for (pos, i) in order.enumerated() { ranks[Int(i)] = Int32(pos + 1) }
        order = []
        rankKeys = []
        widths[5] = max(widths[5], String(ranks.count).count + 3)

        let w = DocumentWords(lang)
        let lastCol = WorkbookWriter.columnName(max(WorkbookWriter.fixed + criterionOrder.count - 1, WorkbookWriter.fixed - 1))
        let lastRow = rowCount + 1

        // the head of sheet1: view, widths, header row
        var head = XML.sheetStart(frozen: true)
        head += "<cols>"
        for (i, wd) in widths.enumerated() { head += "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(wd)\" customWidth=\"1\"/>" }
        head += "</cols><sheetData>\n<row r=\"1\">"
        let titles = header(w) + criterionOrder
        for (i, t) in titles.enumerated() { head += XML.inlineCell(WorkbookWriter.columnName(i) + "1", t, style: 1) }
        head += "</row>\n"
        let tail = "</sheetData><autoFilter ref=\"A1:\(lastCol)\(lastRow)\"/>" + XML.pageSetup + "</worksheet>"

        // the rank cells that replace the markers
        let headBytes = Array(head.utf8), tailBytes = Array(tail.utf8)
        var size = Int64(headBytes.count) + rowsBytes - Int64(ranks.count) + Int64(tailBytes.count)
        for (i, r) in ranks.enumerated() where r > 0 { size += Int64(WorkbookWriter.rankCell(row: i + 2, rank: r).count) }

        // a device or a FIFO (e.g. -o /dev/null) is never replaced: the zip is made in the temporary
        // folder and its bytes copied into it
        let special = isSpecialFile(path)
        let partial = special ? NSTemporaryDirectory() + "kryteria-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).xlsx.partial"
                              : path + ".partial"
        unlink(partial)
        let archive: Archive
        do { archive = try Archive(url: URL(fileURLWithPath: partial), accessMode: .create) } catch {
            throw WorkbookError.cannotWrite(path, "\(error)")
        }
        do {
            try add(archive, "[Content_Types].xml", XML.contentTypes)
            try add(archive, "_rels/.rels", XML.rootRels)
            try add(archive, "docProps/app.xml", XML.app)
            try add(archive, "xl/workbook.xml", XML.workbook(sheets: [w.t("Wyniki", "Results"), w.t("Podsumowanie", "Summary"), w.t("Parametry", "Parameters")],
                                                              filter: "A1:\(lastCol)\(lastRow)"))
            try add(archive, "xl/_rels/workbook.xml.rels", XML.workbookRels)
            try add(archive, "xl/styles.xml", XML.styles)
            // sheet1, streamed: head, rows with their rank cells, tail
            let stream = try SheetStream(head: headBytes, rowsPath: rowsPath, ranks: ranks, tail: tailBytes)
            try archive.addEntry(with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: size,
                                 compressionMethod: .deflate, bufferSize: 1 << 16) { _, n in try stream.read(n) }
            try add(archive, "xl/worksheets/sheet2.xml", summarySheet(w))
            try add(archive, "xl/worksheets/sheet3.xml", parametersSheet(w))
        } catch let e as WorkbookError {
            unlink(partial)
            throw e
        } catch {
            unlink(partial)
            throw WorkbookError.cannotWrite(path, "\(error)")
        }
        if special {
            let failed = copyContents(of: partial, into: path)
            unlink(partial)
            if let failed { throw WorkbookError.cannotWrite(path, failed) }
        } else if rename(partial, path) != 0 {
            let why = String(cString: strerror(errno))
            unlink(partial)
            throw WorkbookError.cannotWrite(path, why)
        }
    }

    static func rankCell(row: Int, rank: Int32) -> [UInt8] {
        Array("<c r=\"F\(row)\"><v>\(rank)</v></c>".utf8)
    }

    private func add(_ archive: Archive, _ name: String, _ text: String) throws {
        let data = Data(text.utf8)
        try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { pos, n in
            data.subdata(in: Int(pos) ..< Int(pos) + n)
        }
    }

    /// Produces the bytes of sheet1 in order, exactly as many as asked for each time.
    final class SheetStream {
        let head: [UInt8], tail: [UInt8]
        let ranks: [Int32]
        let fd: Int32
        var stage = 0          // 0 head, 1 rows, 2 tail, 3 done
        var pending: [UInt8] = []
        var pendingAt = 0
        var row = 0
        var readBuf = [UInt8](repeating: 0, count: 1 << 16)

        init(head: [UInt8], rowsPath: String, ranks: [Int32], tail: [UInt8]) throws {
            self.head = head; self.tail = tail; self.ranks = ranks
            fd = open(rowsPath, O_RDONLY | O_CLOEXEC)
            if fd < 0 { throw WorkbookError.cannotWrite(rowsPath, String(cString: strerror(errno))) }
            pending = head
        }
        deinit { close(fd) }

        func read(_ n: Int) throws -> Data {
            var out = Data(capacity: n)
            while out.count < n {
                if pendingAt < pending.count {
                    let k = min(n - out.count, pending.count - pendingAt)
                    pending.withUnsafeBytes { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: $0[pendingAt ..< pendingAt + k])) }
                    pendingAt += k
                    continue
                }
                pending.removeAll(keepingCapacity: true)
                pendingAt = 0
                switch stage {
                case 0: stage = 1
                case 1:
                    let got = readBuf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
                    if got < 0 { if errno == EINTR { continue }; throw WorkbookError.cannotWrite("sheet1", String(cString: strerror(errno))) }
                    if got == 0 { stage = 2; pending = tail; continue }
                    for i in 0 ..< got {
                        let c = readBuf[i]
                        if c == 0x01 {
                            if row < ranks.count, ranks[row] > 0 { pending.append(contentsOf: WorkbookWriter.rankCell(row: row + 2, rank: ranks[row])) }
                            row += 1
                        } else {
                            pending.append(c)
                        }
                    }
                case 2: stage = 3
                default:
                    throw WorkbookError.cannotWrite("sheet1", "size mismatch")
                }
            }
            return out
        }
    }

    // MARK: the small sheets

    private func summarySheet(_ w: DocumentWords) -> String {
        var rows: [[XML.Cell]] = []
        rows.append([.text(w.t("Podsumowanie oceny", "Summary of the evaluation"), 1)])
        rows.append([.text(w.t("Rekordy", "Records"), 0), .number(Double(summary.records), 0)])
        rows.append([.text(w.t("Niepoprawne rekordy", "Invalid records"), 0), .number(Double(summary.invalidCount), 0)])
        if let ruleset { rows.append([.text(w.t("Wersja reguł", "Ruleset"), 0), .text(ruleset, 0)]) }
        rows.append([])
        let keys = ["eligible", "ineligible", "undetermined", "not_applicable"]
        rows.append([.text(w.t("Reguła", "Rule"), 1), .text(w.t("Tytuł", "Title"), 1)] + keys.map { .text(w.outcomeLower(raw: $0), 1) } + [.text(w.t("razem", "total"), 1)])
        for (rule, title, counts) in summary.ruleCounts {
            let vals = keys.map { counts[$0] ?? 0 }
            rows.append([.text(rule, 0), .text(title, 0)] + vals.map { .number(Double($0), 0) } + [.number(Double(vals.reduce(0, +)), 0)])
        }
        rows.append([])
        rows.append([.text(w.t("Najczęściej niespełniane kryteria", "Criteria that fail most often"), 1)])
        rows.append([.text(w.t("Kryterium", "Criterion"), 1), .text(w.t("Reguła", "Rule"), 1), .text(w.t("Opis", "Label"), 1),
                     .text(w.t("Wyklucza (rekordy)", "Stops (records)"), 1), .text(w.t("Niespełnione (rekordy)", "Failed (records)"), 1)])
        for f in summary.failingCriteria.prefix(50) {
            rows.append([.text(f.id, 0), .text(f.rule, 0), .text(f.label, 0), .number(Double(f.stops), 0), .number(Double(f.failed), 0)])
        }
        rows.append([])
        rows.append([.text(w.t("Niepoprawne wiersze", "Invalid lines"), 1)])
        rows.append([.text(w.t("Wiersz", "Line"), 1), .text(w.t("Identyfikator", "Id"), 1), .text(w.t("Komunikat", "Message"), 1)])
        for i in summary.invalidLines {
            rows.append([i.line.map { .number(Double($0), 0) } ?? .text("—", 0), .text(i.id ?? "", 0), .text(i.message, 0)])
        }
        if summary.invalidCount > summary.invalidLines.count {
            rows.append([.text(w.t("… i \(summary.invalidCount - summary.invalidLines.count) kolejnych", "… and \(summary.invalidCount - summary.invalidLines.count) more"), 0)])
        }
        return XML.sheet(rows, widths: [16, 40, 50, 16, 16, 16, 10])
    }

    private func parametersSheet(_ w: DocumentWords) -> String {
        // the period the records were evaluated in: every value in force at some point of it
        let dates = asOfDates.keys.sorted()
        let first = asOfOption ?? dates.first ?? "", last = asOfOption ?? dates.last ?? ""
        var rows: [[XML.Cell]] = []
        let title = first.isEmpty
            ? w.t("Parametry reguł (żaden rekord nie został oceniony, więc dzień oceny nie jest znany)",
                  "The rules' parameters (no record was evaluated, so no as-of date is known)")
            : first == last
            ? w.t("Parametry obowiązujące w dniu ", "Parameters in force on ") + first
            : w.t("Parametry obowiązujące od \(first) do \(last) (daty oceny rekordów)", "Parameters in force from \(first) to \(last) (the records' as-of dates)")
        rows.append([.text(title, 1)])
        rows.append([.text(w.t("Parametr", "Parameter"), 1), .text(w.t("Opis", "Description"), 1), .text(w.t("Wartość", "Value"), 1),
                     .text(w.t("Jednostka", "Unit"), 1),
                     .text(w.t("Obowiązuje od", "In force from"), 1), .text(w.t("Obowiązuje do", "In force until"), 1),
                     .text(w.t("Podstawa prawna", "Legal basis"), 1), .text(w.t("Uwagi", "Notes"), 1)])
        if first.isEmpty { return XML.sheet(rows, widths: [38, 50, 14, 22, 14, 14, 70, 18]) }
        for p in description?.parameters ?? [] {
            let values = p.values.enumerated().filter { (i, v) in
                let nextFrom = i + 1 < p.values.count ? p.values[i + 1].from : nil
                let ends = [v.until, nextFrom].compactMap { $0 }.min()
                return v.from <= last && (ends.map { $0 > first || (v.until != nil && $0 >= first) } ?? true)
            }
            let words = XML.Cell.text(p.words(w.lang == .en), 0)
            if values.isEmpty {
                rows.append([.text(p.name, 0), words, .text(w.t("brak wartości w tym okresie", "no value in force"), 6),
                             .text(ParameterTable.unitName(p.unit ?? "", w.lang), 0), .empty, .empty, .text(p.basis, 0)])
                continue
            }
            for (i, v) in values {
                let value: XML.Cell
                let percent = (p.unit ?? "").hasPrefix("%")
                let money = (p.unit ?? "").hasPrefix("zł")
                if let x = Double(v.value) {
                    value = percent ? .number(x, 8) : money ? .number(x, 2) : .number(x, 0)
                } else {
                    value = .text(v.value == "true" ? w.t("tak", "yes") : v.value == "false" ? w.t("nie", "no") : v.value, 0)
                }
                let unit = ParameterTable.unitName(percent ? String((p.unit ?? "").dropFirst()).trimmingCharacters(in: .whitespaces)
                                                           : (p.unit ?? ""), w.lang)
                let until = v.until ?? (i + 1 < p.values.count ? ParameterTable.dayBefore(p.values[i + 1].from) : "")
                let unverified = p.unverified(v)
                var notes = unverified ? w.t("niezweryfikowane", "unverified") : ""
                if let at = v.overriddenAt { notes += (notes.isEmpty ? "" : "; ") + w.t("wartość ośrodka (\(at))", "the centre's value (\(at))") }
                if let n = v.note { notes += (notes.isEmpty ? "" : "; ") + n }
                rows.append([.text(p.name, 0), words, value, .text(unit, 0), .date(v.from), .date(until), .text(p.basis(of: v), 0),
                             notes.isEmpty ? .empty : .text(notes, unverified ? 6 : 0)])
            }
        }
        return XML.sheet(rows, widths: [38, 50, 14, 22, 14, 14, 70, 30])
    }
}

extension BatchReport {
    var ruleCounts: [(String, String, [String: Int])] { ruleOrderList.map { ($0, ruleTitle($0), ruleCountsOf($0)) } }
}
