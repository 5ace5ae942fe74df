import ArgumentParser
import Foundation
import Kryteria
import KryteriaBatch
import LuaBridge
import KryteriaDocuments

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Porównaj wyniki dwóch wersji reguł lub dwóch dat / compare outcomes under two rulesets or two dates.",
        discussion: """
        Evaluates every record of INPUT (JSON Lines or a JSON array, as for batch) twice: under \
        --rules and under --against (another rules folder), or as of --as-of and as of \
        --against-as-of with one folder (both may be given). Reports per rule how many records \
        change outcome (e.g. eligible → ineligible) and, for each changed record, which criteria \
        flipped with the reasons before and after. A record is listed when any rule outcome or \
        any criterion outcome, the amount or the score differs ("other changes" in the table: \
        criteria, amount or score changed while the outcome stayed). --json: one JSON line per changed record, then a summary line.

        Exit status: 0 compared (differences or not); 1 some records were invalid or malformed \
        under either side; 2 wrong arguments, unreadable input, or rules that cannot be loaded.
        """
    )

    @OptionGroup var options: RuleOptions

    @Argument(help: "Plik wejściowy (JSON Lines lub tablica JSON), - = stdin / input file.")
    var input: String

    @Option(name: .long, help: "Drugi katalog reguł / the rules folder to compare with.")
    var against: String?

    @Option(name: .customLong("against-as-of"), help: "Druga data oceny / the as-of date to compare with.")
    var againstAsOf: String?

    @Flag(name: .long, help: "JSON Lines: jedna linia na zmieniony rekord + podsumowanie / one line per changed record, then a summary.")
    var json = false

    @Option(name: .long, help: "Zapisz też raport HTML z wykresami / also write an HTML report with charts to this file.")
    var report: String?

    func run() throws {
        do {
            try execute()
        } catch let e as BatchError {
            Terminal.stderr("kryteria diff: \(e)\n")
            throw ExitCode(ExitStatus.usage)
        }
    }

    struct Side {
        var outcome: String          // rule outcome, or "invalid" / "absent"
        var criteria: [CriterionResult]
        var amount: Double? = nil
        var score: Double? = nil
    }

    struct CriterionChange: Encodable {
        var id: String
        var before: String
        var after: String
        var reasonBefore: String?
        var reasonAfter: String?
        enum CodingKeys: String, CodingKey {
            case id, before, after
            case reasonBefore = "reason_before"
            case reasonAfter = "reason_after"
        }
    }

    struct RuleChange: Encodable {
        var rule: String
        var before: String
        var after: String
        var criteria: [CriterionChange]
        /// Set (both) only when the amount or the score changed.
        var amountBefore: Double?
        var amountAfter: Double?
        var scoreBefore: Double?
        var scoreAfter: Double?
        enum CodingKeys: String, CodingKey {
            case rule, before, after, criteria
            case amountBefore = "amount_before", amountAfter = "amount_after"
            case scoreBefore = "score_before", scoreAfter = "score_after"
        }
    }

    struct RecordChange: Encodable {
        var line: Int
        var id: String?
        var changes: [RuleChange]
    }

    private func execute() throws {
        let t = DocumentWords(options.lang).t
        if against == nil && againstAsOf == nil {
            throw BatchError.usage(t("podaj --against FOLDER (inne reguły) i/lub --against-as-of DATA",
                                     "give --against DIR (another rules folder) and/or --against-as-of DATE"))
        }
        if let d = againstAsOf, !EvaluationOptions.isDate(d) {
            throw BatchError.usage(t("--against-as-of: oczekiwano istniejącej daty RRRR-MM-DD, jest \(d)",
                                     "--against-as-of: expected a date YYYY-MM-DD that exists, found \(d)"))
        }
        if input != "-" && !FileManager.default.fileExists(atPath: input) {
            throw BatchError.usage(t("nie ma pliku wejściowego: \(input)", "no such input file: \(input)"))
        }
        let engineA = options.loadEngine()
        var otherOptions = options
        if let against { otherOptions.rules = against }
        let engineB = against == nil ? engineA : otherOptions.loadEngine()
        let optsA = options.evaluationOptions
        var optsB = optsA
        if let againstAsOf { optsB.asOf = againstAsOf }

        let reader = try RecordReader(path: input, language: options.lang)
        let lang = options.lang
        let diffReport = report.map { _ in DiffReport(lang: lang) }
        if let report {
            BatchDocuments.makeFolder(of: report)
            guard startFile(report) else {
                throw BatchError.usage(t("nie można zapisać raportu \(report): ", "cannot write the report \(report): ") + SystemText.error(errno, lang))
            }
        }
        var records = 0, changed = 0, invalid = 0
        // rule → "before→after" → count
        var transitions: [String: [String: Int]] = [:]
        var criteriaOnly: [String: Int] = [:]
        var table = ""
        let decoder = JSONDecoder()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]

        // both Lua states borrowed for the whole run (two engines in one worker)
        try engineA.withRuntime { rtA in
            try (against == nil ? engineA : engineB).withRuntime { rtB in
                let optsJSONA = optsA.json(line: nil), optsJSONB = optsB.json(line: nil)
                func eval(_ rt: Runtime, _ rec: UnsafeRawBufferPointer, _ opts: [UInt8]) -> Evaluation? {
                    opts.withUnsafeBytes { o in
                        (try? rt.evaluate(json: rec, options: o) { out, _ in
                            try decoder.decode(Evaluation.self, from: Data(bytes: out.baseAddress!, count: out.count))
                        })
                    }
                }
                while try reader.next({ rec, place in
                    records += 1
                    let a = rec.isEmpty ? nil : eval(rtA, rec, optsJSONA)
                    let b = rec.isEmpty ? nil : eval(rtB, rec, optsJSONB)
                    if a == nil || b == nil || a?.error != nil || b?.error != nil { invalid += 1 }
                    let sa = Diff.sides(a), sb = Diff.sides(b)
                    var ruleIDs: [String] = []
                    for r in (a?.results ?? []) + (b?.results ?? []) where !ruleIDs.contains(r.rule) { ruleIDs.append(r.rule) }
                    var changes: [RuleChange] = []
                    for rule in ruleIDs {
                        let x = sa[rule] ?? Side(outcome: a?.results == nil ? "invalid" : "absent", criteria: [])
                        let y = sb[rule] ?? Side(outcome: b?.results == nil ? "invalid" : "absent", criteria: [])
                        var flips: [CriterionChange] = []
                        var cids: [String] = []
                        for c in x.criteria + y.criteria where !cids.contains(c.id) { cids.append(c.id) }
                        for cid in cids {
                            let cx = x.criteria.first { $0.id == cid }, cy = y.criteria.first { $0.id == cid }
                            let ox = cx?.outcome.rawValue ?? "absent", oy = cy?.outcome.rawValue ?? "absent"
                            if ox != oy {
                                flips.append(CriterionChange(id: cid, before: ox, after: oy, reasonBefore: cx?.reason, reasonAfter: cy?.reason))
                            }
                        }
                        if x.outcome != y.outcome {
                            transitions[rule, default: [:]]["\(x.outcome)→\(y.outcome)", default: 0] += 1
                        } else if !flips.isEmpty {
                            criteriaOnly[rule, default: 0] += 1
                        }
                        let amountChanged = x.amount != y.amount, scoreChanged = x.score != y.score
                        if x.outcome == y.outcome && flips.isEmpty && (amountChanged || scoreChanged) {
                            criteriaOnly[rule, default: 0] += 1
                        }
                        if x.outcome != y.outcome || !flips.isEmpty || amountChanged || scoreChanged {
                            var ch = RuleChange(rule: rule, before: x.outcome, after: y.outcome, criteria: flips)
                            if amountChanged { ch.amountBefore = x.amount; ch.amountAfter = y.amount }
                            if scoreChanged { ch.scoreBefore = x.score; ch.scoreAfter = y.score }
                            changes.append(ch)
                        }
                    }
                    let id = a?.id ?? b?.id
                    diffReport?.add(line: place.line, id: id, changes: changes.map { c in
                        DiffReport.Change(rule: c.rule, before: c.before, after: c.after,
                                          flips: c.criteria.map { DiffReport.Flip(criterion: $0.id, before: $0.before, after: $0.after) },
                                          amount: c.amountBefore != nil || c.amountAfter != nil ? (c.amountBefore, c.amountAfter) : nil,
                                          score: c.scoreBefore != nil || c.scoreAfter != nil ? (c.scoreBefore, c.scoreAfter) : nil)
                    }, invalid: a == nil || b == nil || a?.error != nil || b?.error != nil)
                    if changes.isEmpty { return }
                    changed += 1
                    let rc = RecordChange(line: place.line, id: id, changes: changes)
                    if json {
                        if let d = try? encoder.encode(rc) { Terminal.stdout(String(decoding: d, as: UTF8.self) + "\n") }
                    } else {
                        table += Diff.renderRecord(rc, lang: lang)
                    }
                }) {}
            }
        }

        if json {
            struct Transition: Encodable { var from: String; var to: String; var count: Int }
            struct RuleSummary: Encodable {
                var changed: Int
                var criteriaOnly: Int
                var transitions: [Transition]
                enum CodingKeys: String, CodingKey { case changed, transitions; case criteriaOnly = "other_changes" }
            }
            struct Summary: Encodable {
                var records: Int, changed: Int, invalid: Int
                var before: String, after: String
                var rules: [String: RuleSummary]
            }
            var rules: [String: RuleSummary] = [:]
            for rule in Set(transitions.keys).union(criteriaOnly.keys) {
                let t = (transitions[rule] ?? [:]).sorted { $0.key < $1.key }.map { kv -> Transition in
                    let parts = kv.key.components(separatedBy: "→")
                    return Transition(from: parts[0], to: parts[1], count: kv.value)
                }
                rules[rule] = RuleSummary(changed: t.reduce(0) { $0 + $1.count }, criteriaOnly: criteriaOnly[rule] ?? 0, transitions: t)
            }
            struct Line: Encodable { var summary: Summary }
            let s = Summary(records: records, changed: changed, invalid: invalid,
                            before: describe(engineA, optsA), after: describe(engineB, optsB), rules: rules)
            let d = try encoder.encode(Line(summary: s))
            Terminal.stdout(String(decoding: d, as: UTF8.self) + "\n")
        } else {
            Terminal.stdout(renderSummary(records: records, changed: changed, invalid: invalid, transitions: transitions,
                                          criteriaOnly: criteriaOnly, before: describe(engineA, optsA),
                                          after: describe(engineB, optsB)))
            if !table.isEmpty {
                Terminal.stdout("\n" + (lang == .pl ? "Zmienione rekordy" : "Changed records") + "\n" + table)
            }
        }
        if let report, let diffReport {
            let html = diffReport.render(title: input == "-" ? "stdin" : input, before: describe(engineA, optsA), after: describe(engineB, optsB))
            do { try Data(html.utf8).write(to: URL(fileURLWithPath: report)) } catch {
                throw BatchError.usage(t("nie można zapisać raportu \(report): ", "cannot write the report \(report): ") + SystemText.error(error, lang))
            }
            Terminal.stderr((lang == .en ? "report: " : "raport: ") + report + "\n")
        }
        if let problem = reader.arrayProblem {   // records may be missing from both sides
            Terminal.stderr("kryteria diff: \(input == "-" ? "stdin" : input): " + problem.message(lang) + "\n")
        }
        if invalid > 0 || reader.arrayProblem != nil { throw ExitCode(ExitStatus.invalidRecords) }
    }

    private func describe(_ e: Engine, _ o: EvaluationOptions) -> String {
        var s = "\(e.rulesDirectory) (\(e.rulesetHash.prefix(19)))"
        if let d = o.asOf { s += (options.lang == .pl ? " na dzień " : " as of ") + d }
        return s
    }

    static func sides(_ ev: Evaluation?) -> [String: Side] {
        var m: [String: Side] = [:]
        for r in ev?.results ?? [] { m[r.rule] = Side(outcome: r.outcome.rawValue, criteria: r.criteria, amount: r.amount, score: r.score) }
        return m
    }

    /// A rule's outcome in the words of the reports and the HTML diff ("nieustalone").
    static func word(_ s: String, _ lang: Language) -> String { DocumentWords(lang).outcomeLower(raw: s) }
    /// A criterion's outcome likewise ("spełnia", "nie dotyczy").
    static func criterionWord(_ s: String, _ lang: Language) -> String { DocumentWords(lang).criterion(raw: s) }

    static func renderRecord(_ rc: RecordChange, lang: Language) -> String {
        var s = (lang == .pl ? "wiersz " : "line ") + "\(rc.line)"
        if let id = rc.id { s += "  \(id)" }
        s += "\n"
        for c in rc.changes {
            s += "  \(c.rule): \(word(c.before, lang)) → \(word(c.after, lang))"
            func num(_ v: Double?) -> String { v.map { ReportRenderer.number($0, lang) } ?? "—" }
            func money(_ v: Double?) -> String { v.map { ReportRenderer.money($0, lang) } ?? "—" }
            if c.scoreBefore != nil || c.scoreAfter != nil {
                s += (lang == .pl ? ", punkty " : ", score ") + num(c.scoreBefore) + " → " + num(c.scoreAfter)
            }
            if c.amountBefore != nil || c.amountAfter != nil {
                s += (lang == .pl ? ", kwota " : ", amount ") + money(c.amountBefore) + " → " + money(c.amountAfter)
            }
            s += "\n"
            for f in c.criteria {
                s += "    \(f.id)  \(criterionWord(f.before, lang)) → \(criterionWord(f.after, lang))\n"
                if let r = f.reasonBefore { s += "      " + (lang == .pl ? "przed: " : "before: ") + r + "\n" }
                if let r = f.reasonAfter { s += "      " + (lang == .pl ? "po:    " : "after:  ") + r + "\n" }
            }
        }
        return s
    }

    private func renderSummary(records: Int, changed: Int, invalid: Int, transitions: [String: [String: Int]],
                               criteriaOnly: [String: Int], before: String, after: String) -> String {
        let pl = options.lang == .pl
        var s = (pl ? "Przed: " : "Before: ") + before + "\n" + (pl ? "Po:    " : "After:  ") + after + "\n"
        s += pl ? "Rekordy: \(records), zmienione: \(changed), nieprawidłowe: \(invalid)\n"
                : "Records: \(records), changed: \(changed), invalid: \(invalid)\n"
        let rules = Set(transitions.keys).union(criteriaOnly.keys).sorted()
        if rules.isEmpty {
            s += pl ? "Brak zmian.\n" : "No changes.\n"
            return s
        }
        let h = pl ? ["Reguła", "Zmiana wyniku", "Inne zmiany", "Przejścia"] : ["Rule", "Outcome changed", "Other changes", "Transitions"]
        var rows: [[String]] = []
        for r in rules {
            let t = (transitions[r] ?? [:]).sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
            let total = t.reduce(0) { $0 + $1.value }
            let desc = t.map { kv -> String in
                let p = kv.key.components(separatedBy: "→")
                return "\(Diff.word(p[0], options.lang)) → \(Diff.word(p[1], options.lang)): \(kv.value)"
            }.joined(separator: "; ")
            rows.append([r, String(total), String(criteriaOnly[r] ?? 0), desc])
        }
        let widths = (0..<4).map { i in ([h] + rows).map { $0[i].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            var out = ""
            for (i, c) in cells.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - c.count)
                out += i == 1 || i == 2 ? pad + c : c + (i == 3 ? "" : pad)
                if i < 3 { out += "  " }
            }
            return out + "\n"
        }
        s += "\n" + line(h)
        s += line(widths.map { String(repeating: "─", count: $0) })
        for r in rows { s += line(r) }
        return s
    }
}
