import ArgumentParser
import Foundation
import Kryteria
import KryteriaDocuments

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Pokaż reguły, kryteria i parametry / list rules, criteria and parameters.",
        discussion: """
        Lists every rule with its criteria and legal basis, then every parameter with the value in
        force on --as-of (default: today) and the date it applies from. --json prints the same as data.
        """
    )

    @OptionGroup var options: RuleOptions

    @Flag(name: .long, help: "Wynik w JSON / print JSON.")
    var json = false

    func run() throws {
        let engine = options.loadEngine()
        let date = options.asOf ?? Engine.isoToday()
        let d = try engine.describe(asOf: date)
        let en = options.lang == .en
        let rules = d.rules.filter { options.ruleIDs.isEmpty || options.ruleIDs.contains($0.id) }
        if json {
            var out: [[String: Any]] = []
            for r in rules {
                out.append(["rule": r.id, "applies_to": r.appliesTo, "title": en ? r.titleEn : r.title,
                            "legal_basis": r.legalBasis,
                            "criteria": r.criteria.map { ["id": $0.id, "label": en ? $0.labelEn : $0.label, "legal_basis": $0.legalBasis] }])
            }
            func value(_ p: RulesetDescription.Parameter, _ v: RulesetDescription.Parameter.Value, into o: inout [String: Any]) {
                o["value"] = v.value
                o["from"] = v.from
                if let u = v.until { o["until"] = u }
                o["basis"] = p.basis(of: v)
                o["unverified"] = p.unverified(v)
                if let c = v.confidence { o["confidence"] = c }
                if let n = v.note { o["note"] = n }
                if let at = v.overriddenAt { o["overridden_at"] = at }
            }
            let params: [[String: Any]] = d.parameters.map { p in
                var o: [String: Any] = ["name": p.name, "basis": p.basis]
                if let l = p.label { o["label"] = en ? p.labelEn ?? l : l }
                if let u = p.unit { o["unit"] = u }
                if let v = RulesCommand.inForce(p, on: date) { value(p, v, into: &o) } else { o["value"] = NSNull() }
                let programmes: [[String: Any]] = (p.programmes ?? []).compactMap { prog in
                    var q = p
                    q.values = prog.values
                    guard let v = RulesCommand.inForce(q, on: date) else { return nil }
                    var po: [String: Any] = ["programme": prog.programme]
                    value(p, v, into: &po)
                    return po
                }
                if !programmes.isEmpty { o["programmes"] = programmes }
                return o
            }
            let doc: [String: Any] = ["ruleset": engine.rulesetHash, "as_of": date, "rules": out, "parameters": params]
            let data = try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys])
            Terminal.stdout(String(decoding: data, as: UTF8.self) + "\n")
            return
        }
        let st = Style(color: Terminal.colorStdout)
        var s = st.bold(en ? "Rules" : "Reguły") + st.dim(" · \(engine.rulesDirectory) · \(String(engine.rulesetHash.dropFirst(7).prefix(12)))") + "\n"
        for r in rules {
            s += "\n" + st.bold(r.id) + "  " + (en ? r.titleEn : r.title) + st.dim("  (\(ReportRenderer.kindWord(r.appliesTo, en ? .en : .pl))) · \(r.legalBasis)") + "\n"
            for c in r.criteria {
                s += "  " + c.id.padding(toLength: 9, withPad: " ", startingAt: 0) + (en ? c.labelEn : c.label) + st.dim("  · \(c.legalBasis)") + "\n"
            }
        }
        if options.ruleIDs.isEmpty {
            s += "\n" + st.bold(en ? "Parameters in force on \(date)" : "Parametry obowiązujące \(date)") + "\n"
            for p in d.parameters {
                let name = p.name.padding(toLength: max(36, p.name.count + 1), withPad: " ", startingAt: 0)
                func line(_ v: RulesetDescription.Parameter.Value) -> String {
                    var t = ParameterTable.show(v.value, unit: p.unit, lang: en ? .en : .pl)
                        + st.dim((en ? "  from " : "  od ") + v.from + " · \(p.basis(of: v))")
                    if p.unverified(v) { t += " " + st.yellow(en ? "(unverified)" : "(niezweryfikowane)") }
                    if let at = v.overriddenAt { t += st.dim(en ? " · the centre's value, \(at)" : " · wartość ośrodka, \(at)") }
                    return t
                }
                if let v = RulesCommand.inForce(p, on: date) {
                    s += "  \(name)" + line(v) + "\n"
                } else {
                    s += "  \(name)" + st.yellow(en ? "no value in force" : "brak wartości w tym dniu") + st.dim("  · \(p.basis)") + "\n"
                }
                for prog in p.programmes ?? [] {
                    var q = p
                    q.values = prog.values
                    guard let v = RulesCommand.inForce(q, on: date) else { continue }
                    s += "    " + (en ? "programme " : "program ") + prog.programme + ": " + line(v) + "\n"
                }
            }
        }
        Terminal.stdout(s)
    }

    /// The value of a parameter in force on a date (nil before its first value or after its last `until`).
    static func inForce(_ p: RulesetDescription.Parameter, on date: String) -> RulesetDescription.Parameter.Value? {
        guard let v = p.values.last(where: { $0.from <= date }) else { return nil }
        if let until = v.until, date > until { return nil }
        return v
    }


}
