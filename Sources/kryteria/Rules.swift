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
            let params: [[String: Any]] = d.parameters.map { p in
                var o: [String: Any] = ["name": p.name, "basis": p.basis]
                if let u = p.unit { o["unit"] = u }
                if let v = RulesCommand.inForce(p, on: date) { o["value"] = v.value; o["from"] = v.from } else { o["value"] = NSNull() }
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
                if let v = RulesCommand.inForce(p, on: date) {
                    s += "  \(name)\(ParameterTable.show(v.value, unit: p.unit, lang: en ? .en : .pl))" + st.dim((en ? "  from " : "  od ") + v.from + " · \(p.basis)") + "\n"
                } else {
                    s += "  \(name)" + st.yellow(en ? "no value in force" : "brak wartości w tym dniu") + st.dim("  · \(p.basis)") + "\n"
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
