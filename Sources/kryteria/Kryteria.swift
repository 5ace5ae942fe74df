import ArgumentParser
import Foundation
import Kryteria

@main
struct KryteriaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kryteria",
        abstract: "Kryteria: kto kwalifikuje się do wsparcia ekonomii społecznej / who qualifies for social-economy support.",
        discussion: """
        Reguły (Lua) są w katalogu Rules/; profile to pliki JSON osób, podmiotów i wniosków.
        Rules (Lua) live in Rules/; profiles are JSON files of persons, enterprises and applications.
        """,
        version: "0.1.0",
        subcommands: [Check.self, Batch.self, Diff.self, Test.self, Repl.self, RulesCommand.self, Serve.self, BenchEngine.self]
    )

    /// Like ArgumentParser's main, but wrong arguments exit with status 2 (documented), not 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success, !ArgumentWords.englishAsked(CommandLine.arguments) {
                // --help: the library's headings and its own option texts in Polish
                let message = fullMessage(for: error)
                if !message.isEmpty { Terminal.stdout(ArgumentWords.polishHelp(message) + "\n") }
                Foundation.exit(ExitStatus.ok)
            }
            if code == .validationFailure {
                let message = fullMessage(for: error)
                Terminal.stderr((ArgumentWords.englishAsked(CommandLine.arguments) ? message : ArgumentWords.polish(message)) + "\n")
                Foundation.exit(ExitStatus.usage)
            }
            exit(withError: error)
        }
    }
}

/// The words of swift-argument-parser's own messages (a wrong option, a missing argument) in Polish,
/// the default language: the library writes them in English. The language is read from the command
/// line as given (`--lang en`), since parsing it is what failed.
enum ArgumentWords {
    static func englishAsked(_ args: [String]) -> Bool {
        for (i, a) in args.enumerated() {
            if a == "--lang=en" || (a == "--lang" && i + 1 < args.count && args[i + 1] == "en") { return true }
        }
        return false
    }

    private static let patterns: [(String, String)] = [
        (#"^Error: "#, "Błąd: "),
        (#"Missing expected argument '([^']*)'"#, "brakuje argumentu '$1'"),
        (#"Unexpected arguments? (.*)$"#, "nieoczekiwany argument $1"),
        (#"Unknown option '([^']*)'"#, "nieznana opcja '$1'"),
        (#"Missing value for '([^']*)'"#, "brakuje wartości dla '$1'"),
        (#"The value '([^']*)' is invalid for '([^']*)'"#, "wartość '$1' jest niepoprawna dla '$2'"),
        (#"\. Please provide one of (.*)\.$"#, ". Podaj jedną z wartości: $1."),
        (#"' and '"#, "' albo '"),
        (#"^Help: "#, "Pomoc: "),
        (#"^Usage: "#, "Użycie: "),
        (#"See '([^']*)' for more information\."#, "Więcej: '$1'."),
        (#"Did you mean '([^']*)'\?"#, "Czy chodziło o '$1'?"),
    ]

    /// The headings and the library's own lines of a help text.
    private static let helpPatterns: [(String, String)] = [
        (#"^OVERVIEW: "#, "OPIS: "),
        (#"^USAGE: "#, "UŻYCIE: "),
        (#"^ARGUMENTS:$"#, "ARGUMENTY:"),
        (#"^OPTIONS:$"#, "OPCJE:"),
        (#"^SUBCOMMANDS:$"#, "POLECENIA:"),
        (#"Show the version\."#, "Pokaż wersję."),
        (#"Show help information\."#, "Pokaż tę pomoc."),
        (#"\(default: "#, "(domyślnie: "),
        (#"\(values: "#, "(wartości: "),
        (#"^  See '([^']*) help <subcommand>' for detailed help\."#, "  Więcej o poleceniu: '$1 help <polecenie>'."),
        (#"<subcommand>"#, "<polecenie>"),
    ]

    /// A help text with the library's headings and lines in Polish.
    static func polishHelp(_ text: String) -> String { replaced(text, helpPatterns) }

    /// The message with the library's English put into Polish, line by line (our own texts stay).
    static func polish(_ message: String) -> String { replaced(message, patterns) }

    private static func replaced(_ text: String, _ patterns: [(String, String)]) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var l = String(line)
            for (pattern, template) in patterns {
                l = l.replacingOccurrences(of: pattern, with: template, options: .regularExpression)
            }
            return l
        }.joined(separator: "\n")
    }
}

/// Exit statuses, documented in the README.
enum ExitStatus {
    /// Every record has a result.
    static let ok: Int32 = 0
    /// Some records were invalid (their error lines are written).
    static let invalidRecords: Int32 = 1
    /// Wrong arguments, or the rules cannot be loaded.
    static let usage: Int32 = 2
    /// Rule tests failed.
    static let testsFailed: Int32 = 1
}

/// Options every subcommand shares.
struct RuleOptions: ParsableArguments {
    @Option(name: .long, help: "Katalog reguł / rules folder.")
    var rules: String = "Rules"

    @Option(name: .customLong("rule"), help: "Tylko ta reguła (można powtarzać) / only this rule (repeatable).")
    var ruleIDs: [String] = []

    @Option(name: .customLong("as-of"), help: "Data oceny RRRR-MM-DD / evaluate as of this date.")
    var asOf: String?

    @Option(name: .long, help: "Język: pl | en / language.")
    var lang: Language = .pl

    @Flag(name: .customLong("skip-broken"),
          help: "Pomiń uszkodzone pliki reguł zamiast przerwać (wyniki je wymieniają) / leave broken rule files out instead of stopping (results name them).")
    var skipBroken = false

    func validate() throws {
        if let asOf, !EvaluationOptions.isDate(asOf) {
            throw ValidationError(lang == .en ? "--as-of: expected a date YYYY-MM-DD that exists, found \(asOf)"
                                              : "--as-of: oczekiwano istniejącej daty RRRR-MM-DD, jest \(asOf)")
        }
    }


    var evaluationOptions: EvaluationOptions {
        EvaluationOptions(asOf: asOf, rules: ruleIDs.isEmpty ? nil : ruleIDs, language: lang)
    }

    /// Loads the engine. A broken ruleset is refused: every problem is listed (file:line:col,
    /// the code underlined, in the chosen language) and the command exits with status 2, so
    /// no output is ever a quiet partial answer. With --skip-broken the broken files are
    /// left out, said so on stderr, and every result names them (`skipped`).
    func loadEngine() -> Engine {
        let pl = lang == .pl
        do {
            let engine = try Engine(rulesDirectory: rules, strict: !skipBroken, language: lang)
            if !engine.diagnostics.isEmpty {
                Terminal.stderr(DiagnosticRenderer.render(engine.diagnostics, color: Terminal.stderrIsTTY, language: lang))
                let files = Set(engine.diagnostics.map(\.file)).sorted()
                Terminal.stderr(pl
                    ? "kryteria: pominięto uszkodzone pliki reguł (--skip-broken): \(files.joined(separator: ", ")); każdy wynik je wymienia.\n"
                    : "kryteria: broken rule files left out (--skip-broken): \(files.joined(separator: ", ")); every result names them.\n")
            }
            if !ruleIDs.isEmpty {
                let known = Set((try? engine.describe().rules.map(\.id)) ?? [])
                for id in ruleIDs where !known.contains(id) {
                    Terminal.stderr(pl
                        ? "kryteria: nieznana reguła: \(id) (reguły: \(known.sorted().joined(separator: ", ")))\n"
                        : "kryteria: unknown rule: \(id) (rules: \(known.sorted().joined(separator: ", ")))\n")
                    Foundation.exit(ExitStatus.usage)
                }
            }
            return engine
        } catch KryteriaError.brokenRuleset(let ds) {
            Terminal.stderr(DiagnosticRenderer.render(ds, color: Terminal.stderrIsTTY, language: lang))
            let files = Set(ds.map(\.file)).count
            Terminal.stderr(pl
                ? "kryteria: reguły w \(rules) są uszkodzone (\(Plural.pl(ds.count, "problem", "problemy", "problemów")) w \(Plural.pl(files, "pliku", "plikach", "plikach"))); nic nie zostało ocenione. Popraw błędy albo pomiń uszkodzone pliki opcją --skip-broken.\n"
                : "kryteria: the rules in \(rules) are broken (\(Plural.en(ds.count, "problem")) in \(Plural.en(files, "file"))); nothing was evaluated. Fix them, or leave the broken files out with --skip-broken.\n")
            Foundation.exit(ExitStatus.usage)
        } catch KryteriaError.rulesNotFound(let dir) {
            Terminal.stderr(pl ? "kryteria: nie ma folderu reguł \(dir) (wskaż go opcją --rules)\n"
                               : "kryteria: rules folder not found: \(dir) (give it with --rules)\n")
            Foundation.exit(ExitStatus.usage)
        } catch {
            Terminal.stderr(pl ? "kryteria: nie można wczytać reguł z \(rules): \(error)\n"
                               : "kryteria: cannot load rules from \(rules): \(error)\n")
            Foundation.exit(ExitStatus.usage)
        }
    }
}

extension Language: ExpressibleByArgument {}
