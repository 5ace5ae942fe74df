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
        let place = (vocabulary ?? Vocabulary()).place(ofPath: path, lang)
        let q = extra[leaf] ?? vocabulary?.question(leaf, lang)
            ?? (lang == .en ? "What is the value of “\(leaf)”?" : "Jaka jest wartość pola „\(leaf)”?")
        return place.isEmpty ? q : q + " (" + place + ")"
    }

}
