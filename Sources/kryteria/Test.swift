import ArgumentParser
import Foundation
import Kryteria

struct Test: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Uruchom testy reguł / run the rule tests.",
        discussion: """
        Test cases are JSON files in tests/ folders under DIR (default Rules/): a profile, an as-of date
        and the expected outcomes. Exit status: 0 all pass; 1 some fail; 2 the rules cannot be loaded.
        """
    )

    @Argument(help: "Katalog reguł z testami / rules folder with tests.")
    var directory: String?

    @Option(name: .long, help: "Katalog reguł / rules folder.")
    var rules: String?

    @Option(name: .long, help: "Język: pl | en / language.")
    var lang: Language = .pl

    @Flag(name: .long, help: "Pokaż kryteria bez testu spełnienia lub niespełnienia / list criteria never seen passing or failing.")
    var coverage = false

    func run() throws {
        let dir = directory ?? rules ?? "Rules"
        let engine: Engine
        do { engine = try Engine(rulesDirectory: dir, language: lang) } catch {
            Terminal.stderr(lang == .pl ? "kryteria: nie można wczytać reguł z \(dir):\n" : "kryteria: cannot load rules from \(dir):\n")
            if case KryteriaError.brokenRuleset(let ds) = error {
                Terminal.stderr(DiagnosticRenderer.render(ds, color: Terminal.stderrIsTTY, language: lang))
            } else if case KryteriaError.rulesNotFound = error {
                Terminal.stderr(lang == .pl ? "nie ma takiego folderu\n" : "no such folder\n")
            } else {
                Terminal.stderr("\(error)\n")
            }
            throw ExitCode(ExitStatus.usage)
        }
        let report = RuleTestRunner.run(engine: engine, language: lang)
        let out = TestReportPrinter.render(report, coverage: coverage, color: Terminal.colorStdout, language: lang)
        Terminal.stdout(out)
        if report.failed > 0 { throw ExitCode(ExitStatus.testsFailed) }
    }
}

/// Text of a rule-test run, shared by `kryteria test` and the REPL's `test`.
enum TestReportPrinter {
    static func render(_ report: RuleTestReport, coverage: Bool, color: Bool, language: Language = .pl) -> String {
        let st = Style(color: color)
        let pl = language == .pl
        var out = ""
        for f in report.failures { out += st.red(f.text(language)) }
        if coverage {
            if report.coverageGaps.isEmpty {
                out += st.green(pl ? "pokrycie: każde kryterium było w testach spełnione i niespełnione"
                                   : "coverage: every criterion was seen both passing and failing") + "\n"
            } else {
                out += st.yellow(pl ? "luki w pokryciu (kryterium nigdy nie widziane):" : "coverage gaps (criterion never seen):") + "\n"
                for g in report.coverageGaps {
                    out += "  \(g.rule) \(g.id)  \(g.label)  — " +
                        g.missing.map { $0 == .pass ? (pl ? "nigdy spełnione" : "never passing") : (pl ? "nigdy niespełnione" : "never failing") }
                        .joined(separator: ", ") + "\n"
                }
            }
        }
        if pl {
            out += "testy: " + Plural.pl(report.passed, "zaliczony", "zaliczone", "zaliczonych") + ", "
                + Plural.pl(report.failed, "niezaliczony", "niezaliczone", "niezaliczonych") + "\n"
        } else {
            out += "tests: \(report.passed) passed, \(report.failed) failed\n"
        }
        return out
    }
}
