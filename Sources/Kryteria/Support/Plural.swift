/// A count with its noun in the right grammatical number.
public enum Plural {
    /// Polish: 1 osoba, 2–4 osoby (but 12–14 osób), 5+ osób; 22 osoby, 25 osób.
    public static func pl(_ n: Int, _ one: String, _ few: String, _ many: String) -> String {
        "\(n) " + plWord(n, one, few, many)
    }

    /// The Polish form alone.
    public static func plWord(_ n: Int, _ one: String, _ few: String, _ many: String) -> String {
        let a = abs(n)
        if a == 1 { return one }
        let d = a % 10, h = a % 100
        if (2...4).contains(d) && !(12...14).contains(h) { return few }
        return many
    }

    /// English: 1 file, 2 files.
    public static func en(_ n: Int, _ word: String, plural: String? = nil) -> String {
        "\(n) " + (n == 1 ? word : (plural ?? word + "s"))
    }
}
