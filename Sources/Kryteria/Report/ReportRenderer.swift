import Foundation

/// The consultant's report of an evaluation: one rule per block, one criterion per line,
/// each with its mark, reason (with the values used), legal basis and what is missing.
/// The same text is shown by `kryteria check` and by the REPL.
public enum ReportRenderer {
    struct Words {
        let eligible, ineligible, undetermined, asOf, rules, missing, amount, score, error, ask, assumption, invalid: String
    }
    static let pl = Words(eligible: "SPEŁNIA", ineligible: "NIE SPEŁNIA", undetermined: "NIEUSTALONE",
                          asOf: "stan na", rules: "reguły", missing: "brakujące dane (zapytaj o)",
                          amount: "kwota", score: "punkty", error: "błąd", ask: "zapytaj o",
                          assumption: "założenie", invalid: "PROFIL NIEPOPRAWNY")
    static let en = Words(eligible: "ELIGIBLE", ineligible: "NOT ELIGIBLE", undetermined: "UNDETERMINED",
                          asOf: "as of", rules: "ruleset", missing: "missing data (ask for)",
                          amount: "amount", score: "points", error: "error", ask: "ask for",
                          assumption: "assumption", invalid: "INVALID PROFILE")

    static func words(_ l: Language) -> Words { l == .en ? en : pl }

    /// For a problem "one of: a, b, c" of a field with words for its codes: "word a (a), word b (b), …",
    /// in the order the message lists them (the schema's); nil for any other problem.
    public static func codeWords(_ p: Problem, _ vocabulary: Vocabulary?, _ language: Language) -> String? {
        guard let v = vocabulary, let f = v.fields[Vocabulary.fieldName(ofPath: p.path)], !f.values.isEmpty,
              p.expected.hasPrefix(language == .en ? "one of" : "jedna z wartości") else { return nil }
        let listed = p.expected.split(separator: ":", maxSplits: 1).last.map {
            $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        } ?? []
        let codes = listed.filter { f.values[$0] != nil }.count == f.values.count ? listed : f.values.keys.sorted()
        return codes.map { code in v.label(p.path, value: code, language) + " (\(code))" }.joined(separator: ", ")
    }

    /// A profile's kind in words: `osoba`, `podmiot`, `wniosek` (a kind of another ruleset as it is).
    public static func kindWord(_ kind: String, _ lang: Language) -> String {
        switch kind {
        case "person": return lang == .en ? "person" : "osoba"
        case "enterprise": return lang == .en ? "enterprise" : "podmiot"
        case "application": return lang == .en ? "application" : "wniosek"
        default: return kind
        }
    }

    /// The outcome in capitals, in the language.
    public static func outcomeWord(_ o: RuleOutcome, _ lang: Language) -> String {
        let w = words(lang)
        switch o {
        case .eligible: return w.eligible
        case .ineligible: return w.ineligible
        case .undetermined: return w.undetermined
        }
    }

    /// The mark of a criterion outcome.
    public static func mark(_ o: CriterionOutcome) -> String {
        switch o {
        case .pass: return "✓"
        case .fail: return "✗"
        case .unknown: return "?"
        case .error: return "!"
        case .notApplicable: return "–"
        }
    }

    /// Money as people write it: "31 229,00 zł" / "PLN 31,229.00".
    /// `wholeWithoutGrosze`: a whole amount without its ",00" ("12 000 zł", "PLN 12,000"), for
    /// the labels of charts.
    public static func money(_ x: Double, _ lang: Language, wholeWithoutGrosze: Bool = false) -> String {
        let grosze = Int((abs(x) * 100).rounded())
        var ip = String(grosze / 100)
        let sep: Character = lang == .en ? "," : " "
        var i = ip.count - 3
        while i > 0 { ip.insert(sep, at: ip.index(ip.startIndex, offsetBy: i)); i -= 3 }
        let frac = String(format: "%02d", grosze % 100)
        let s = (x < 0 ? "-" : "") + ip + (wholeWithoutGrosze && grosze % 100 == 0 ? "" : (lang == .en ? "." : ",") + frac)
        return lang == .en ? "PLN " + s : s + " zł"
    }

    /// Points and other plain numbers: "5", "5,25" ("5.25" in English).
    public static func number(_ x: Double, _ lang: Language) -> String {
        if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
        let s = String(format: "%.2f", x)
        return lang == .en ? s : s.replacingOccurrences(of: ".", with: ",")
    }

    /// Renders an evaluation. `name` is the profile's display name, if it has one.
    /// With a `vocabulary`, missing data is asked for in words: a question per field.
    /// `scoring`: the ids of scoring sheets, shown by their points alone (their outcome is always
    /// "eligible": a sheet only adds up points, and "SPEŁNIA" beside an ineligible application misleads).
    public static func render(_ ev: Evaluation, name: String? = nil, language: Language = .pl, color: Bool = false,
                              vocabulary: Vocabulary? = nil, scoring: Set<String> = []) -> String {
        let st = Style(color: color)
        let w = words(language)
        var out = ""
        var head = name ?? ev.id ?? (language == .en ? "profile" : "profil")
        if name != nil, let id = ev.id { head += " (\(id))" }
        var meta: [String] = []
        if let k = ev.kind { meta.append(kindWord(k, language)) }
        if let d = ev.asOf { meta.append("\(w.asOf) \(d)") }
        meta.append("\(w.rules) \(String(ev.ruleset.dropFirst(7).prefix(12)))")
        if let line = ev.line { meta.insert("#\(line)", at: 0) }
        out += st.bold(head) + st.dim(" · " + meta.joined(separator: " · ")) + "\n"
        if let err = ev.error {
            out += "  " + st.red(w.invalid) + ": " + err.message + "\n"
            for p in err.problems ?? [] {
                out += "    " + st.red("✗") + " \(p.path): " + (language == .en ? "expected " : "oczekiwano: ") + p.expected +
                    (language == .en ? ", found " : ", jest ") + p.found + "\n"
                // a value outside a list of codes: the codes with their words, so a consultant sees what they mean
                if let words = codeWords(p, vocabulary, language) {
                    out += "      " + st.dim((language == .en ? "the values: " : "wartości: ") + words) + "\n"
                }
            }
            return out
        }
        if let skipped = ev.skipped, !skipped.isEmpty {
            out += "  " + st.red((language == .en ? "⚠ broken rule files left out: " : "⚠ pominięto uszkodzone pliki reguł: ")
                                 + skipped.joined(separator: ", ")) + "\n"
        }
        for w in ev.warnings ?? [] { out += "  " + st.yellow("⚠ " + w) + "\n" }
        for r in ev.results ?? [] {
            if r.failedOnlyOnGates {
                // a rule for another kind of entity: one line, not a list of irrelevant criteria
                let why = r.criteria.filter { $0.outcome == .fail }.map { $0.reason ?? $0.label }.joined(separator: "; ")
                out += "  " + st.dim("– \(r.title): " + (language == .en ? "does not apply" : "nie dotyczy") + " (\(why))") + "\n"
                continue
            }
            let word = outcomeWord(r.outcome, language)
            let colored: String
            switch r.outcome {
            case .eligible: colored = st.green(word)
            case .ineligible: colored = st.red(word)
            case .undetermined: colored = st.yellow(word)
            }
            // the rule's title only: its id (for --rule, `check RULE`) is in `kryteria rules` and the JSON
            var line = "  " + st.bold(r.title) + ": "
            if scoring.contains(r.rule) {
                line += st.bold((language == .en ? "points " : "punkty ") + number(r.score ?? 0, language))
            } else {
                line += colored
                if let a = r.amount { line += " · \(w.amount) " + money(a, language) }
                if let s = r.score { line += " · \(w.score) " + number(s, language) }
            }
            out += line + "\n"
            // the act the rule applies, so the report names its legal basis in full
            out += st.dim("    " + (language == .en ? "legal basis: " : "podstawa prawna: ") + r.legalBasis) + "\n"
            let idWidth = max(6, r.criteria.map(\.id.count).max() ?? 6)
            for c in r.criteria {
                let m: String
                switch c.outcome {
                case .pass: m = st.green(mark(c.outcome))
                case .fail: m = st.red(mark(c.outcome))
                case .unknown: m = st.yellow(mark(c.outcome))
                case .error: m = st.red(mark(c.outcome))
                case .notApplicable: m = st.dim(mark(c.outcome))
                }
                let id = c.id.padding(toLength: idWidth, withPad: " ", startingAt: 0)
                var reason = c.reason ?? c.label
                if c.outcome == .unknown && !c.missing.isEmpty {
                    let words = c.missing.map { vocabulary?.label($0, language) ?? $0 }
                    if !words.allSatisfy({ reason.contains($0) }) { reason += " — \(w.ask): " + words.joined(separator: ", ") }
                }
                if c.outcome == .error { reason = "\(w.error): " + reason }
                var text = "    \(m) \(id) \(reason)"
                if let p = c.points, c.outcome == .pass { text += " (+\(number(p, language)))" }
                text += st.dim("  · \(c.legalBasis)")
                out += (c.outcome == .notApplicable ? st.dim(text) : text) + "\n"
                if var a = c.assumption {
                    for prefix in ["ZAŁOŻENIE: ", "ASSUMPTION: "] where a.hasPrefix(prefix) { a = String(a.dropFirst(prefix.count)) }
                    out += st.dim("        \(w.assumption): \(a)") + "\n"
                }
            }
            if let e = r.error { out += "    " + st.red("! \(w.error): \(e)") + "\n" }
            let missing = r.missing
            if !missing.isEmpty && r.outcome == .undetermined {
                if let vocabulary {
                    out += "    " + st.yellow(language == .en ? "to decide, ask:" : "aby rozstrzygnąć, zapytaj:") + "\n"
                    for m in missing {
                        let place = vocabulary.place(ofPath: m, language)
                        out += "      • " + vocabulary.question(m, language) + (place.isEmpty ? "" : st.dim(" (\(place))")) + "\n"
                    }
                } else {
                    out += "    " + st.yellow("\(w.missing): ") + missing.joined(separator: ", ") + "\n"
                }
            }
        }
        if (ev.results ?? []).isEmpty {
            out += "  " + st.dim(language == .en ? "no rule applies to this profile" : "żadna reguła nie dotyczy tego profilu") + "\n"
        }
        return out
    }
}
