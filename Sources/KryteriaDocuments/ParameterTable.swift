import Foundation
import Kryteria

/// Parameters of a ruleset as of a date, for people: the values the scoring assumed.
public enum ParameterTable {
    /// The value of a parameter in force on a date (nil before its first value or after its last `until`).
    public static func inForce(_ p: RulesetDescription.Parameter, on date: String) -> RulesetDescription.Parameter.Value? {
        guard let v = p.values.last(where: { $0.from <= date }) else { return nil }
        if let until = v.until, date > until { return nil }
        return v
    }

    /// A parameter value for people: shares (unit starting with %) as percentages, numbers with Polish
    /// decimal commas and their unit in the form the number takes (`1 rok`, `50 lat`, `0,5 etatu`),
    /// yes or no for a switch, a text as written; English units with --lang en.
    public static func show(_ value: String, unit: String?, lang: Language) -> String {
        if value == "true" || value == "false" {
            let yes = value == "true"
            return lang == .en ? (yes ? "yes" : "no") : (yes ? "tak" : "nie")
        }
        guard let x = Double(value) else { return value }   // a text (an act's name): as written
        var text = value
        var u = unit ?? ""
        if u.hasPrefix("%") {
            var pct = String(format: "%.2f", x * 100)
            while pct.hasSuffix("0") { pct.removeLast() }
            if pct.hasSuffix(".") { pct.removeLast() }
            text = pct + "%"
            u = String(u.dropFirst()).trimmingCharacters(in: .whitespaces)
        }
        if !(unit ?? "").hasPrefix("%") && abs(x) >= 10_000 {
            // thousands grouped as in the reasons: "31 229 zł", "PLN 8,265.92"
            let parts = text.split(separator: ".", maxSplits: 1).map(String.init)
            var whole = parts[0].hasPrefix("-") ? String(parts[0].dropFirst()) : parts[0]
            var i = whole.count - 3
            while i > 0 { whole.insert(lang == .en ? "," : " ", at: whole.index(whole.startIndex, offsetBy: i)); i -= 3 }
            text = (parts[0].hasPrefix("-") ? "-" : "") + whole + (parts.count > 1 ? "." + parts[1] : "")
        }
        if lang == .pl { text = text.replacingOccurrences(of: ".", with: ",") }
        if u.isEmpty { return text }
        if let forms = inflected[u] {
            if lang == .en { return text + " " + (x == 1 ? forms.en.0 : forms.en.1) }
            let n = x == x.rounded() && abs(x) < 1e15 ? Int(x) : nil
            return text + " " + (n.map { Plural.plWord($0, forms.pl[0], forms.pl[1], forms.pl[2]) } ?? forms.pl[3])
        }
        return text + " " + unitName(u, lang)
    }

    /// A unit as the name of a column: in English for --lang en (the rules write them in Polish).
    public static func unitName(_ unit: String, _ lang: Language) -> String {
        guard lang == .en else { return unit }
        if let forms = inflected[unit] { return forms.en.1 }
        return english[unit] ?? unit
    }

    /// Units of the shipped parameters that take the form of their number: Polish one, few, many and
    /// a fraction's form (`2 lata`, `5 lat`, `2,5 roku`), English one and many.
    static let inflected: [String: (pl: [String], en: (String, String))] = [
        "lata": (["rok", "lata", "lat", "roku"], ("year", "years")),
        "miesiące": (["miesiąc", "miesiące", "miesięcy", "miesiąca"], ("month", "months")),
        "osoby": (["osoba", "osoby", "osób", "osoby"], ("person", "people")),
        "miejsca pracy": (["miejsce pracy", "miejsca pracy", "miejsc pracy", "miejsca pracy"], ("job", "jobs")),
        "dni": (["dzień", "dni", "dni", "dnia"], ("day", "days")),
        "etat": (["etat", "etaty", "etatów", "etatu"], ("FTE", "FTE")),
    ]
    static let english: [String: String] = [
        "zł/miesiąc": "PLN/month", "zł/12 miesięcy": "PLN/12 months", "zł/miejsce pracy": "PLN per job", "zł": "PLN",
        "os.": "persons", "os. prawne": "legal persons", "mies.": "months", "tak/nie": "yes/no", "akt prawny": "legal act",
        "% podstawy": "% of the base", "× kryterium": "× the threshold", "× minimalne wynagrodzenie": "× the minimum wage",
        "× przeciętne wynagrodzenie": "× the average wage",
        "× przeciętne wynagrodzenie w sektorze przedsiębiorstw": "× the average wage in the enterprise sector",
    ]

    /// "2025-01-01" → "2024-12-31".
    public static func dayBefore(_ date: String) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        guard let d = f.date(from: date) else { return "" }
        return f.string(from: d.addingTimeInterval(-86_400))
    }
}
