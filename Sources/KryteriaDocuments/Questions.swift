import Foundation
import Kryteria

/// What to ask the applicant for a missing profile field, as a question a consultant can read aloud.
///
/// The words come from the ruleset's one vocabulary (the schemas' `x-question` and `x-label`), the same
/// that reports, the REPL and web forms read; `extra` (per path or field) takes precedence.
public enum MissingQuestions {
    /// The question for a missing path ("jobs[0].worker.birth_date"), from the ruleset's vocabulary
    /// (the schemas' `x-question`), with where in the profile it belongs ("stanowisko 1, osoba na stanowisku").
    public static func question(for path: String, lang: Language, vocabulary: Vocabulary?, extra: [String: String] = [:]) -> String {
        if let q = extra[path] { return q }
        var parts = path.split(separator: ".").map(String.init)
        if parts.first == "$" { parts.removeFirst() }
        let leafRaw = parts.last ?? path
        let leaf = String(leafRaw.prefix { $0 != "[" })
        let place = placeDescription(parts.dropLast(), lang: lang, vocabulary: vocabulary)
        let q = extra[leaf] ?? vocabulary?.question(leaf, lang)
            ?? (lang == .en ? "What is the value of “\(leaf)”?" : "Jaka jest wartość pola „\(leaf)”?")
        return place.isEmpty ? q : q + " (" + place + ")"
    }

    /// `jobs[0].worker` → "stanowisko 1, pracownik".
    static func placeDescription(_ parts: ArraySlice<String>, lang: Language, vocabulary: Vocabulary?) -> String {
        var out: [String] = []
        for p in parts {
            let name = String(p.prefix { $0 != "[" })
            var index: Int?
            if let open = p.firstIndex(of: "["), let close = p.firstIndex(of: "]") {
                index = Int(p[p.index(after: open)..<close]).map { $0 + 1 }
            }
            let word: String
            switch name {
            case "jobs": word = lang == .en ? "job" : "stanowisko"
            case "worker": word = lang == .en ? "worker" : "osoba na stanowisku"
            case "employees": word = lang == .en ? "employee" : "pracownik"
            case "members": word = lang == .en ? "member" : "członek"
            case "enterprise": word = lang == .en ? "applicant entity" : "podmiot"
            case "statute": word = lang == .en ? "statute" : "statut"
            case "person": word = lang == .en ? "person" : "osoba"
            default: word = vocabulary?.label(name, lang) ?? name
            }
            out.append(index.map { "\(word) \($0)" } ?? word)
        }
        return out.joined(separator: ", ")
    }
}
