import Foundation
import Kryteria

/// The batch report: one self-contained HTML page about a whole call for proposals. Feed it every
/// result line (`add`), then `render()`. Memory is bounded: counts only, a capped list of invalid lines.
public final class BatchReport {
    public let lang: Language
    /// How many invalid lines are listed by number (all are counted).
    public var invalidListLimit = 500

    public private(set) var records = 0
    public private(set) var invalidCount = 0
    struct RuleCounts { var title: String; var counts: [String: Int] = [:] }
    private var rules: [String: RuleCounts] = [:]
    private var ruleOrder: [String] = []
    struct Failing { var rule: String; var label: String; var failed = 0; var stops = 0 }
    private var failing: [String: Failing] = [:]
    private var missing: [String: Int] = [:]
    private var undeterminedRecords = 0
    private var points: [Double: Int] = [:]
    private var amounts: [Double: Int] = [:]
    private var amountTotal = 0.0
    private var invalid: [(line: Int?, id: String?, message: String)] = []
    private let decoder = JSONDecoder()
    private static let distinctCap = 50_000

    /// The ruleset's vocabulary: the questions for the missing fields.
    public let vocabulary: Vocabulary?
    public init(lang: Language = .pl, vocabulary: Vocabulary? = nil) { self.lang = lang; self.vocabulary = vocabulary }

    /// One result line (the bytes of one JSON object).
    public func add(resultLine bytes: UnsafeRawBufferPointer) {
        add(ResultLine.parse(bytes, decoder: decoder))
    }

    public func add(_ r: ResultLine) {
        records += 1
        guard let ev = r.evaluation, ev.error == nil else {
            invalidCount += 1
            if invalid.count < invalidListLimit { invalid.append((r.line, r.id, r.errorMessage ?? "")) }
            return
        }
        var anyUndetermined = false
        for res in ev.results ?? [] {
            if rules[res.rule] == nil { rules[res.rule] = RuleCounts(title: res.title); ruleOrder.append(res.rule) }
            let key = res.failedOnlyOnGates ? "not_applicable" : res.outcome.rawValue
            rules[res.rule]!.counts[key, default: 0] += 1
            if res.failedOnlyOnGates { continue }
            for c in res.criteria where c.outcome == .fail {
                let k = res.rule + "\u{1F}" + c.id
                if failing[k] == nil { failing[k] = Failing(rule: res.rule, label: c.label) }
                failing[k]!.failed += 1
                if res.outcome == .ineligible { failing[k]!.stops += 1 }
            }
            if res.outcome == .undetermined {
                anyUndetermined = true
                var seen = Set<String>()
                for c in res.criteria where c.outcome == .unknown {
                    for m in c.missing {
                        let field = BatchReport.fieldPattern(m)
                        if seen.insert(field).inserted { missing[field, default: 0] += 1 }
                    }
                }
            }
            if let s = res.score { BatchReport.count(&points, s) }
            if let a = res.amount, res.outcome == .eligible { BatchReport.count(&amounts, a); amountTotal += a }
        }
        if anyUndetermined { undeterminedRecords += 1 }
    }

    static func count(_ d: inout [Double: Int], _ v: Double) {
        if d[v] != nil || d.count < distinctCap { d[v, default: 0] += 1 }
    }

    /// `jobs[0].worker.labour_status` → `jobs[].worker.labour_status`.
    static func fieldPattern(_ path: String) -> String {
        var out = ""
        var skipping = false
        for ch in path {
            if ch == "[" { skipping = true; out += "[]"; continue }
            if ch == "]" { skipping = false; continue }
            if !skipping { out.append(ch) }
        }
        return out
    }

    static let colors = ["eligible": "#1a7f37", "ineligible": "#b42318", "undetermined": "#bf8700", "not_applicable": "#aab1ba"]

    /// The page. `title` names the input ("Playground/applications.jsonl"), `ruleset` the hash.
    public func render(title: String, ruleset: String? = nil, kryteriaVersion: String? = nil, generatedAt: String = DecisionSheet.now()) -> String {
        let w = DocumentWords(lang)
        let e = HTML.esc
        var b = "<h1>" + e(w.t("Raport z oceny: ", "Batch report: ") + title) + "</h1>\n"
        b += "<p class=\"muted\">" + e(w.count(records, "rekord", "rekordy", "rekordów", en: "record", enPlural: "records"))
        b += " · " + e(w.t("niepoprawne: ", "invalid: ")) + e(DocumentWords.group(invalidCount, lang))
        if let ruleset { b += " · " + e(w.t("reguły ", "ruleset ")) + "<code>" + e(ruleset) + "</code>" }
        if let kryteriaVersion { b += " · Kryteria " + e(kryteriaVersion) }
        b += " · " + e(generatedAt) + "</p>\n"

        // outcome per rule
        b += "<h2>" + e(w.t("Wynik według reguły", "Outcome per rule")) + "</h2>\n"
        if ruleOrder.isEmpty {
            b += "<p>" + e(w.t("Brak ocenionych rekordów.", "No record was evaluated.")) + "</p>\n"
        } else {
            let keys = ["eligible", "ineligible", "undetermined", "not_applicable"]
            let names = keys.map { w.outcomeLower(raw: $0) }
            b += "<p class=\"legend\">" + zip(keys, names).map { "<span class=\"sw\" style=\"background:\(BatchReport.colors[$0.0]!)\"></span>" + e($0.1) }.joined(separator: " &nbsp; ") + "</p>\n"
            let rows = ruleOrder.map { r -> (label: String, parts: [(value: Int, color: String, name: String)]) in
                let c = rules[r]!.counts
                return (r, keys.enumerated().map { (c[$0.element] ?? 0, BatchReport.colors[$0.element]!, names[$0.offset]) })
            }
            b += SVGChart.stackedBars(rows, format: { DocumentWords.group($0, self.lang) })
            b += "<table><thead><tr><th>" + e(w.t("Reguła", "Rule")) + "</th>" + names.map { "<th class=\"num\">" + e($0) + "</th>" }.joined() + "</tr></thead><tbody>\n"
            for r in ruleOrder {
                let c = rules[r]!.counts
                b += "<tr><td>" + e(rules[r]!.title) + " <span class=\"muted\">[" + e(r) + "]</span></td>"
                    + keys.map { "<td class=\"num\">" + e(DocumentWords.group(c[$0] ?? 0, lang)) + "</td>" }.joined() + "</tr>\n"
            }
            b += "</tbody></table>\n"
        }

        // criteria that fail most
        let sortedKeys = failing.keys.sorted { a, b in
            let x = failing[a]!, y = failing[b]!
            return x.stops != y.stops ? x.stops > y.stops : (x.failed != y.failed ? x.failed > y.failed : a < b)
        }.prefix(15)
        if !sortedKeys.isEmpty {
            b += "<h2>" + e(w.t("Kryteria, które najczęściej przesądzają o odmowie", "Criteria that fail most often")) + "</h2>\n"
            b += "<p class=\"muted\">" + e(w.t("Długość słupka: ile rekordów dane kryterium wyklucza (reguła „nie spełnia”).",
                                                "Bar length: how many records the criterion stops (rule ineligible).")) + "</p>\n"
            b += SVGChart.horizontalBars(sortedKeys.filter { failing[$0]!.stops > 0 }.map { k in
                let f = failing[k]!
                let cid = String(k.split(separator: "\u{1F}").last ?? "")
                return SVGChart.Bar(label: cid + " · " + f.rule, value: Double(f.stops), color: "#b42318", text: DocumentWords.group(f.stops, lang))
            })
            b += "<table><thead><tr><th>" + e(w.t("Kryterium", "Criterion")) + "</th><th>" + e(w.t("Reguła", "Rule")) + "</th><th class=\"num\">"
                + e(w.t("wyklucza", "stops")) + "</th><th class=\"num\">" + e(w.t("niespełnione łącznie", "failed in all")) + "</th></tr></thead><tbody>\n"
            for k in sortedKeys {
                let f = failing[k]!
                let cid = String(k.split(separator: "\u{1F}").last ?? "")
                b += "<tr><td><b>" + e(cid) + "</b> " + e(f.label) + "</td><td>" + e(f.rule) + "</td><td class=\"num\">"
                    + e(DocumentWords.group(f.stops, lang)) + "</td><td class=\"num\">" + e(DocumentWords.group(f.failed, lang)) + "</td></tr>\n"
            }
            b += "</tbody></table>\n"
        }

        // distributions
        if !points.isEmpty {
            b += "<h2>" + e(w.t("Rozkład punktów", "Distribution of points")) + "</h2>\n"
            b += SVGChart.histogram(BatchReport.bins(points, money: false, w: w), color: "#4a6fa5", format: { DocumentWords.group($0, self.lang) })
        }
        if !amounts.isEmpty {
            b += "<h2>" + e(w.t("Rozkład kwot (wyniki „spełnia”)", "Distribution of amounts (eligible results)")) + "</h2>\n"
            b += "<p class=\"muted\">" + e(w.t("Suma kwot: ", "Total: ") + w.money(amountTotal)) + "</p>\n"
            b += SVGChart.histogram(BatchReport.bins(amounts, money: true, w: w), color: "#1a7f37", format: { DocumentWords.group($0, self.lang) })
        }

        // undetermined by missing field
        if !missing.isEmpty {
            b += "<h2>" + e(w.t("Nieustalone: o co najczęściej trzeba dopytać", "Undetermined: what to ask for most")) + "</h2>\n"
            b += "<p class=\"muted\">" + e(w.t("Rekordy z wynikiem „nieustalone”: ", "Records with an undetermined outcome: ") + DocumentWords.group(undeterminedRecords, lang)) + "</p>\n"
            let top = missing.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(15)
            // a field in words, where it is ("stopień niepełnosprawności — stanowisko, osoba na stanowisku"),
            // its path kept in the table for whoever completes the data
            func words(_ k: String) -> String {
                guard let v = vocabulary else { return k }
                let path = k.replacingOccurrences(of: "[]", with: "[0]")
                // (an item of any list: "stanowisko 1" without its number)
                let place = v.place(ofPath: path, lang).replacingOccurrences(of: #" 1(,|$)"#, with: "$1", options: .regularExpression)
                return v.label(path, lang) + (place.isEmpty ? "" : " — " + place)
            }
            b += SVGChart.horizontalBars(top.map { SVGChart.Bar(label: words($0.key), value: Double($0.value), color: "#bf8700", text: DocumentWords.group($0.value, lang)) })
            b += "<table><thead><tr><th>" + e(w.t("Pole", "Field")) + "</th><th>" + e(w.t("Pytanie", "Question")) + "</th><th class=\"num\">"
                + e(w.t("rekordy", "records")) + "</th></tr></thead><tbody>\n"
            for (k, v) in top {
                b += "<tr><td>" + e(words(k)) + "<br><code class=\"muted\">" + e(k) + "</code></td><td>"
                    + e(MissingQuestions.question(for: k.replacingOccurrences(of: "[]", with: ""), lang: lang, vocabulary: vocabulary))
                    + "</td><td class=\"num\">" + e(DocumentWords.group(v, lang)) + "</td></tr>\n"
            }
            b += "</tbody></table>\n"
        }

        // invalid lines
        b += "<h2>" + e(w.t("Niepoprawne rekordy", "Invalid records")) + " (" + e(DocumentWords.group(invalidCount, lang)) + ")</h2>\n"
        if invalid.isEmpty {
            b += "<p>" + e(w.t("Brak.", "None.")) + "</p>\n"
        } else {
            b += "<table><thead><tr><th class=\"num\">" + e(w.t("Wiersz", "Line")) + "</th><th>" + e(w.t("Identyfikator", "Id")) + "</th><th>"
                + e(w.t("Komunikat", "Message")) + "</th></tr></thead><tbody>\n"
            for i in invalid {
                b += "<tr><td class=\"num\">" + e(i.line.map(String.init) ?? "—") + "</td><td>" + e(i.id ?? "—") + "</td><td>" + e(i.message) + "</td></tr>\n"
            }
            b += "</tbody></table>\n"
            if invalidCount > invalid.count {
                b += "<p class=\"muted\">" + e(w.t("… i \(invalidCount - invalid.count) kolejnych (pełna lista w pliku wyników).",
                                                   "… and \(invalidCount - invalid.count) more (see the results file).")) + "</p>\n"
            }
        }
        return HTML.page(title: w.t("Raport z oceny: ", "Batch report: ") + title, lang: lang.rawValue, css: BatchReport.css, body: b)
    }

    /// Up to 12 bins over the values: exact values when there are few, ranges otherwise.
    static func bins(_ d: [Double: Int], money: Bool, w: DocumentWords) -> [(label: String, count: Int)] {
        let keys = d.keys.sorted()
        func show(_ x: Double) -> String { money ? w.money(x, wholeWithoutGrosze: true) : w.number(x) }
        if keys.count <= 12 { return keys.map { (show($0), d[$0]!) } }
        let lo = keys.first!, hi = keys.last!
        let n = 10
        let step = (hi - lo) / Double(n)
        var counts = Array(repeating: 0, count: n)
        for (k, v) in d { counts[min(n - 1, Int((k - lo) / step))] += v }
        return (0..<n).map { i in (show(lo + step * Double(i)) + "–" + show(lo + step * Double(i + 1)), counts[i]) }
    }

    static let css = """
    body { max-width: 200mm; }
    svg.chart { display: block; max-width: 100%; height: auto; margin: 2mm 0 3mm; font-family: "DejaVu Sans", Arial, sans-serif; }
    h2 { break-after: avoid; }
    svg.chart, table { break-inside: auto; }
    .legend { font-size: 9pt; }
    .sw { display: inline-block; width: 3mm; height: 3mm; vertical-align: middle; margin-right: 1mm; }
    code { font-family: "DejaVu Sans Mono", monospace; font-size: 8.5pt; }
    """
}

// Read access for the workbook's summary sheet.
extension BatchReport {
    var ruleOrderList: [String] { ruleOrder }
    func ruleTitle(_ r: String) -> String { rules[r]?.title ?? r }
    func ruleCountsOf(_ r: String) -> [String: Int] { rules[r]?.counts ?? [:] }
    /// Criteria by how many records they stop, then by how often they fail.
    var failingCriteria: [(id: String, rule: String, label: String, stops: Int, failed: Int)] {
        failing.sorted { a, b in
            a.value.stops != b.value.stops ? a.value.stops > b.value.stops
                : (a.value.failed != b.value.failed ? a.value.failed > b.value.failed : a.key < b.key)
        }.map { (String($0.key.split(separator: "\u{1F}").last ?? ""), $0.value.rule, $0.value.label, $0.value.stops, $0.value.failed) }
    }
    var invalidLines: [(line: Int?, id: String?, message: String)] { invalid }
}
