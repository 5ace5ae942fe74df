import Foundation
import Kryteria

/// The decision sheet: one self-contained HTML page per evaluated profile, for the applicant's file.
/// Printable on A4: print CSS, rows never cut across pages, the signature block kept whole.
public enum DecisionSheet {
    /// What the page needs besides the result: who made it, with what, when.
    public struct Context: Sendable {
        public var lang: Language
        /// The Kryteria version, printed so the decision can be reproduced.
        public var kryteriaVersion: String
        /// When the evaluation was made ("2026-12-02 16:40 UTC").
        public var evaluatedAt: String
        /// The rules folder the ruleset was loaded from.
        public var rulesDirectory: String?
        /// The ruleset as data: unverified parameters in force on the as-of date are listed from it.
        public var description: RulesetDescription?
        /// Questions for missing fields by path or field name (from the shared vocabulary); these
        /// take precedence over `MissingQuestions`.
        public var questions: [String: String]
        /// The ruleset's vocabulary: the questions for missing data and the words of places.
        public var vocabulary: Vocabulary?
        /// The file the profile came from (and its line), shown in small print.
        public var source: String?

        public init(lang: Language = .pl, kryteriaVersion: String, evaluatedAt: String = DecisionSheet.now(),
                    rulesDirectory: String? = nil, description: RulesetDescription? = nil,
                    questions: [String: String] = [:], source: String? = nil, vocabulary: Vocabulary? = nil) {
            self.vocabulary = vocabulary
            self.lang = lang
            self.kryteriaVersion = kryteriaVersion
            self.evaluatedAt = evaluatedAt
            self.rulesDirectory = rulesDirectory
            self.description = description
            self.questions = questions
            self.source = source
        }
    }

    /// The current time as "YYYY-MM-DD HH:MM UTC".
    public static func now() -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return f.string(from: Date())
    }

    /// Renders the result JSON of one profile (the contract's result object, as `kryteria check --json` prints it).
    public static func render(resultJSON: [UInt8], name: String? = nil, context: Context) throws -> String {
        let ev = try JSONDecoder().decode(Evaluation.self, from: Data(resultJSON))
        return render(ev, name: name, context: context)
    }

    /// A file name for the sheet of this profile: its id (or name), made safe for any file system.
    public static func fileName(_ ev: Evaluation, name: String?, fallback: String, ext: String = "html") -> String {
        let base = ev.id ?? name ?? fallback
        var safe = ""
        for ch in base.unicodeScalars {
            if CharacterSet.alphanumerics.contains(ch) || ch == "-" || ch == "_" || ch == "." { safe.unicodeScalars.append(ch) } else { safe += "_" }
        }
        if safe.isEmpty || safe.hasPrefix(".") { safe = fallback }
        return safe + "." + ext
    }

    public static func render(_ ev: Evaluation, name: String? = nil, context ctx: Context) -> String {
        let w = DocumentWords(ctx.lang)
        let e = HTML.esc
        var b = ""
        let who = name ?? ev.id ?? w.t("profil bez identyfikatora", "profile without an id")
        let title = w.t("Karta oceny", "Decision sheet") + ": " + who

        // heading
        b += "<header class=\"head\">\n"
        b += "<div class=\"doc\">" + e(w.t("Karta oceny kryteriów", "Eligibility decision sheet")) + "</div>\n"
        b += "<h1>" + e(who) + "</h1>\n<table class=\"meta\">\n"
        func meta(_ k: String, _ v: String, cls: String = "") {
            b += "<tr><th>" + e(k) + "</th><td" + (cls.isEmpty ? "" : " class=\"\(cls)\"") + ">" + v + "</td></tr>\n"
        }
        if name != nil, let id = ev.id { meta(w.t("Identyfikator", "Identifier"), e(id)) }
        meta(w.t("Rodzaj", "Kind"), e(w.kind(ev.kind)))
        meta(w.t("Stan na dzień", "As of"), "<b>" + e(ev.asOf ?? "—") + "</b> <span class=\"muted\">(" + e(w.asOfSource(ev.asOfSource)) + ")</span>")
        meta(w.t("Data oceny", "Evaluated on"), e(ctx.evaluatedAt))
        meta(w.t("Wersja reguł", "Ruleset version"), "<code>" + e(ev.ruleset) + "</code>"
             + (ctx.rulesDirectory.map { " <span class=\"muted\">(" + e($0) + ")</span>" } ?? ""))
        meta(w.t("Program", "Software"), "Kryteria " + e(ctx.kryteriaVersion))
        if let s = ctx.source { meta(w.t("Plik", "File"), e(s)) }
        b += "</table>\n</header>\n"

        if let err = ev.error {
            b += "<section class=\"rule\"><h2><span class=\"badge bad\">" + e(w.t("PROFIL NIEPOPRAWNY", "INVALID PROFILE"))
                + "</span></h2>\n<p>" + e(err.message) + "</p>\n"
            if let ps = err.problems, !ps.isEmpty {
                b += "<table><thead><tr><th>" + e(w.t("Pole", "Field")) + "</th><th>" + e(w.t("Oczekiwano", "Expected"))
                    + "</th><th>" + e(w.t("Jest", "Found")) + "</th></tr></thead><tbody>\n"
                for p in ps {
                    var expected = e(p.expected)
                    if let words = ReportRenderer.codeWords(p, ctx.vocabulary, ctx.lang) {
                        expected += "<div class=\"muted\">" + e(w.t("wartości: ", "the values: ") + words) + "</div>"
                    }
                    b += "<tr><td><code>" + e(p.path) + "</code></td><td>" + expected + "</td><td>" + e(p.found) + "</td></tr>\n"
                }
                b += "</tbody></table>\n"
            }
            b += "<p class=\"muted\">" + e(w.t("Profilu nie oceniono: popraw dane i oceń go ponownie.",
                                                "The profile was not evaluated: correct the data and evaluate it again.")) + "</p></section>\n"
            b += signature(w)
            return HTML.page(title: title, lang: ctx.lang.rawValue, css: css, body: b)
        }

        if let skipped = ev.skipped, !skipped.isEmpty {
            b += "<p class=\"warn\">⚠ " + e(w.t("Pominięto uszkodzone pliki reguł: ", "Broken rule files left out: ") + skipped.joined(separator: ", ")) + "</p>\n"
        }
        for warning in ev.warnings ?? [] { b += "<p class=\"warn\">⚠ " + e(warning) + "</p>\n" }

        let results = ev.results ?? []
        let scoring = Set(ctx.description?.rules.filter { $0.scoring == true }.map(\.id) ?? [])
        let shown = results.filter { !$0.failedOnlyOnGates }
        let closed = results.filter { $0.failedOnlyOnGates }

        // summary of outcomes first: what the director reads
        if !shown.isEmpty {
            b += "<h2>" + e(w.t("Rozstrzygnięcie", "Decision")) + "</h2>\n<table class=\"summary\"><tbody>\n"
            for r in shown {
                var extra: [String] = []
                if let a = r.amount { extra.append(w.t("kwota ", "amount ") + w.money(a)) }
                if let s = r.score ?? (scoring.contains(r.rule) ? 0 : nil) { extra.append(w.t("punkty ", "points ") + w.number(s)) }
                // a scoring sheet only adds up points: no outcome badge beside them
                let verdict = scoring.contains(r.rule) ? e(w.t("karta punktowa", "scoring sheet")) : badge(r.outcome, w)
                b += "<tr><td>" + e(r.title) + "</td><td class=\"num\">" + verdict + "</td><td class=\"num\">"
                    + e(extra.joined(separator: " · ")) + "</td></tr>\n"
            }
            b += "</tbody></table>\n"
        }
        if !closed.isEmpty {
            b += "<p class=\"closed\"><b>" + e(w.t("Nie dotyczy", "Does not apply")) + ":</b> "
            b += closed.map { r -> String in
                let why = r.criteria.filter { $0.outcome == .fail }.map { $0.reason ?? $0.label }.joined(separator: "; ")
                return e(r.title) + " <span class=\"muted\">[" + e(r.rule) + "] (" + e(why) + ")</span>"
            }.joined(separator: "; ")
            b += "</p>\n"
        }
        if results.isEmpty {
            b += "<p>" + e(w.t("Żadna reguła nie dotyczy tego profilu.", "No rule applies to this profile.")) + "</p>\n"
        }

        // per rule
        for r in shown {
            b += "<section class=\"rule\">\n<div class=\"rulehead\"><h2>" + e(r.title) + " <span class=\"muted rid\">[" + e(r.rule) + "]</span></h2>\n"
            if scoring.contains(r.rule) {
                b += "<p class=\"verdict\">" + e(w.t("Punkty", "Points")) + ": <b>" + e(w.number(r.score ?? 0)) + "</b>"
            } else {
                b += "<p class=\"verdict\">" + e(w.t("Wynik", "Outcome")) + ": " + badge(r.outcome, w)
                if let a = r.amount { b += " &nbsp; " + e(w.t("Kwota", "Amount")) + ": <b>" + e(w.money(a)) + "</b>" }
                if let s = r.score { b += " &nbsp; " + e(w.t("Punkty", "Points")) + ": <b>" + e(w.number(s)) + "</b>" }
            }
            b += "</p>\n"
            b += "<p class=\"act\">" + e(w.t("Podstawa prawna", "Legal basis")) + ": " + e(r.legalBasis)
                + (DocumentWords.unverified(r.legalBasis) ? " <span class=\"unk\">⚠ " + e(w.t("niezweryfikowane", "unverified")) + "</span>" : "")
                + "</p></div>\n"
            b += "<table class=\"criteria\"><thead><tr><th class=\"mark\"></th><th>" + e(w.t("Kryterium", "Criterion"))
                + "</th><th>" + e(w.t("Uzasadnienie (użyte wartości)", "Reason (values used)")) + "</th><th>"
                + e(w.t("Przepis", "Article")) + "</th></tr></thead>\n<tbody>\n"
            for c in r.criteria {
                let cls = markClass(c.outcome)
                b += "<tr class=\"c-\(c.outcome.rawValue)\"><td class=\"mark \(cls)\" title=\"" + e(w.criterion(c.outcome)) + "\">"
                    + e(ReportRenderer.mark(c.outcome)) + "</td>"
                b += "<td><b>" + e(c.id) + "</b><br><span class=\"label\">" + e(c.label) + "</span></td>"
                var reason = e(c.reason ?? c.label)
                if c.outcome == .error { reason = "<span class=\"bad\">" + e(w.t("błąd", "error")) + ":</span> " + reason }
                if let p = c.points, c.outcome == .pass { reason += " <span class=\"muted\">(+" + e(w.number(p)) + ")</span>" }
                if let a = c.assumption {
                    reason += "<div class=\"assume\">" + e(w.t("Założenie", "Assumption")) + ": " + e(DocumentWords.assumptionText(a)) + "</div>"
                }
                if c.outcome == .unknown && !c.missing.isEmpty && !c.missing.allSatisfy({ (c.reason ?? "").contains($0) }) {
                    // in words, where it is (the questions below ask for each): not the contract's paths
                    let words = c.missing.map { path -> String in
                        guard let v = ctx.vocabulary else { return "<code>" + e(path) + "</code>" }
                        let place = v.place(ofPath: path, ctx.lang)
                        return e(v.label(path, ctx.lang) + (place.isEmpty ? "" : " (" + place + ")"))
                    }
                    reason += "<div class=\"ask\">" + e(w.t("Brakuje", "Missing")) + ": " + words.joined(separator: ", ") + "</div>"
                }
                b += "<td>" + reason + "</td>"
                b += "<td class=\"basis\">" + e(c.legalBasis)
                    + (DocumentWords.unverified(c.legalBasis) ? "<div class=\"unk\">⚠ " + e(w.t("niezweryfikowane", "unverified")) + "</div>" : "")
                    + "</td></tr>\n"
            }
            b += "</tbody></table>\n"
            if let err = r.error { b += "<p class=\"bad\">! " + e(w.t("Błąd reguły", "Rule error")) + ": " + e(err) + "</p>\n" }
            b += "</section>\n"
        }

        // what is missing, as questions
        var asked: [(path: String, rules: [String])] = []
        for r in shown where r.outcome == .undetermined || r.criteria.contains(where: { $0.outcome == .unknown }) {
            for c in r.criteria where c.outcome == .unknown {
                for m in c.missing {
                    if let i = asked.firstIndex(where: { $0.path == m }) {
                        if !asked[i].rules.contains(c.id) { asked[i].rules.append(c.id) }
                    } else {
                        asked.append((m, [c.id]))
                    }
                }
            }
        }
        if !asked.isEmpty {
            b += "<section class=\"questions\"><h2>" + e(w.t("Do wyjaśnienia z wnioskodawcą", "To ask the applicant")) + "</h2>\n<ol>\n"
            for a in asked {
                b += "<li>" + e(MissingQuestions.question(for: a.path, lang: ctx.lang, vocabulary: ctx.vocabulary, extra: ctx.questions))
                    + " <span class=\"muted\">(<code>" + e(a.path) + "</code>; " + e(w.t("dla", "for")) + " " + e(a.rules.joined(separator: ", ")) + ")</span></li>\n"
            }
            b += "</ol>\n<p class=\"muted\">" + e(w.t("Po uzupełnieniu danych ocenę należy powtórzyć.", "Evaluate again once the data is complete.")) + "</p></section>\n"
        }

        // assumptions and unverified parameters in force on the as-of date
        if let d = ctx.description, let date = ev.asOf {
            // the parameters the evaluated rules name (and the rules they call), marked unverified on
            // their value in force ("M") or by their basis; a regional programme's value too
            let used = DecisionSheet.parametersUsed(by: ev, description: d, rulesDirectory: ctx.rulesDirectory)
            var unverified: [(RulesetDescription.Parameter, RulesetDescription.Parameter.Value, String?)] = []
            for p in d.parameters where used?.contains(p.name) ?? true {
                if let v = ParameterTable.inForce(p, on: date), p.unverified(v) { unverified.append((p, v, nil)) }
                for prog in p.programmes ?? [] {
                    var q = p
                    q.values = prog.values
                    if let v = ParameterTable.inForce(q, on: date), p.unverified(v) { unverified.append((p, v, prog.programme)) }
                }
            }
            if !unverified.isEmpty {
                b += "<section class=\"params\"><h2>" + e(w.t("Parametry niezweryfikowane obowiązujące w dniu ", "Unverified parameters in force on ") + date) + "</h2>\n"
                b += "<table><thead><tr><th>" + e(w.t("Parametr", "Parameter")) + "</th><th class=\"num\">" + e(w.t("Wartość", "Value"))
                    + "</th><th>" + e(w.t("Od", "From")) + "</th><th>" + e(w.t("Podstawa", "Basis")) + "</th></tr></thead><tbody>\n"
                for (p, v, programme) in unverified {
                    b += "<tr><td>" + e(p.words(ctx.lang == .en)) + (programme.map { " (" + e($0) + ")" } ?? "")
                        + " <span class=\"muted\"><code>" + e(p.name) + "</code></span></td><td class=\"num\">"
                        + e(ParameterTable.show(v.value, unit: p.unit, lang: ctx.lang))
                        + "</td><td>" + e(v.from) + "</td><td>" + e(p.basis(of: v)) + (v.note.map { "<br><span class=\"muted\">" + e($0) + "</span>" } ?? "")
                        + "</td></tr>\n"
                }
                b += "</tbody></table>\n<p class=\"muted\">" + e(w.t("Ocena opiera się na tych wartościach; przed decyzją sprawdź je w aktualnym stanie prawnym.",
                                                                      "The evaluation rests on these values; check them against the law in force before deciding.")) + "</p></section>\n"
            }
        }

        b += signature(w)
        b += "<footer class=\"muted\">" + e(w.t("Wygenerowano programem Kryteria ", "Generated by Kryteria ")) + e(ctx.kryteriaVersion) + " · "
            + e(ev.ruleset) + " · " + e(ctx.evaluatedAt) + "</footer>\n"
        return HTML.page(title: title, lang: ctx.lang.rawValue, css: css, body: b)
    }

    /// The names of the parameters the evaluated rules' files mention, with the files of the rules
    /// those call (check_rule("ps-status", …)) and the shared criteria; nil when the files cannot be read.
    static func parametersUsed(by ev: Evaluation, description d: RulesetDescription, rulesDirectory: String?) -> Set<String>? {
        guard let dir = rulesDirectory else { return nil }
        func text(_ file: String?) -> String? {
            guard let file else { return nil }
            // a rule's file as the engine names it (the folder as given + the file), else inside the folder
            return (try? String(contentsOfFile: file, encoding: .utf8))
                ?? (try? String(contentsOfFile: (dir as NSString).appendingPathComponent(file), encoding: .utf8))
        }
        var texts: [String] = []
        var seen = Set<String>()
        var queue = (ev.results ?? []).map(\.rule)
        // the shared criteria files, with the names they declare (a rule uses one by name)
        let sharedDir = (dir as NSString).appendingPathComponent("shared")
        var shared: [(names: [String], text: String)] = ((try? FileManager.default.contentsOfDirectory(atPath: sharedDir)) ?? [])
            .filter { $0.hasSuffix(".lua") }.sorted().compactMap { f in
                guard let t = try? String(contentsOfFile: (sharedDir as NSString).appendingPathComponent(f), encoding: .utf8) else { return nil }
                let names = t.components(separatedBy: "shared_criterion \"").dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) }
                return (names, t)
            }
        func add(_ t: String) {
            texts.append(t)
            for other in d.rules where !seen.contains(other.id) && t.contains("\"" + other.id + "\"") { queue.append(other.id) }
        }
        while true {
            while let id = queue.popLast() {
                guard seen.insert(id).inserted, let r = d.rules.first(where: { $0.id == id }), let t = text(r.file) else { continue }
                add(t)
            }
            let all = texts.joined(separator: "\n")
            guard let k = shared.firstIndex(where: { s in s.names.contains { all.contains("\"" + $0 + "\"") } }) else { break }
            add(shared.remove(at: k).text)
        }
        guard !texts.isEmpty else { return nil }
        let all = texts.joined(separator: "\n")
        // a parameter named in a text, and those a criterion's label names ({ps.min_employees|…})
        var names = Set<String>()
        for p in d.parameters {
            let n: String = p.name
            let quoted: String = "\"" + n + "\""
            let inLabel: String = "{" + n
            if all.contains(quoted) || all.contains(inLabel + "|") || all.contains(inLabel + "}") { names.insert(n) }
        }
        return names
    }

    static func badge(_ o: RuleOutcome, _ w: DocumentWords) -> String {
        let cls: String
        switch o {
        case .eligible: cls = "ok"
        case .ineligible: cls = "bad"
        case .undetermined: cls = "unk"
        }
        return "<span class=\"badge \(cls)\">" + HTML.esc(w.outcome(o)) + "</span>"
    }

    static func markClass(_ o: CriterionOutcome) -> String {
        switch o {
        case .pass: return "ok"
        case .fail, .error: return "bad"
        case .unknown: return "unk"
        case .notApplicable: return "na"
        }
    }

    static func signature(_ w: DocumentWords) -> String {
        let e = HTML.esc
        return """
        <section class="sign">
        <h2>\(e(w.t("Weryfikacja konsultanta", "Consultant's review")))</h2>
        <table class="signtable"><tbody>
        <tr><th>\(e(w.t("Imię i nazwisko konsultanta", "Consultant's name")))</th><td class="line"></td></tr>
        <tr><th>\(e(w.t("Uwagi", "Note")))</th><td class="note"></td></tr>
        <tr><th>\(e(w.t("Data i podpis", "Date and signature")))</th><td class="line tall"></td></tr>
        </tbody></table>
        </section>

        """
    }

    static let css = """
    .head .doc { text-transform: uppercase; letter-spacing: 0.08em; font-size: 8.5pt; color: var(--muted); }
    .meta { width: auto; margin-bottom: 2mm; }
    .meta th { width: 40mm; border: none; padding: 0.5mm 3mm 0.5mm 0; }
    .meta td { border: none; padding: 0.5mm 0; }
    code { font-family: "DejaVu Sans Mono", monospace; font-size: 8.5pt; word-break: break-all; }
    .summary td { font-size: 11pt; }
    .closed { font-size: 9.5pt; color: var(--muted); border-left: 3px solid var(--line); padding-left: 3mm; }
    .rulehead { break-inside: avoid; page-break-inside: avoid; break-after: avoid; page-break-after: avoid; }
    h2 { break-after: avoid; page-break-after: avoid; }
    .params td:nth-child(1) { width: 52mm; }
    .rule h2 .rid { font-weight: normal; font-size: 9pt; }
    .verdict { margin: 1mm 0; }
    .act { margin: 1mm 0 2mm; font-size: 9.5pt; }
    .criteria td.mark { width: 7mm; font-weight: 700; font-size: 12pt; text-align: center; }
    .criteria th.mark { width: 7mm; }
    .criteria td:nth-child(2) { width: 52mm; }
    .criteria td.basis { width: 38mm; font-size: 9pt; }
    .criteria .label { font-size: 8.5pt; color: var(--muted); }
    .criteria tr.c-not_applicable td { color: var(--na); }
    .assume { font-size: 8.5pt; font-style: italic; color: var(--unk); margin-top: 0.8mm; }
    .ask { font-size: 8.5pt; color: var(--unk); margin-top: 0.8mm; }
    .warn { color: var(--unk); }
    .questions li { margin: 1mm 0; break-inside: avoid; }
    .sign { break-inside: avoid; page-break-inside: avoid; margin-top: 8mm; }
    .signtable { border-collapse: separate; border-spacing: 0 3mm; }
    .params td:nth-child(1) code { word-break: normal; }
    .params td:nth-child(3) { white-space: nowrap; }
    .params td.num { white-space: normal; max-width: 45mm; }
    .signtable th { width: 55mm; border: none; padding-top: 4mm; }
    .signtable td.line { border-bottom: 1px solid var(--ink); height: 10mm; }
    .signtable td.tall { height: 16mm; }
    .signtable td.note { border: 1px solid var(--ink); height: 32mm; }
    footer { margin-top: 6mm; font-size: 8pt; }
    """
}
