import Foundation
import Kryteria

/// The words of the documents, in one place. Rule outcomes come from `ReportRenderer` (the words
/// `kryteria check` prints), so a consultant reads the same vocabulary on screen and on paper.
public struct DocumentWords: Sendable {
    public let lang: Language

    public init(_ lang: Language) { self.lang = lang }

    /// "Polish / English" chooser.
    public func t(_ pl: String, _ en: String) -> String { lang == .en ? en : pl }

    /// A rule outcome as in the terminal report ("SPEŁNIA"), in capitals.
    public func outcome(_ o: RuleOutcome) -> String { ReportRenderer.outcomeWord(o, lang) }

    /// A rule outcome in a cell or a sentence ("spełnia").
    public func outcomeLower(_ o: RuleOutcome) -> String { outcome(o).lowercased() }

    /// The rule outcome word for a raw outcome string of a result line.
    public func outcomeLower(raw: String) -> String {
        if let o = RuleOutcome(rawValue: raw) { return outcomeLower(o) }
        switch raw {
        case "not_applicable": return notApplicable
        case "invalid": return t("profil niepoprawny", "invalid profile")
        case "absent": return t("brak wyniku", "no result")
        default: return raw
        }
    }

    /// A rule closed by its gate (another kind of entity).
    public var notApplicable: String { t("nie dotyczy", "does not apply") }

    /// A criterion outcome in words, matching the rule words ("spełnia" / "nie spełnia" …).
    public func criterion(_ o: CriterionOutcome) -> String {
        switch o {
        case .pass: return outcomeLower(.eligible)
        case .fail: return outcomeLower(.ineligible)
        case .unknown: return outcomeLower(.undetermined)
        case .notApplicable: return notApplicable
        case .error: return t("błąd", "error")
        }
    }

    public func criterion(raw: String) -> String {
        if let o = CriterionOutcome(rawValue: raw) { return criterion(o) }
        return outcomeLower(raw: raw)
    }

    /// Where the as-of date came from, in words.
    public func asOfSource(_ s: String?) -> String {
        switch s {
        case "option": return t("podana w poleceniu: --as-of", "given on the command line: --as-of")
        case "profile": return t("z profilu, pole as_of", "from the profile, field as_of")
        case "submitted_on": return t("data złożenia wniosku, pole submitted_on", "the application's submission date, field submitted_on")
        case "today": return t("dzień oceny, bo profil nie podaje daty", "the day of the evaluation: the profile gives no date")
        case nil: return t("nie podano", "not given")
        default: return s!
        }
    }

    public func kind(_ k: String?) -> String {
        k.map { ReportRenderer.kindWord($0, lang) } ?? "—"
    }

    /// Polish plural forms: 1 rekord, 2 rekordy, 5 rekordów (en: record / records).
    public func count(_ n: Int, _ one: String, _ few: String, _ many: String, en: String, enPlural: String) -> String {
        if lang == .en { return "\(Self.group(n, lang)) " + (n == 1 ? en : enPlural) }
        return "\(Self.group(n, lang)) " + Self.plural(n, one, few, many)
    }

    public static func plural(_ n: Int, _ one: String, _ few: String, _ many: String) -> String {
        if n == 1 { return one }
        let d = n % 10, t = n % 100
        if d >= 2 && d <= 4 && !(t >= 12 && t <= 14) { return few }
        return many
    }

    /// 1234567 → "1 234 567" (pl, with a no-break space) / "1,234,567" (en).
    public static func group(_ n: Int, _ lang: Language) -> String {
        let s = String(abs(n))
        var out = ""
        for (i, ch) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out += lang == .en ? "," : "\u{00A0}" }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    public func money(_ x: Double, wholeWithoutGrosze: Bool = false) -> String {
        ReportRenderer.money(x, lang, wholeWithoutGrosze: wholeWithoutGrosze)
    }

    /// Points: "5" or "5,25".
    public func number(_ x: Double) -> String { ReportRenderer.number(x, lang) }

    /// Strips the "ZAŁOŻENIE: " / "ASSUMPTION: " prefix of an assumption.
    public static func assumptionText(_ a: String) -> String {
        for p in ["ZAŁOŻENIE: ", "ASSUMPTION: "] where a.hasPrefix(p) { return String(a.dropFirst(p.count)) }
        return a
    }

    /// True when a legal basis or parameter says it is not verified.
    public static func unverified(_ s: String) -> Bool {
        s.contains("niezweryfikowan") || s.lowercased().contains("unverified")
    }
}
