import Kryteria

/// The REPL's commands with their help, in Polish and English.
struct ReplCommandHelp {
    var name: String
    var aliases: [String] = []
    var usage: String
    var pl: String
    var en: String
    var detailPl: String = ""
    var detailEn: String = ""
}

enum ReplHelp {
    static let commands: [ReplCommandHelp] = [
        ReplCommandHelp(name: "load", usage: "load FILE [N]",
            pl: "wczytaj profil z pliku JSON (jeden profil, tablica albo JSON Lines)",
            en: "load a profile from a JSON file (one profile, an array or JSON Lines)",
            detailPl: "Plik z wieloma profilami: N to numer profilu, jak \"line\" w wynikach batch (wiersz pliku JSON Lines, element tablicy od 1). Przykłady: load Playground/profiles/repl-example-person.json; load Playground/applications.jsonl 7",
            detailEn: "A file of several profiles: N is the profile's number, as \"line\" in batch results (the line of a JSON Lines file, the element of an array from 1). Examples: load Playground/profiles/repl-example-person.json; load Playground/applications.jsonl 7"),
        ReplCommandHelp(name: "new", usage: "new person|enterprise|application",
            pl: "zacznij nowy, pusty profil danego rodzaju",
            en: "start a new, empty profile of that kind"),
        ReplCommandHelp(name: "set", usage: "set PATH VALUE",
            pl: "ustaw pole profilu",
            en: "set a profile field",
            detailPl: """
            VALUE jest czytane jako JSON, jeśli to poprawny JSON (liczba, true, [..]), inaczej jako tekst.
            Brakujące obiekty i tablice powstają same. Indeksy od 0, jak w JSON. Zmiana, która psuje
            zgodność ze schematem, jest odrzucana.
            Wartość wyliczeniową można podać słowami ze słownika: set labour_status bezrobotna.
            Przykłady: set labour_status unemployed · set birth_date 1990-05-01 · set employees[2].fte 0.5
            """,
            detailEn: """
            VALUE is read as JSON when it is valid JSON (a number, true, [..]), else as text. Missing
            objects and arrays are created. Indices start at 0, as in JSON. A change that breaks the
            schema is refused.
            An enumerated value can be given in the vocabulary's words: set labour_status unemployed.
            Examples: set labour_status unemployed · set birth_date 1990-05-01 · set employees[2].fte 0.5
            """),
        ReplCommandHelp(name: "unset", usage: "unset PATH",
            pl: "usuń pole (stanie się nieznane)",
            en: "remove a field (it becomes unknown)"),
        ReplCommandHelp(name: "show", usage: "show [PATH]",
            pl: "pokaż profil (albo jedno pole) jako JSON",
            en: "show the profile (or one field) as JSON"),
        ReplCommandHelp(name: "check", usage: "check [RULE]",
            pl: "oceń profil: ten sam raport co `kryteria check`",
            en: "evaluate the profile: the same report as `kryteria check`"),
        ReplCommandHelp(name: "why", usage: "why CRITERION",
            pl: "wyjaśnij kryterium: wynik, uzasadnienie, podstawa prawna, braki",
            en: "explain a criterion: outcome, reason, legal basis, what is missing",
            detailPl: "Przykład: why PER-01 (wielkość liter bez znaczenia; PS-07 obejmuje PS-07a, PS-07b)",
            detailEn: "Example: why PER-01 (case does not matter; PS-07 covers PS-07a, PS-07b)"),
        ReplCommandHelp(name: "missing", usage: "missing",
            pl: "dla każdej reguły: o które pola zapytać wnioskodawcę",
            en: "for each rule: the fields to ask the applicant for"),
        ReplCommandHelp(name: "whatif", usage: "whatif PATH=VALUE ...",
            pl: "co by było, gdyby: wyniki przed i po oraz zmienione kryteria (profil się nie zmienia)",
            en: "what if: outcomes before and after and the criteria that flipped (the profile stays as it is)",
            detailPl: "Przykład: whatif labour_status=unemployed unemployed_days_last_24_months=400",
            detailEn: "Example: whatif labour_status=unemployed unemployed_days_last_24_months=400"),
        ReplCommandHelp(name: "asof", usage: "asof [DATE|-]",
            pl: "oceniaj na dzień RRRR-MM-DD; `asof -` wraca do daty z profilu; bez argumentu: pokaż",
            en: "evaluate as of YYYY-MM-DD; `asof -` goes back to the profile's date; no argument: show it"),
        ReplCommandHelp(name: "lang", usage: "lang pl|en",
            pl: "język raportów i pomocy",
            en: "language of reports and help"),
        ReplCommandHelp(name: "rules", usage: "rules",
            pl: "lista reguł z tytułami",
            en: "list the rules with their titles"),
        ReplCommandHelp(name: "reload", usage: "reload",
            pl: "wczytaj reguły z dysku ponownie; przy błędzie (plik:wiersz) zostają poprzednie",
            en: "read the rules from disk again; on an error (file:line) the previous rules stay"),
        ReplCommandHelp(name: "test", usage: "test",
            pl: "uruchom testy reguł (jak `kryteria test`)",
            en: "run the rule tests (as `kryteria test`)"),
        ReplCommandHelp(name: "save", aliases: ["save!"], usage: "save [FILE] | save! [FILE]",
            pl: "zapisz profil do pliku JSON (bez FILE: do wczytanego pliku); istniejący plik nadpisuje tylko save!",
            en: "save the profile to a JSON file (without FILE: to the file it was loaded from); only save! overwrites a file",
            detailPl: "save nie nadpisuje istniejącego pliku: mówi, że plik istnieje, i czeka na save! PLIK.",
            detailEn: "save never overwrites an existing file: it says the file exists and waits for save! FILE."),
        ReplCommandHelp(name: "report", usage: "report FILE.html|FILE.pdf",
            pl: "zapisz kartę oceny profilu do druku (HTML; PDF, gdy jest chromium)",
            en: "write the profile's printable decision sheet (HTML; PDF when chromium is installed)"),
        ReplCommandHelp(name: "help", usage: "help [CMD]",
            pl: "pomoc",
            en: "help"),
        ReplCommandHelp(name: "quit", aliases: ["exit"], usage: "quit | exit",
            pl: "zakończ (także Ctrl-D)",
            en: "leave (also Ctrl-D)"),
    ]

    static var names: [String] { commands.flatMap { [$0.name] + $0.aliases } }

    static func find(_ name: String) -> ReplCommandHelp? {
        commands.first { $0.name == name || $0.aliases.contains(name) }
    }

    static func overview(_ lang: Language) -> String {
        let width = commands.map(\.usage.count).max() ?? 20
        var out = lang == .en
            ? "Commands (help CMD for details):\n"
            : "Polecenia (help POLECENIE: szczegóły):\n"
        for c in commands {
            out += "  " + c.usage.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + (lang == .en ? c.en : c.pl) + "\n"
        }
        out += lang == .en
            ? """
              Anything else is a Lua expression evaluated with the profile as `p` (or `profile`),
              e.g. p.labour_status, age(p.birth_date), #p.employees. `set` takes a value's code or its
              words: set labour_status unemployed, or set labour_status "osoba bezrobotna".

              """
            : """
              Wszystko inne to wyrażenie Lua liczone z profilem jako `p` (lub `profile`),
              np. p.labour_status, age(p.birth_date), #p.employees. `set` przyjmuje kod wartości albo
              jej nazwę: set labour_status bezrobotna · set legal_form fundacja.

              """
        return out
    }

    static func detail(_ name: String, _ lang: Language) -> String? {
        guard let c = find(name) else { return nil }
        var out = c.usage + "\n  " + (lang == .en ? c.en : c.pl) + "\n"
        let d = lang == .en ? c.detailEn : c.detailPl
        if !d.isEmpty {
            out += d.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n") + "\n"
        }
        return out
    }
}
