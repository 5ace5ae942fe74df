import Foundation

/// A rule test case: a profile, an as-of date and the expected outcomes.
/// Files live beside the rules, in `tests/` folders (`Rules/tests/<rule>/<case>.json`).
public struct RuleTestCase {
    public var file: String
    public var description: String?
    public var asOf: String?
    public var profile: [UInt8]
    /// rule id -> expectation
    public var expect: [String: Expectation]
    /// When set, the profile must be rejected with a problem at this JSON path.
    public var expectInvalid: String?

    /// What a case expects of one rule.
    public struct Expectation {
        public var outcome: RuleOutcome?
        public var criteria: [String: CriterionOutcome]
        public var amount: Double?
        public var score: Double?
    }
}

/// One failed expectation.
public struct RuleTestFailure: CustomStringConvertible {
    public var file: String
    public var rule: String?
    public var criterion: String?
    public var legalBasis: String?
    public var expected: String
    public var actual: String
    public var reason: String?

    public var description: String { text(.en) }

    /// The failure as `kryteria test` prints it, in the given language (expected and actual are
    /// worded by the runner in the language it ran in; outcomes keep the codes the test files use).
    public func text(_ language: Language) -> String {
        let pl = language == .pl
        var s = (pl ? "NIEZALICZONY " : "FAIL ") + file + "\n"
        if let rule {
            s += (pl ? "  reguła " : "  rule ") + rule
            if let criterion { s += (pl ? " › kryterium " : " › criterion ") + criterion + (legalBasis.map { " (\($0))" } ?? "") }
            s += "\n"
        }
        s += (pl ? "    oczekiwano: " : "    expected: ") + expected + "\n" + (pl ? "    jest:       " : "    actual:   ") + actual + "\n"
        if let reason, !reason.isEmpty { s += (pl ? "    powód:      " : "    reason:   ") + reason + "\n" }
        return s
    }
}

/// The outcome of running every rule test of a ruleset.
public struct RuleTestReport {
    public var cases = 0
    public var passed = 0
    public var failures: [RuleTestFailure] = []
    /// criterion key "rule/CRIT" -> outcomes seen
    public var seen: [String: Set<CriterionOutcome>] = [:]
    /// Criteria never seen passing or never seen failing: (rule, id, Polish label, missing outcomes).
    public var coverageGaps: [(rule: String, id: String, label: String, missing: [CriterionOutcome])] = []

    public var failed: Int { cases - passed }
}

/// Runs rule tests (`kryteria test`, the REPL's `test`).
public enum RuleTestRunner {
    /// Finds the test case files under `directory` (every `*.json` inside a `tests` folder).
    public static func caseFiles(in directory: String) -> [String] {
        let base = URL(fileURLWithPath: directory).standardizedFileURL
        var out: [String] = []
        let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil)
        while let url = walker?.nextObject() as? URL {
            let p = url.standardizedFileURL.path
            guard p.hasSuffix(".json"), !p.hasSuffix(".schema.json") else { continue }
            let rel = String(p.dropFirst(base.path.count + 1))
            if rel.hasPrefix("tests/") || rel.contains("/tests/") {
                out.append((directory.hasSuffix("/") ? String(directory.dropLast()) : directory) + "/" + rel)
            }
        }
        return out.sorted()
    }

    /// Reads one case file; its problems are worded in `language`.
    public static func load(_ file: String, language: Language = .en) throws -> RuleTestCase {
        let t = { (pl: String, en: String) in language == .en ? en : pl }
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        guard let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw KryteriaError.invalidOption(t("przypadek testowy musi być obiektem JSON", "a test case must be a JSON object"))
        }
        guard let profile = obj["profile"] as? [String: Any] else {
            throw KryteriaError.invalidOption(t("brakuje \"profile\" (obiektu)", "\"profile\" (an object) is required"))
        }
        var expect: [String: RuleTestCase.Expectation] = [:]
        for (rule, v) in obj["expect"] as? [String: Any] ?? [:] {
            guard let e = v as? [String: Any] else {
                throw KryteriaError.invalidOption(t("expect.\(rule) musi być obiektem", "expect.\(rule) must be an object"))
            }
            var crits: [String: CriterionOutcome] = [:]
            for (cid, o) in e["criteria"] as? [String: Any] ?? [:] {
                guard let s = o as? String, let co = CriterionOutcome(rawValue: s) else {
                    throw KryteriaError.invalidOption("expect.\(rule).criteria.\(cid): " + t("oczekiwano pass, fail, unknown, not_applicable albo error",
                                                                                            "expected pass, fail, unknown, not_applicable or error"))
                }
                crits[cid] = co
            }
            var outcome: RuleOutcome?
            if let s = e["outcome"] as? String {
                guard let o = RuleOutcome(rawValue: s) else {
                    throw KryteriaError.invalidOption("expect.\(rule).outcome: " + t("oczekiwano eligible, ineligible albo undetermined, jest \(s)",
                                                                                    "expected eligible, ineligible or undetermined, found \(s)"))
                }
                outcome = o
            }
            expect[rule] = .init(outcome: outcome, criteria: crits,
                                 amount: (e["amount"] as? NSNumber)?.doubleValue,
                                 score: (e["score"] as? NSNumber)?.doubleValue)
        }
        let invalid = obj["expect_invalid"] as? String
        if expect.isEmpty && invalid == nil {
            throw KryteriaError.invalidOption(t("\"expect\" nie wymienia żadnej reguły", "\"expect\" names no rule"))
        }
        return RuleTestCase(file: file, description: obj["description"] as? String, asOf: obj["as_of"] as? String,
                            profile: Array(try JSONSerialization.data(withJSONObject: profile)),
                            expect: expect, expectInvalid: invalid)
    }

    /// Why a case file cannot be read: broken JSON placed by the engine's reader (line, column, in the
    /// language asked for), or the problem `load` found.
    static func unreadable(_ file: String, _ error: Error, language: Language) -> String {
        if case KryteriaError.invalidOption(let m) = error { return m }
        return SystemText.error(error, language)
    }

    /// Runs every case found in `testsDirectory` (default: the engine's rules folder).
    public static func run(engine: Engine, testsDirectory: String? = nil, language: Language = .pl) -> RuleTestReport {
        var report = RuleTestReport()
        let files = caseFiles(in: testsDirectory ?? engine.rulesDirectory)
        for file in files {
            report.cases += 1
            let before = report.failures.count
            do {
                // read by the engine's own reader first, as batch reads a profile: Foundation's parser
                // lets a trailing comma through, and the case would run on what it guessed
                if let data = try? Data(contentsOf: URL(fileURLWithPath: file)),
                   let m = engine.syntaxError(of: Array(data), language: language) {
                    throw KryteriaError.invalidOption((language == .en ? "malformed JSON: " : "błędny JSON: ") + m)
                }
                let tc = try load(file, language: language)
                try check(tc, engine: engine, language: language, into: &report)
            } catch {
                report.failures.append(RuleTestFailure(file: file, expected: language == .en ? "a readable test case" : "czytelny przypadek testowy",
                                                       actual: unreadable(file, error, language: language)))
            }
            if report.failures.count == before { report.passed += 1 }
        }
        if let desc = try? engine.describe() {
            for r in desc.rules {
                for c in r.criteria {
                    let s = report.seen["\(r.id)/\(c.id)"] ?? []
                    let lacking = [CriterionOutcome.pass, .fail].filter { !s.contains($0) }
                    if !lacking.isEmpty { report.coverageGaps.append((r.id, c.id, c.label, lacking)) }
                }
            }
        }
        return report
    }

    static func check(_ tc: RuleTestCase, engine: Engine, language: Language, into report: inout RuleTestReport) throws {
        let rules = tc.expect.keys.sorted()
        let opts = EvaluationOptions(asOf: tc.asOf, rules: rules.isEmpty ? nil : rules, language: language)
        let t = { (pl: String, en: String) in language == .en ? en : pl }
        let bytes = try engine.evaluateJSON(tc.profile, options: opts)
        let ev = try JSONDecoder().decode(Evaluation.self, from: Data(bytes))
        if let path = tc.expectInvalid {
            let problems = ev.error?.problems ?? []
            if !problems.contains(where: { $0.path == path }) {
                report.failures.append(RuleTestFailure(
                    file: tc.file, expected: t("profil niepoprawny, z problemem w \(path)", "invalid profile with a problem at \(path)"),
                    actual: ev.error.map { t("niepoprawny: ", "invalid: ") + $0.message } ?? t("profil poprawny", "valid profile")))
            }
            return
        }
        if let err = ev.error {
            report.failures.append(RuleTestFailure(file: tc.file, expected: t("ocena profilu", "an evaluation"),
                                                   actual: "\(err.code): \(err.message)"))
            return
        }
        for r in ev.results ?? [] {
            for c in r.criteria { report.seen["\(r.rule)/\(c.id)", default: []].insert(c.outcome) }
        }
        for rule in rules {
            let exp = tc.expect[rule]!
            guard let r = ev.result(rule) else {
                report.failures.append(RuleTestFailure(file: tc.file, rule: rule, expected: t("wynik reguły \(rule)", "a result of \(rule)"),
                                                       actual: t("brak wyniku (reguła nie dotyczy tego profilu)",
                                                                 "no result (the rule does not apply to this profile)")))
                continue
            }
            if let o = exp.outcome, o != r.outcome {
                let why = r.criteria.filter { $0.outcome == .fail || $0.outcome == .unknown || $0.outcome == .error }
                    .map { "\($0.id) \($0.outcome.rawValue): \($0.reason ?? "")" }.joined(separator: "; ")
                report.failures.append(RuleTestFailure(file: tc.file, rule: rule, expected: o.rawValue,
                                                       actual: r.outcome.rawValue, reason: r.error ?? why))
            }
            for (cid, want) in exp.criteria.sorted(by: { $0.key < $1.key }) {
                guard let c = r.criterion(cid) else {
                    report.failures.append(RuleTestFailure(file: tc.file, rule: rule, criterion: cid,
                                                           expected: want.rawValue,
                                                           actual: t("reguła \(rule) nie ma takiego kryterium", "no such criterion in \(rule)")))
                    continue
                }
                if c.outcome != want {
                    report.failures.append(RuleTestFailure(file: tc.file, rule: rule, criterion: cid, legalBasis: c.legalBasis,
                                                           expected: want.rawValue, actual: c.outcome.rawValue, reason: c.reason))
                }
            }
            if let a = exp.amount, abs((r.amount ?? .nan) - a) > 0.005 || r.amount == nil {
                report.failures.append(RuleTestFailure(file: tc.file, rule: rule, expected: t("kwota ", "amount ") + "\(a)",
                                                       actual: r.amount.map { t("kwota ", "amount ") + "\($0)" } ?? t("brak kwoty", "no amount"),
                                                       reason: r.error))
            }
            if let s = exp.score, abs((r.score ?? .nan) - s) > 1e-9 || r.score == nil {
                report.failures.append(RuleTestFailure(file: tc.file, rule: rule, expected: t("punkty ", "score ") + "\(s)",
                                                       actual: r.score.map { t("punkty ", "score ") + "\($0)" } ?? t("brak punktów", "no score")))
            }
        }
    }
}
