import Foundation

/// The words of the data contract: one Polish and one English label for every field and every
/// enumerated value, and a question a consultant can read to the applicant for every field.
/// Kept in the rules folder's JSON Schemas (`x-label`, `x-question`, `x-enum-labels`), the
/// one place that reasons (in Lua), reports, the REPL, CSV and web forms all read.
public struct Vocabulary: Sendable {
    /// The words of one field.
    public struct Field: Sendable, Equatable {
        public var label: [String: String] = [:]
        public var question: [String: String] = [:]
        /// Enumerated value -> its label per language.
        public var values: [String: [String: String]] = [:]
        /// The kind of profile that has this field at its top level, when it is a top-level one.
        public var kinds: Set<String> = []
    }

    /// Field name -> its words. A name used in several places keeps the words of a profile's top
    /// level (a person's `disability`: "Czy osoba ma orzeczenie…"), else the first words found (an
    /// employee's: "Czy osoba zatrudniona…" would be asked of a person who works nowhere).
    public private(set) var fields: [String: Field] = [:]
    private var topLevelWords = Set<String>()

    public init() {}

    /// Reads the schemas (JSON text). Schemas that do not parse are skipped: the loader
    /// reports them.
    public init(schemas: [String]) {
        for text in schemas {
            guard let obj = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { continue }
            let kind = ((obj["properties"] as? [String: Any])?["kind"] as? [String: Any])?["const"] as? String
            walk(obj, topKind: kind)
        }
    }

    private mutating func walk(_ node: Any, topKind: String?) {
        if let dict = node as? [String: Any] {
            if let props = dict["properties"] as? [String: Any] {
                for (name, value) in props {
                    guard let ps = value as? [String: Any] else { continue }
                    var f = fields[name] ?? Field()
                    let top = topKind != nil && !topLevelWords.contains(name)
                    if f.label.isEmpty || top, let l = ps["x-label"] as? [String: String] { f.label = l }
                    if f.question.isEmpty || top, let q = ps["x-question"] as? [String: String] { f.question = q }
                    if top && (ps["x-label"] != nil || ps["x-question"] != nil) { topLevelWords.insert(name) }
                    for holder in [ps, ps["items"] as? [String: Any] ?? [:]] {
                        if let labels = holder["x-enum-labels"] as? [String: [String: String]] {
                            for (code, l) in labels where f.values[code] == nil { f.values[code] = l }
                        }
                    }
                    if let topKind { f.kinds.insert(topKind) }
                    fields[name] = f
                }
            }
            for (key, value) in dict where key != "properties" { walk(value, topKind: nil) }
            if let props = dict["properties"] as? [String: Any] {
                for value in props.values { walk(value, topKind: nil) }
            }
        } else if let arr = node as? [Any] {
            for v in arr { walk(v, topKind: nil) }
        }
    }

    static func pick(_ words: [String: String], _ lang: Language) -> String? {
        words[lang.rawValue] ?? words["pl"] ?? words["en"]
    }

    /// The last field name of a JSON path: "employees[0].fte" -> "fte".
    public static func fieldName(ofPath path: String) -> String {
        var s = Substring(path)
        while s.hasSuffix("]"), let open = s.lastIndex(of: "[") { s = s[..<open] }
        if let dot = s.lastIndex(of: ".") { s = s[s.index(after: dot)...] }
        return String(s)
    }

    /// The label of a field (or of the field a path ends in); the name itself when it has none.
    public func label(_ field: String, _ lang: Language) -> String {
        let name = Vocabulary.fieldName(ofPath: field)
        return fields[name].flatMap { Vocabulary.pick($0.label, lang) } ?? name
    }

    /// The label of an enumerated value of a field; the code itself when it has none.
    public func label(_ field: String, value: String, _ lang: Language) -> String {
        fields[Vocabulary.fieldName(ofPath: field)]?.values[value].flatMap { Vocabulary.pick($0, lang) } ?? value
    }

    /// The question to ask for a missing field (or path); a generic one naming the field's label.
    public func question(_ path: String, _ lang: Language) -> String {
        let name = Vocabulary.fieldName(ofPath: path)
        if let q = fields[name].flatMap({ Vocabulary.pick($0.question, lang) }) { return q }
        return (lang == .pl ? "Podaj: " : "Please give: ") + label(name, lang)
    }

    /// The code of an enumerated value given its label or code in either language
    /// (case-insensitive): `bezrobotna` or `osoba bezrobotna` -> `unemployed`. The labels speak of
    /// "osoba …" (feminine); a consultant may type the masculine adjective: `bezrobotny` finds it too.
    public func code(_ field: String, for word: String) -> String? {
        guard let f = fields[Vocabulary.fieldName(ofPath: field)] else { return nil }
        let w = word.lowercased().trimmingCharacters(in: .whitespaces)
        if f.values[w] != nil { return w }
        if let c = Vocabulary.labelled(f, w) { return c }
        // "bezrobotny", "bierny", "pracujący" -> "bezrobotna", "bierna", "pracująca"
        if let last = w.last, last == "y" || last == "i",
           let c = Vocabulary.labelled(f, String(w.dropLast()) + "a") {
            return c
        }
        // typed without Polish letters ("pracujaca", "spoldzielnia socjalna"): the same words folded
        let folded = Vocabulary.fold(w)
        if folded == w {
            var plain = f
            plain.values = f.values.mapValues { $0.mapValues(Vocabulary.fold) }
            if let c = Vocabulary.labelled(plain, w) { return c }
            if let last = w.last, last == "y" || last == "i" { return Vocabulary.labelled(plain, String(w.dropLast()) + "a") }
        }
        return nil
    }

    /// Polish letters as their plain Latin ones, lower case: "Spółdzielnia" -> "spoldzielnia".
    static func fold(_ s: String) -> String {
        let map: [Character: Character] = ["ą": "a", "ć": "c", "ę": "e", "ł": "l", "ń": "n", "ó": "o", "ś": "s", "ź": "z", "ż": "z"]
        return String(s.lowercased().map { map[$0] ?? $0 })
    }

    /// The code whose label is `w`, or holds the words `w` (one such value only).
    private static func labelled(_ f: Field, _ w: String) -> String? {
        for (code, labels) in f.values where labels.values.contains(where: { $0.lowercased() == w }) { return code }
        // a shorter word a consultant types: "bezrobotna" for "osoba bezrobotna", "bierna" for
        // "osoba bierna zawodowo"
        let hits = f.values.filter { _, labels in labels.values.contains { (" " + $0.lowercased() + " ").contains(" " + w + " ") } }
        return hits.count == 1 ? hits.first?.key : nil
    }

    /// The labels of a field's values in a language, sorted: for completion and forms.
    public func valueLabels(_ field: String, _ lang: Language) -> [String] {
        (fields[Vocabulary.fieldName(ofPath: field)]?.values.values.compactMap { Vocabulary.pick($0, lang) } ?? []).sorted()
    }

    /// Where in a profile a path points, in words, without its last field:
    /// "jobs[2].worker.disability" -> "stanowisko 3, osoba na stanowisku"; "" for a top-level field.
    public func place(ofPath path: String, _ lang: Language) -> String {
        var parts = path.split(separator: ".").map(String.init)
        if parts.first == "$" { parts.removeFirst() }
        var out: [String] = []
        for p in parts.dropLast() {
            let name = String(p.prefix { $0 != "[" })
            var index: Int?
            if let open = p.firstIndex(of: "["), let close = p.firstIndex(of: "]") {
                index = Int(p[p.index(after: open)..<close]).map { $0 + 1 }
            }
            // an item of a list is named in the singular; other parts by their label
            let en = lang == .en
            let word: String
            switch name {
            case "jobs": word = en ? "job" : "stanowisko"
            case "worker": word = en ? "worker" : "osoba na stanowisku"
            case "employees": word = en ? "employee" : "pracownik"
            case "members": word = en ? "member" : "członek"
            case "enterprise": word = en ? "applicant entity" : "podmiot"
            case "statute": word = en ? "statute" : "statut"
            case "person": word = en ? "person" : "osoba"
            default: word = label(name, lang)
            }
            out.append(index.map { "\(word) \($0)" } ?? word)
        }
        return out.joined(separator: ", ")
    }
}
