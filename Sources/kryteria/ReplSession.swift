import Foundation
import Kryteria
import KryteriaBatch
import KryteriaDocuments

/// The state of one REPL session and its commands. Output goes to stdout, problems to
/// stderr; `failed` remembers whether any command failed (the exit status of a script).
final class ReplSession {
    let engine: Engine
    var profile: [String: Any]?
    var profileFile: String?
    var lang: Language
    var asOf: String?
    let ruleFilter: [String]?
    let color: Bool
    private(set) var failed = false
    private var descCache: RulesetDescription?
    private(set) var schema: ReplSchemaIndex

    init(engine: Engine, lang: Language, asOf: String?, rules: [String], color: Bool) {
        self.engine = engine
        self.lang = lang
        self.asOf = asOf
        self.ruleFilter = rules.isEmpty ? nil : rules
        self.color = color
        schema = ReplSchemaIndex(rulesDirectory: engine.rulesDirectory)
    }

    // MARK: output

    private var st: Style { Style(color: color) }
    private func t(_ pl: String, _ en: String) -> String { lang == .en ? en : pl }
    private func out(_ s: String) { Terminal.stdout(s.hasSuffix("\n") ? s : s + "\n") }
    private func fail(_ s: String) {
        failed = true
        Terminal.stderr(s.hasSuffix("\n") ? s : s + "\n")
    }

    var prompt: String {
        if let id = profile?["id"] as? String, !id.isEmpty { return "kryteria:\(id)> " }
        if let kind = profile?["kind"] as? String { return "kryteria:\(kind)> " }
        return "kryteria> "
    }

    var description: RulesetDescription? {
        if descCache == nil { descCache = try? engine.describe() }
        return descCache
    }

    var banner: String {
        let n = description?.rules.count ?? 0
        return st.bold("Kryteria REPL") + st.dim(" · \(t("reguły", "rules")): \(n) · ruleset \(String(engine.rulesetHash.dropFirst(7).prefix(12)))") + "\n" +
            st.dim(t("help: pomoc · quit lub Ctrl-D: koniec · wszystko inne to wyrażenie Lua z profilem jako p",
                     "help: help · quit or Ctrl-D: leave · anything else is a Lua expression with the profile as p")) + "\n"
    }

    // MARK: dispatch

    /// Runs one line; false when the session should end.
    func handle(_ raw: String) -> Bool {
        let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if line.isEmpty || line.hasPrefix("#") { return true }
        let head = String(line.prefix { !$0.isWhitespace })
        let rest = String(line.dropFirst(head.count)).trimmingCharacters(in: .whitespaces)
        let args = replWords(rest)
        switch head {
        case "quit", "exit": return false
        case "help", "?": help(args.first)
        case "load": load(args)
        case "new": new(args)
        case "set": set(rest)
        case "unset": unset(args)
        case "show": show(args)
        case "check": check(args)
        case "why": why(args)
        case "missing": missing()
        case "whatif": whatif(args)
        case "asof": asof(args)
        case "lang": setLang(args)
        case "rules": rules()
        case "reload": reload()
        case "test": test()
        case "save": save(args, overwrite: false)
        case "save!": save(args, overwrite: true)
        case "report": report(args)
        default: lua(line, head: head)
        }
        return true
    }

    // MARK: commands

    private func help(_ name: String?) {
        guard let name else { out(ReplHelp.overview(lang)); return }
        if let d = ReplHelp.detail(name, lang) { out(d) } else {
            fail(t("nie ma polecenia '\(name)'", "no command '\(name)'") + suggestion(name, among: ReplHelp.names))
        }
    }

    private func requireProfile() -> [String: Any]? {
        if let profile { return profile }
        fail(t("brak profilu: użyj `load PLIK` albo `new person|enterprise|application`",
               "no profile: use `load FILE` or `new person|enterprise|application`"))
        return nil
    }

    func load(_ args: [String]) {
        guard let file = args.first else { fail("load FILE [N]"); return }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
            fail("\(file): " + SystemText.error(error, lang))
            return
        }
        // one profile, a JSON array of them, or JSON Lines: read as `check` reads them; N is the
        // record's number as `batch` gives it in "line" (the line of JSON Lines, the element of an array)
        let records: [ProfileRecord]
        do { records = try ProfileRecord.read(file, language: lang).0 } catch {
            fail("\(file): " + SystemText.error(error, lang))
            return
        }
        let bytes = data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data[...]
        let isArray = bytes.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 } == UInt8(ascii: "[")
        var record = records.first
        if records.count > 1 || args.count > 1 {
            let numbers = records.indices.map { isArray ? $0 + 1 : (records[$0].line ?? $0 + 1) }
            if args.count < 2, let first = numbers.first {
                out(st.dim(t("plik ma \(Plural.pl(records.count, "profil", "profile", "profili")); wczytano nr \(first) "
                             + "(load \(file) N wybiera inny; N jak \"line\" w wynikach batch)",
                             "the file has \(Plural.en(records.count, "profile")); loaded #\(first) "
                             + "(load \(file) N picks another; N as \"line\" in batch results)")))
            }
            guard args.count > 1 else { record = records.first; return finishLoad(file, record) }
            guard let n = Int(args[1]), let k = numbers.firstIndex(of: n) else {
                fail("\(file): " + t("nie ma profilu nr \(args[1]); numery: ", "no profile number \(args[1]); numbers: ")
                     + (numbers.count > 12 ? "\(numbers.first!)…\(numbers.last!)" : numbers.map(String.init).joined(separator: ", ")))
                return
            }
            record = records[k]
        }
        finishLoad(file, record)
    }

    private func finishLoad(_ file: String, _ record: ProfileRecord?) {
        guard let record else { fail("\(file): " + t("plik nie zawiera profilu", "the file holds no profile")); return }
        let chosen: [String: Any]
        do {
            guard let d = try JSONSerialization.jsonObject(with: Data(record.json)) as? [String: Any] else {
                fail("\(file): " + t("to nie jest obiekt JSON profilu", "not a JSON profile object"))
                return
            }
            chosen = d
        } catch {
            // the engine's reader says where and why, in the session's language
            if let m = engine.syntaxError(of: record.json, language: lang), let p = JSONSyntaxPlace(m) {
                let line = (record.line ?? 1) + p.line - 1
                fail("\(file):\(line):\(p.line == 1 ? record.column + p.column - 1 : p.column): " + t("błędny JSON: ", "malformed JSON: ") + p.text)
                return
            }
            fail("\(file): " + t("nie można wczytać JSON: ", "cannot read JSON: ") + SystemText.error(error, lang))
            return
        }
        profile = chosen
        profileFile = file
        out(t("wczytano", "loaded") + " \(file): " + summary(chosen))
        reportProblems(problems(chosen), heading: t("uwaga, profil niezgodny ze schematem:", "note: the profile does not match the schema:"))
    }

    private func summary(_ p: [String: Any]) -> String {
        var parts: [String] = []
        parts.append((p["kind"] as? String).map { ReportRenderer.kindWord($0, lang) } ?? "?")
        if let id = p["id"] as? String { parts.append(id) }
        if let name = p["name"] as? String { parts.append(name) }
        parts.append(t("pól: \(p.count)", "fields: \(p.count)"))
        return parts.joined(separator: " · ")
    }

    private func new(_ args: [String]) {
        let kinds = description?.kinds.isEmpty == false ? description!.kinds : ["application", "enterprise", "person"]
        guard let kind = args.first, kinds.contains(kind) else {
            fail("new " + kinds.joined(separator: "|"))
            return
        }
        profile = ["kind": kind]
        profileFile = nil
        out(t("nowy profil: ", "new profile: ") + ReportRenderer.kindWord(kind, lang))
        reportProblems(problems(profile!), heading: t("do uzupełnienia:", "to fill in:"))
    }

    private func set(_ rest: String) {
        guard var p = requireProfile() else { return }
        let pathText = String(rest.prefix { !$0.isWhitespace })
        let valueText = String(rest.dropFirst(pathText.count)).trimmingCharacters(in: .whitespaces)
        guard !pathText.isEmpty, !valueText.isEmpty else { fail("set PATH VALUE"); return }
        guard let path = ReplPath(pathText) else {
            fail(t("niepoprawna ścieżka: \(pathText) (np. employees[0].fte)", "not a path: \(pathText) (e.g. employees[0].fte)"))
            return
        }
        guard knownField(path, in: p) else { return }
        let value = typed(valueText, at: path, in: p)
        guard apply(&p, path, value) else { return }
        guard let accepted = checked(p, changed: [path]) else {
            // a word that is no value of an enumerated field: the values it can take, by name and code
            let codes = values(pathText)
            if value is String, !codes.isEmpty {
                let v = engine.vocabulary
                fail(t("możliwe wartości (nazwa albo kod): ", "possible values (name or code): ")
                     + codes.map { "\(v.label(pathText, value: $0, lang)) (\($0))" }.joined(separator: ", "))
            }
            return
        }
        profile = accepted
        out("\(path) = " + JSONEdit.text(JSONEdit.get(accepted, path) ?? NSNull(), pretty: false))
    }

    /// A path the schema of the profile's kind names (a misspelt field would be kept beside the
    /// real one, which the rules go on reading): else refused with the nearest field's name.
    private func knownField(_ path: ReplPath, in p: [String: Any]) -> Bool {
        guard let kind = p["kind"] as? String, schema.kindFile[kind] != nil else { return true }
        let known = schema.schemaPaths(kind: kind, profile: p)
        let text = "\(path)"
        if known.contains(text) { return true }
        // an index past the next one is the array's problem, said when it is set
        let shape = text.replacingOccurrences(of: #"\[\d+\]"#, with: "[0]", options: .regularExpression)
        if known.contains(where: { $0.replacingOccurrences(of: #"\[\d+\]"#, with: "[0]", options: .regularExpression) == shape }) { return true }
        fail(t("nieznane pole \(text)", "unknown field \(text)") + suggestion(text, among: known)
             + t(" (pola zna schemat profilu; lista: help set albo Tab)", " (the profile's schema names the fields; see help set or Tab)"))
        return false
    }

    /// A value as a consultant types it, for the field at `path`: a word of the vocabulary
    /// ("bezrobotna", "fundacja") as its code, tak/nie for a yes/no field, one word for a list field
    /// as a list of one, an amount with a decimal comma (2 500,50 zł), a date as 3.12.1988.
    private func typed(_ valueText: String, at path: ReplPath, in p: [String: Any]) -> Any {
        let pathText = "\(path)"
        var value = JSONEdit.parseValue(valueText)
        guard let text = value as? String else { return value }
        let node = schema.node(kind: p["kind"] as? String, profile: p, path: pathText)
        let types = node.map(ReplSchemaIndex.types) ?? []
        let lower = text.lowercased()
        if types.contains("boolean") {
            if ["tak", "t", "prawda"].contains(lower) { return true }
            if ["nie", "n", "fałsz"].contains(lower) { return false }
        }
        if types.contains("number") || types.contains("integer") {
            var n = lower.replacingOccurrences(of: "zł", with: "").replacingOccurrences(of: "pln", with: "")
            n = n.filter { !$0.isWhitespace && $0 != "\u{00A0}" }.replacingOccurrences(of: ",", with: ".")
            if let d = Double(n), n.range(of: #"^-?\d+(\.\d+)?$"#, options: .regularExpression) != nil {
                return d == d.rounded() && abs(d) < 1e15 && !n.contains(".") ? Int(d) : d
            }
        }
        if node?["format"] as? String == "date", text.range(of: #"^\d{1,2}[.\-/]\d{1,2}[.\-/]\d{4}$"#, options: .regularExpression) != nil {
            let parts = text.split(whereSeparator: { $0 == "." || $0 == "-" || $0 == "/" }).compactMap { Int($0) }
            if parts.count == 3 {
                let iso = String(format: "%04d-%02d-%02d", parts[2], parts[1], parts[0])
                if EvaluationOptions.isDate(iso) { return iso }
            }
        }
        if let code = engine.vocabulary.code(pathText, for: text) { value = code }
        if types.contains("array") { return [value] }
        return value
    }

    /// Sets a value, reporting a path that cannot hold it.
    private func apply(_ p: inout [String: Any], _ path: ReplPath, _ value: Any) -> Bool {
        do {
            try JSONEdit.set(&p, path, value)
            return true
        } catch JSONEdit.Failure.indexOutOfRange(let at, let count) {
            fail(t("\(at): tablica ma \(Plural.pl(count, "element", "elementy", "elementów")); następny indeks to [\(count)]",
                   "\(at): the array has \(Plural.en(count, "element")); the next index is [\(count)]"))
        } catch {
            fail(t("\(error): to nie jest obiekt ani tablica", "\(error): not an object or array"))
        }
        return false
    }

    /// Validates a changed profile against the old one. Returns it when the change brought
    /// no problem other than fields still to fill in; else reports and returns nil.
    private func checked(_ changed: [String: Any], changed paths: [ReplPath]) -> [String: Any]? {
        let before = profile.map(problems) ?? []
        let after = problems(changed)
        let introduced = after.filter { !before.contains($0) }
        let blocking = introduced.filter { !ReplSession.isAbsentField($0, in: changed) }
        if !blocking.isEmpty {
            reportProblems(blocking, heading: t("zmiana odrzucona, profil byłby niezgodny ze schematem:",
                                                "change refused, the profile would not match the schema:"), asError: true)
            return nil
        }
        let here = after.filter { p in introduced.contains(p) || paths.contains { $0.covers(p.path) } }
        reportProblems(here, heading: t("do uzupełnienia:", "still to fill in:"), profile: changed)
        return changed
    }

    /// A problem about a field the profile does not have (a required field still to fill
    /// in) rather than about a value it has.
    static func isAbsentField(_ p: Problem, in profile: [String: Any]) -> Bool {
        guard let path = ReplPath(p.path) else { return false }
        return JSONEdit.get(profile, path) == nil
    }

    private func unset(_ args: [String]) {
        guard var p = requireProfile() else { return }
        guard let text = args.first, let path = ReplPath(text) else { fail("unset PATH"); return }
        do { try JSONEdit.remove(&p, path) } catch {
            fail(t("nie ma pola \(path)", "no field \(path)"))
            return
        }
        let before = problems(profile!)
        profile = p
        out(t("usunięto \(path) (teraz nieznane)", "removed \(path) (now unknown)"))
        reportProblems(problems(p).filter { !before.contains($0) }, heading: t("uwaga:", "note:"))
    }

    private func show(_ args: [String]) {
        guard let p = requireProfile() else { return }
        if let text = args.first {
            guard let path = ReplPath(text) else { fail("show [PATH]"); return }
            guard let v = JSONEdit.get(p, path) else { out(t("\(path): brak (nieznane)", "\(path): absent (unknown)")); return }
            out(JSONEdit.text(v))
            return
        }
        out(JSONEdit.text(p))
    }

    private func check(_ args: [String]) {
        guard let p = requireProfile() else { return }
        var rules = ruleFilter
        if let r = args.first {
            guard knownRule(r) else { return }
            rules = [r]
        }
        guard let ev = evaluation(p, rules: rules) else { return }
        if ev.error != nil { failed = true }
        out(ReportRenderer.render(ev, name: p["name"] as? String, language: lang, color: color, vocabulary: engine.vocabulary,
                                      scoring: Set(description?.rules.filter { $0.scoring == true }.map(\.id) ?? [])) + "\n")
    }

    private func knownRule(_ r: String) -> Bool {
        let ids = description?.rules.map(\.id) ?? []
        if ids.contains(r) { return true }
        fail(t("nie ma reguły '\(r)'", "no rule '\(r)'") + suggestion(r, among: ids))
        return false
    }

    /// Evaluates; reports engine failures (nil). An invalid profile comes back with `error`.
    private func evaluation(_ p: [String: Any], rules: [String]?) -> Evaluation? {
        let opts = EvaluationOptions(asOf: asOf, rules: rules, language: lang)
        do {
            let bytes = try engine.evaluateJSON(JSONEdit.bytes(p), options: opts)
            return try JSONDecoder().decode(Evaluation.self, from: Data(bytes))
        } catch {
            fail("\(error)")
            return nil
        }
    }

    /// An evaluation with results; an invalid profile is reported (nil).
    private func results(_ p: [String: Any]) -> Evaluation? {
        guard let ev = evaluation(p, rules: ruleFilter) else { return nil }
        if ev.error != nil {
            failed = true
            out(ReportRenderer.render(ev, name: p["name"] as? String, language: lang, color: color, vocabulary: engine.vocabulary,
                                      scoring: Set(description?.rules.filter { $0.scoring == true }.map(\.id) ?? [])))
            return nil
        }
        return ev
    }

    private func why(_ args: [String]) {
        guard let q = args.first else { fail("why CRITERION"); return }
        guard let p = requireProfile(), let ev = results(p) else { return }
        let lq = q.lowercased()
        var found: [(RuleResult, CriterionResult)] = []
        for r in ev.results ?? [] {
            for c in r.criteria where c.id.lowercased() == lq { found.append((r, c)) }
        }
        if found.isEmpty {
            for r in ev.results ?? [] {
                for c in r.criteria where c.id.lowercased().hasPrefix(lq) { found.append((r, c)) }
            }
        }
        if found.isEmpty {
            let all = description?.rules ?? []
            let owners = all.filter { $0.criteria.contains { $0.id.lowercased().hasPrefix(lq) } }
            if !owners.isEmpty {
                fail(t("kryterium \(q) należy do reguł: \(owners.map(\.id).joined(separator: ", ")), które nie dotyczą tego profilu (\(p["kind"] as? String ?? "?"))",
                       "criterion \(q) belongs to rules \(owners.map(\.id).joined(separator: ", ")), which do not apply to this profile (\(p["kind"] as? String ?? "?"))"))
            } else {
                let ids = Array(Set(all.flatMap { $0.criteria.map(\.id) })).sorted()
                fail(t("nie ma kryterium '\(q)'", "no criterion '\(q)'") + suggestion(q, among: ids))
            }
            return
        }
        var text = ""
        for (r, c) in found {
            text += st.bold(r.title) + st.dim(" [\(r.rule)]") + ": " + outcome(r.outcome) + "\n"
            text += "  " + mark(c.outcome) + " " + st.bold(c.id) + " " + c.label + " — " + criterionWord(c.outcome) + "\n"
            if let reason = c.reason { text += "    " + t("uzasadnienie: ", "reason: ") + reason + "\n" }
            text += "    " + t("podstawa prawna: ", "legal basis: ") + c.legalBasis + "\n"
            if !c.missing.isEmpty {
                for m in unique(c.missing) {
                    text += "    " + st.yellow(t("zapytaj: ", "ask: ")) + engine.vocabulary.question(m, lang) + st.dim(" (\(m))") + "\n"
                }
            }
            if var a = c.assumption {
                for prefix in ["ZAŁOŻENIE: ", "ASSUMPTION: "] where a.hasPrefix(prefix) { a = String(a.dropFirst(prefix.count)) }
                text += "    " + st.dim(t("założenie: ", "assumption: ") + a) + "\n"
            }
        }
        out(text)
    }

    private func missing() {
        guard let p = requireProfile(), let ev = results(p) else { return }
        var text = ""
        var all: [String] = []
        for r in ev.results ?? [] where !r.missing.isEmpty {
            text += st.bold(r.title) + st.dim(" [\(r.rule)]") + ": " + outcome(r.outcome) + "\n"
            let vocabulary = engine.vocabulary
            for field in r.missing {
                let by = r.criteria.filter { $0.missing.contains(field) }.map(\.id)
                text += "    " + vocabulary.question(field, lang) + st.dim("  (\(field) ← " + by.joined(separator: ", ") + ")") + "\n"
                if !all.contains(field) { all.append(field) }
            }
        }
        if all.isEmpty {
            out(t("niczego nie brakuje: każda reguła ma komplet danych", "nothing is missing: every rule has the data it needs"))
            return
        }
        text += t("zapytaj o (wszystkie): ", "ask for (all): ") + all.map { engine.vocabulary.label($0, lang) }.joined(separator: "; ") + "\n"
        out(text)
    }

    private func whatif(_ args: [String]) {
        guard let p = requireProfile() else { return }
        guard !args.isEmpty else { fail("whatif PATH=VALUE ..."); return }
        var changed = p
        var paths: [ReplPath] = []
        for a in args {
            guard let eq = a.firstIndex(of: "="), let path = ReplPath(String(a[..<eq])) else {
                fail(t("oczekiwano PATH=VALUE, jest: \(a)", "expected PATH=VALUE, found: \(a)"))
                return
            }
            guard knownField(path, in: changed) else { return }
            guard apply(&changed, path, typed(String(a[a.index(after: eq)...]), at: path, in: changed)) else { return }
            paths.append(path)
        }
        guard checked(changed, changed: paths) != nil else { return }
        let report: WhatIf.Report
        do {
            report = try WhatIf.compare(engine: engine, before: p, after: changed,
                                        options: EvaluationOptions(asOf: asOf, rules: ruleFilter, language: lang))
        } catch WhatIf.Failure.invalid(_, let message, let json) {
            failed = true
            if let ev = try? JSONDecoder().decode(Evaluation.self, from: Data(json)) {
                out(ReportRenderer.render(ev, name: p["name"] as? String, language: lang, color: color))
            } else {
                fail(message)
            }
            return
        } catch {
            fail("\(error)")
            return
        }
        var text = ""
        for r in report.rules {
            guard let before = r.before else {
                text += st.bold(r.title) + st.dim(" [\(r.rule)]") + ": " + t("(nowa) ", "(new) ") + (r.after.map(outcome) ?? "") + "\n"
                continue
            }
            guard let after = r.after else {
                text += st.bold(r.title) + st.dim(" [\(r.rule)]") + ": " + outcome(before) + " → " + t("już nie dotyczy", "no longer applies") + "\n"
                continue
            }
            var line = st.bold(r.title) + st.dim(" [\(r.rule)]") + ": "
            if before != after {
                line += outcome(before) + " → " + outcome(after)
            } else {
                line += outcome(after) + (r.changed ? "" : st.dim(t(" (bez zmian)", " (unchanged)")))
            }
            if r.amountAfter != r.amountBefore, let a = r.amountAfter {
                line += " · " + t("kwota ", "amount ") + (r.amountBefore.map { ReportRenderer.money($0, lang) } ?? "–") + " → " + ReportRenderer.money(a, lang)
            }
            if r.scoreAfter != r.scoreBefore, let a = r.scoreAfter {
                line += " · " + t("punkty ", "points ") + (r.scoreBefore.map { ReportRenderer.number($0, lang) } ?? "–") + " → " + ReportRenderer.number(a, lang)
            }
            text += line + "\n"
            for f in r.flipped {
                text += "    " + f.id + "  " + mark(f.before) + " → " + mark(f.after) + "  " + (f.reason ?? f.label) + "\n"
            }
        }
        let (rulesChanged, flipped) = (report.rulesChanged, report.criteriaFlipped)
        text += t("zmienione reguły: \(rulesChanged), zmienione kryteria: \(flipped) (profil bez zmian)",
                  "rules changed: \(rulesChanged), criteria flipped: \(flipped) (the profile is unchanged)") + "\n"
        out(text)
    }

    private func asof(_ args: [String]) {
        guard let d = args.first else {
            out(asOf.map { t("stan na \($0)", "as of \($0)") } ??
                t("data z profilu (as_of / submitted_on), inaczej dziś", "the profile's date (as_of / submitted_on), else today"))
            return
        }
        if d == "-" || d == "off" || d == "profile" {
            asOf = nil
            out(t("data oceny: z profilu", "evaluation date: the profile's"))
            return
        }
        guard EvaluationOptions.isDate(d) else {   // a day that exists, as --as-of asks
            fail(t("oczekiwano istniejącej daty RRRR-MM-DD, jest: \(d)", "expected a date YYYY-MM-DD that exists, found: \(d)"))
            return
        }
        asOf = d
        out(t("stan na \(d)", "as of \(d)"))
    }

    private func setLang(_ args: [String]) {
        guard let a = args.first, let l = Language(rawValue: a) else { fail("lang pl|en"); return }
        lang = l
        out(t("język: polski", "language: English"))
    }

    private func rules() {
        guard let d = description else { fail(t("nie można opisać reguł", "cannot describe the rules")); return }
        let kind = profile?["kind"] as? String
        let width = d.rules.map(\.id.count).max() ?? 10
        var text = ""
        for r in d.rules {
            let applies = kind == nil || r.appliesTo == kind
            var line = "  " + r.id.padding(toLength: width, withPad: " ", startingAt: 0) + "  " +
                (lang == .en ? r.titleEn : r.title)
            line += st.dim(" (\(ReportRenderer.kindWord(r.appliesTo, lang))\(r.example == true ? t(", przykład", ", example") : ""), \(r.criteria.count) \(t("kryt.", r.criteria.count == 1 ? "criterion" : "criteria")))")
            text += (applies ? line : st.dim(line)) + "\n"
        }
        out(text)
    }

    private func reload() {
        let diags = engine.reload()
        if !diags.isEmpty {
            fail(DiagnosticRenderer.render(diags, color: color && Terminal.stderrIsTTY))
            fail(t("reguły nie zostały zmienione: działa poprzednia wersja (\(String(engine.rulesetHash.dropFirst(7).prefix(12))))",
                   "the rules were not changed: the previous version stays in use (\(String(engine.rulesetHash.dropFirst(7).prefix(12))))"))
            return
        }
        descCache = nil
        schema = ReplSchemaIndex(rulesDirectory: engine.rulesDirectory)
        out(t("wczytano reguły ponownie", "rules reloaded") + ": \(description?.rules.count ?? 0) · ruleset " +
            String(engine.rulesetHash.dropFirst(7).prefix(12)))
    }

    private func test() {
        let report = RuleTestRunner.run(engine: engine, language: lang)
        out(TestReportPrinter.render(report, coverage: false, color: color, language: lang))
        if report.failed > 0 { failed = true }
    }

    private func save(_ args: [String], overwrite: Bool) {
        guard let p = requireProfile() else { return }
        guard let file = args.first ?? profileFile else { fail("save FILE"); return }
        if !overwrite && FileManager.default.fileExists(atPath: file) {
            fail(t("plik \(file) już istnieje: aby go nadpisać, wpisz save! \(file)",
                   "\(file) exists already: to overwrite it, type save! \(file)"))
            return
        }
        do {
            let folder = folderOf(file)
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            try writeFile(Data((JSONEdit.text(p) + "\n").utf8), to: file)
            profileFile = file
            out(t("zapisano", "saved") + " \(file)")
        } catch {
            fail("\(file): " + SystemText.error(error, lang))
        }
    }

    /// The decision sheet of the profile: FILE.html, or FILE.pdf with a headless Chromium.
    private func report(_ args: [String]) {
        guard let file = args.first else { fail(t("report PLIK.html (albo PLIK.pdf)", "report FILE.html (or FILE.pdf)")); return }
        let pdf = file.lowercased().hasSuffix(".pdf")
        guard pdf || file.lowercased().hasSuffix(".html") else {   // an HTML page under another name would not open as one
            fail(t("karta oceny to plik .html albo .pdf, nie \(file)", "a decision sheet is an .html or .pdf file, not \(file)"))
            return
        }
        guard let p = requireProfile(), let ev = evaluation(p, rules: ruleFilter) else { return }
        do {
            let ctx = DecisionSheet.Context(lang: lang, kryteriaVersion: KryteriaCommand.configuration.version,
                                            rulesDirectory: engine.rulesDirectory, description: description, source: profileFile,
                                            vocabulary: engine.vocabulary)
            try SheetOutput.save(DecisionSheet.render(ev, name: p["name"] as? String, context: ctx), to: file, pdf: pdf, lang: lang)
            out(t("karta oceny zapisana: ", "decision sheet written: ") + file)
        } catch {
            fail("\(error)")
        }
    }

    private func lua(_ src: String, head: String) {
        let p = profile ?? [:]
        let date = asOf ?? (p["as_of"] as? String) ?? (p["submitted_on"] as? String)
        let res: (ok: Bool, text: String)
        do {
            res = try engine.withRuntime { $0.evalExpression(src, profileJSON: JSONEdit.bytes(p), asOf: date, language: lang) }
        } catch {
            fail("\(error)")
            return
        }
        // a mistyped command reads as Lua: hint at the command it resembles
        let word = head.prefix { $0.isLetter }
        let hint = !word.isEmpty && word.count == head.count
            ? suggestion(String(word), among: ReplHelp.names, prefix: t(" — może polecenie", " — perhaps the command")) : ""
        if res.ok {
            // a lone unknown word is most likely a mistyped command or field, not Lua
            let ident = head.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            if res.text == "nil" && !ident.isEmpty && ident.count == head.count && head.count == src.count {
                let fields = paths().filter { !$0.contains("[") && !$0.contains(".") }
                let near = suggestion(String(ident), among: ReplHelp.names + fields, prefix: t(" — może", " — perhaps"))
                fail(t("nieznane polecenie ani pole: \(ident)", "no such command or field: \(ident)") + near
                     + t(" (help: lista poleceń)", " (help lists the commands)"))
                return
            }
            out(res.text)
            if res.text == "nil" && !hint.isEmpty { Terminal.stderr("(nil" + hint + ")\n") }
            return
        }
        fail(t("błąd Lua: ", "Lua error: ") + res.text + hint)
    }

    // MARK: helpers

    private func unique(_ xs: [String]) -> [String] {
        var seen = Set<String>()
        return xs.filter { seen.insert($0).inserted }
    }

    func problems(_ p: [String: Any]) -> [Problem] {
        (try? engine.withRuntime { try $0.validate(profileJSON: JSONEdit.bytes(p), language: lang) }) ?? []
    }

    private func reportProblems(_ ps: [Problem], heading: String, asError: Bool = false, profile: [String: Any]? = nil) {
        guard !ps.isEmpty else { return }
        var text = heading + "\n"
        for p in ps {
            let m = ReplSession.isAbsentField(p, in: profile ?? self.profile ?? [:]) ? st.yellow("?") : st.red("✗")
            text += "  \(m) \(p.path): " + t("oczekiwano: ", "expected ") + p.expected + t(", jest ", ", found ") + p.found + "\n"
        }
        if asError { fail(text) } else { out(text) }
    }

    private func suggestion(_ word: String, among: [String], prefix: String? = nil) -> String {
        guard let best = Spelling.closest(word, among: among) else { return "" }
        return (prefix ?? t("; może", "; did you mean")) + " '\(best)'?"
    }

    private func outcome(_ o: RuleOutcome) -> String {
        let w = ReportRenderer.outcomeWord(o, lang)
        switch o {
        case .eligible: return st.green(w)
        case .ineligible: return st.red(w)
        case .undetermined: return st.yellow(w)
        }
    }

    private func mark(_ o: CriterionOutcome) -> String {
        let m = ReportRenderer.mark(o)
        switch o {
        case .pass: return st.green(m)
        case .fail, .error: return st.red(m)
        case .unknown: return st.yellow(m)
        case .notApplicable: return st.dim(m)
        }
    }

    private func criterionWord(_ o: CriterionOutcome) -> String {
        switch o {
        case .pass: return t("spełnione", "pass")
        case .fail: return t("niespełnione", "fail")
        case .unknown: return t("nieustalone", "unknown")
        case .error: return t("błąd", "error")
        case .notApplicable: return t("nie dotyczy", "not applicable")
        }
    }

    // MARK: completion

    /// Words that complete the word being typed, given the line before it; nil: complete
    /// file names.
    func completions(before: String, word: String) -> [String]? {
        let words = replWords(before)
        let luaPrefix = word.hasPrefix("profile.") ? "profile." : word.hasPrefix("p.") ? "p." : nil
        if let luaPrefix, words.isEmpty || !ReplHelp.names.contains(words[0]) {
            return schema.paths(kind: profile?["kind"] as? String, profile: profile)
                .filter { !$0.contains("[") }.map { luaPrefix + $0 }
        }
        guard let cmd = words.first else { return ReplHelp.names }
        let arg = words.count  // index of the word being completed
        switch cmd {
        case "help", "?": return arg == 1 ? ReplHelp.names : []
        case "check": return arg == 1 ? (description?.rules.map(\.id) ?? []) : []
        case "why":
            return arg == 1 ? Array(Set((description?.rules ?? []).flatMap { $0.criteria.map(\.id) })) : []
        case "new": return arg == 1 ? (description?.kinds ?? ["person", "enterprise", "application"]) : []
        case "lang": return arg == 1 ? ["pl", "en"] : []
        case "asof": return arg == 1 ? ["-"] : []
        case "load", "save", "save!", "report": return nil
        case "set":
            if arg == 1 { return paths() }
            if arg == 2 { return values(words[1]) + vocabularyWords(words[1]) }
            return []
        case "unset", "show": return arg == 1 ? paths() : []
        case "whatif":
            if before.hasSuffix("="), let last = words.last {
                return values(String(last.dropLast()))
            }
            return paths().map { $0 + "=" }
        default: return []
        }
    }

    /// The words a consultant may type for an enumerated value (a label's own words; for a
    /// label of several words, its last word when that alone names the value).
    private func vocabularyWords(_ path: String) -> [String] {
        let v = engine.vocabulary
        return v.valueLabels(path, lang).compactMap { label -> String? in
            if !label.contains(" ") { return label }
            let last = String(label.split(separator: " ").last ?? "")
            return v.code(path, for: last) != nil ? last : nil
        }
    }

    private func paths() -> [String] { schema.paths(kind: profile?["kind"] as? String, profile: profile) }
    private func values(_ path: String) -> [String] { schema.values(kind: profile?["kind"] as? String, profile: profile, path: path) }
}
