import Foundation
import Kryteria

/// The report of `kryteria diff`: what a rule change (or another as-of date) does to a set of records:
/// transitions per rule as bars, the criteria that flipped most, the changed records (capped).
public final class DiffReport {
    public struct Flip: Sendable {
        public var criterion: String, before: String, after: String
        public init(criterion: String, before: String, after: String) { self.criterion = criterion; self.before = before; self.after = after }
    }
    public struct Change: Sendable {
        public var rule: String, before: String, after: String
        public var flips: [Flip]
        /// Set when the amount or the points changed.
        public var amount: (Double?, Double?)?
        public var score: (Double?, Double?)?
        public init(rule: String, before: String, after: String, flips: [Flip],
                    amount: (Double?, Double?)? = nil, score: (Double?, Double?)? = nil) {
            self.rule = rule; self.before = before; self.after = after; self.flips = flips; self.amount = amount; self.score = score
        }
    }

    public let lang: Language
    public var listLimit = 300
    private(set) var records = 0
    private(set) var changed = 0
    private(set) var invalid = 0
    private var transitions: [String: [String: Int]] = [:]
    private var otherChanges: [String: Int] = [:]
    private var flips: [String: Int] = [:]
    private var listed: [(line: Int, id: String?, changes: [Change])] = []

    public init(lang: Language = .pl) { self.lang = lang }

    /// One compared record: its changes (empty when nothing changed).
    public func add(line: Int, id: String?, changes: [Change], invalid isInvalid: Bool = false) {
        records += 1
        if isInvalid { invalid += 1 }
        guard !changes.isEmpty else { return }
        changed += 1
        for c in changes {
            if c.before != c.after { transitions[c.rule, default: [:]][c.before + "→" + c.after, default: 0] += 1 } else { otherChanges[c.rule, default: 0] += 1 }
            for f in c.flips { flips[c.rule + " · " + f.criterion + ": " + f.before + "→" + f.after, default: 0] += 1 }
        }
        if listed.count < listLimit { listed.append((line, id, changes)) }
    }

    public func render(title: String, before: String, after: String, generatedAt: String = DecisionSheet.now()) -> String {
        let w = DocumentWords(lang)
        let e = HTML.esc
        func word(_ s: String) -> String { w.outcomeLower(raw: s) }
        func pair(_ k: String) -> String {
            let p = k.components(separatedBy: "→")
            return p.count == 2 ? word(p[0]) + " → " + word(p[1]) : k
        }
        func crit(_ s: String) -> String { w.criterion(raw: s) }
        var b = "<h1>" + e(w.t("Skutki zmiany: ", "What the change does: ") + title) + "</h1>\n"
        b += "<table class=\"meta\"><tr><th>" + e(w.t("Przed", "Before")) + "</th><td>" + e(before) + "</td></tr><tr><th>"
            + e(w.t("Po", "After")) + "</th><td>" + e(after) + "</td></tr></table>\n"
        b += "<p class=\"muted\">" + e(w.count(records, "rekord", "rekordy", "rekordów", en: "record", enPlural: "records")) + " · "
            + e(w.t("zmienione: ", "changed: ") + DocumentWords.group(changed, lang)) + " · "
            + e(w.t("niepoprawne: ", "invalid: ") + DocumentWords.group(invalid, lang)) + " · " + e(generatedAt) + "</p>\n"

        b += "<h2>" + e(w.t("Zmiany wyniku według reguły", "Outcome transitions per rule")) + "</h2>\n"
        if transitions.isEmpty && otherChanges.isEmpty {
            b += "<p>" + e(w.t("Brak zmian.", "No changes.")) + "</p>\n"
        }
        var bars: [SVGChart.Bar] = []
        for rule in transitions.keys.sorted() {
            for (k, v) in transitions[rule]!.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
                let to = k.components(separatedBy: "→").last ?? ""
                let color = to == "eligible" ? "#1a7f37" : to == "ineligible" ? "#b42318" : "#bf8700"
                bars.append(SVGChart.Bar(label: rule + ": " + pair(k), value: Double(v), color: color, text: DocumentWords.group(v, lang)))
            }
        }
        if !bars.isEmpty { b += SVGChart.horizontalBars(bars, labelWidth: 320) }
        if !transitions.isEmpty || !otherChanges.isEmpty {
            b += "<table><thead><tr><th>" + e(w.t("Reguła", "Rule")) + "</th><th>" + e(w.t("Przejście", "Transition")) + "</th><th class=\"num\">"
                + e(w.t("rekordy", "records")) + "</th></tr></thead><tbody>\n"
            for rule in Set(transitions.keys).union(otherChanges.keys).sorted() {
                for (k, v) in (transitions[rule] ?? [:]).sorted(by: { $0.key < $1.key }) {
                    b += "<tr><td>" + e(rule) + "</td><td>" + e(pair(k)) + "</td><td class=\"num\">" + e(DocumentWords.group(v, lang)) + "</td></tr>\n"
                }
                if let o = otherChanges[rule] {
                    b += "<tr><td>" + e(rule) + "</td><td class=\"muted\">" + e(w.t("inne zmiany (kryteria, kwota, punkty)", "other changes (criteria, amount, points)"))
                        + "</td><td class=\"num\">" + e(DocumentWords.group(o, lang)) + "</td></tr>\n"
                }
            }
            b += "</tbody></table>\n"
        }

        if !flips.isEmpty {
            b += "<h2>" + e(w.t("Kryteria, które zmieniły wynik", "Criteria that flipped")) + "</h2>\n"
            let top = flips.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(20)
            b += SVGChart.horizontalBars(top.map { kv in
                let parts = kv.key.components(separatedBy: ": ")
                let rc = parts[0].components(separatedBy: " · ")
                let label = parts.count == 2 && rc.count == 2
                    ? rc[1] + " " + parts[1].components(separatedBy: "→").map(crit).joined(separator: " → ") + " · " + rc[0] : kv.key
                return SVGChart.Bar(label: label, value: Double(kv.value), color: "#4a6fa5", text: DocumentWords.group(kv.value, lang))
            }, labelWidth: 360)
        }

        if !listed.isEmpty {
            b += "<h2>" + e(w.t("Zmienione rekordy", "Changed records")) + "</h2>\n<table><thead><tr><th class=\"num\">" + e(w.t("Wiersz", "Line"))
                + "</th><th>" + e(w.t("Identyfikator", "Id")) + "</th><th>" + e(w.t("Zmiany", "Changes")) + "</th></tr></thead><tbody>\n"
            for r in listed {
                let text = r.changes.map { c -> String in
                    var s = "<b>" + e(c.rule) + "</b>: " + e(word(c.before) + " → " + word(c.after))
                    func show(_ v: Double?, money: Bool) -> String { v.map { money ? w.money($0) : w.number($0) } ?? "—" }
                    if let a = c.amount { s += e(w.t(", kwota ", ", amount ") + show(a.0, money: true) + " → " + show(a.1, money: true)) }
                    if let p = c.score { s += e(w.t(", punkty ", ", points ") + show(p.0, money: false) + " → " + show(p.1, money: false)) }
                    if !c.flips.isEmpty { s += "<br><span class=\"muted\">" + c.flips.map { e($0.criterion + " " + crit($0.before) + " → " + crit($0.after)) }.joined(separator: "; ") + "</span>" }
                    return s
                }.joined(separator: "<br>")
                b += "<tr><td class=\"num\">\(r.line)</td><td>" + e(r.id ?? "—") + "</td><td>" + text + "</td></tr>\n"
            }
            b += "</tbody></table>\n"
            if changed > listed.count {
                b += "<p class=\"muted\">" + e(w.t("… i \(changed - listed.count) kolejnych (pełna lista: kryteria diff --json).",
                                                   "… and \(changed - listed.count) more (full list: kryteria diff --json).")) + "</p>\n"
            }
        }
        return HTML.page(title: w.t("Skutki zmiany: ", "What the change does: ") + title, lang: lang.rawValue, css: BatchReport.css
                         + "\n.meta { width: auto; } .meta th { border: none; padding-right: 4mm; } .meta td { border: none; }", body: b)
    }
}
