import ArgumentParser
import Foundation
import Kryteria

struct Repl: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Interaktywna sesja: profil, ocena, wyjaśnienia / interactive session: profile, evaluation, explanations.",
        discussion: """
        Polecenia / commands: load, new, set, unset, show, check, why, missing, whatif, asof, lang, rules,
        reload, test, save, help, quit. Wszystko inne to wyrażenie Lua z profilem jako `p` /
        anything else is a Lua expression with the profile as `p`.
        Historia / history: ~/.kryteria_history (KRYTERIA_HISTORY). Gdy wejście nie jest terminalem, linie są
        czytane bez edycji i bez znaku zachęty / when stdin is not a terminal, lines are read plainly, without
        a prompt: printf 'load x.json\\ncheck\\n' | kryteria repl
        Exit status: 0; in a script (stdin not a terminal) 1 when some command failed; 2 no rules.
        """
    )

    @OptionGroup var options: RuleOptions

    @Argument(help: "Profil do wczytania / a profile to load (JSON).")
    var profile: String?

    func run() throws {
        let engine = options.loadEngine()
        let interactive = isatty(0) == 1
        let session = ReplSession(engine: engine, lang: options.lang, asOf: options.asOf, rules: options.ruleIDs,
                                  color: interactive && Terminal.colorStdout)
        let lines: ReplLineSource
        if interactive {
            Terminal.stdout(session.banner)
            lines = ReplEditLines(session: session, historyPath: replHistoryPath())
        } else {
            lines = ReplPlainLines()
        }
        if let profile { session.load([profile]) }
        while let line = lines.next(prompt: session.prompt) {
            if !session.handle(line) { break }
        }
        lines.close()
        if !interactive && session.failed { throw ExitCode(1) }
    }
}
