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

    /// A parameter value for people: shares (unit starting with %) as percentages, Polish decimal commas.
    public static func show(_ value: String, unit: String?, lang: Language) -> String {
        var text = value
        var u = unit ?? ""
        if u.hasPrefix("%"), let x = Double(value) {
            var pct = String(format: "%.2f", x * 100)
            while pct.hasSuffix("0") { pct.removeLast() }
            if pct.hasSuffix(".") { pct.removeLast() }
            text = pct + "%"
            u = String(u.dropFirst()).trimmingCharacters(in: .whitespaces)
        }
        if lang == .pl { text = text.replacingOccurrences(of: ".", with: ",") }
        return u.isEmpty ? text : text + " " + u
    }

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
