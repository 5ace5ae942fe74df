import ArgumentParser
import Foundation
import Kryteria
import KryteriaServer
import KryteriaDocuments

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Usługa HTTP dla formularzy i innych systemów / the engine as an HTTP service.",
        discussion: """
        Routes: GET /health, POST /v1/evaluate, POST /v1/batch, POST /v1/whatif, GET /v1/rules, \
        GET /v1/rules/{id}, GET /v1/schemas/{kind}, POST /v1/reload, GET /openapi.json, GET /metrics. \
        SIGHUP reloads the rules; SIGTERM or Ctrl-C stops after the requests in flight. \
        Once listening, prints "kryteria serve: listening on http://HOST:PORT" on stdout.
        Exit status: 0 stopped by a signal; 2 wrong arguments or the address cannot be bound.
        """
    )

    @Option(name: .long, help: "Katalog reguł / rules folder.")
    var rules: String = "Rules"

    @Option(name: .long, help: "Adres nasłuchu / address to listen on.")
    var host: String = "127.0.0.1"

    @Option(name: .long, help: "Port (0: dowolny wolny) / port (0: any free port).")
    var port: Int = 8080

    @Option(name: .customLong("token-file"), help: "Plik z tokenem dla POST /v1/reload / file holding the token POST /v1/reload needs.")
    var tokenFile: String?

    @Option(name: .long, help: "Wątki oceny (domyślnie: wszystkie rdzenie) / evaluation threads (default: all cores).")
    var jobs: Int?

    @Option(name: .customLong("max-body"), help: "Największa treść żądania w bajtach / largest request body in bytes (evaluate, whatif).")
    var maxBody: Int = 1 << 20

    @Option(name: .long, help: "Dozwolone źródło CORS / allowed CORS origin (default: CORS off).")
    var cors: String?

    @Option(name: .customLong("decision-log"), help: "Dziennik decyzji (JSON Lines, bez danych osobowych) / decision log.")
    var decisionLog: String?

    @Option(name: .long, help: "Język komunikatów w terminalu: pl | en (odpowiedzi HTTP: parametr lang lub Accept-Language) / language of the messages on the terminal.")
    var lang: Language = .pl

    @Option(name: .long, help: .hidden)
    var queue: Int = 1024

    private func t(_ pl: String, _ en: String) -> String { lang == .en ? en : pl }

    func validate() throws {
        guard (0...65535).contains(port) else {
            throw ValidationError(t("--port: oczekiwano liczby 0…65535, jest \(port)", "--port: expected 0…65535, found \(port)"))
        }
        if let jobs, !(1...256).contains(jobs) {
            throw ValidationError(t("--jobs: oczekiwano liczby 1…256, jest \(jobs)", "--jobs: expected 1…256, found \(jobs)"))
        }
        guard maxBody >= 1 else { throw ValidationError(t("--max-body musi być dodatnie", "--max-body must be positive")) }
        guard queue >= 1 else { throw ValidationError(t("--queue musi być dodatnie", "--queue must be positive")) }
    }

    func run() throws {
        var config = ServerConfiguration()
        config.rulesDirectory = rules
        config.host = host
        config.port = port
        config.jobs = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        config.maxBody = maxBody
        config.queueCapacity = queue
        config.corsOrigin = cors
        config.decisionLog = decisionLog
        if let tokenFile {
            let text: String
            do {
                text = try String(contentsOfFile: tokenFile, encoding: .utf8)
            } catch {
                Terminal.stderr("kryteria serve: " + t("nie można odczytać --token-file \(tokenFile): ", "cannot read --token-file \(tokenFile): ")
                                + SystemText.error(error, lang) + "\n")
                throw ExitCode(ExitStatus.usage)
            }
            let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else {
                Terminal.stderr("kryteria serve: " + t("plik --token-file \(tokenFile) jest pusty", "--token-file \(tokenFile) is empty") + "\n")
                throw ExitCode(ExitStatus.usage)
            }
            config.token = token
        }
        if let decisionLog {
            // its folder made as batch makes the folder of -o; a file that cannot be written is said
            // here, with the system's reason, before anything listens
            BatchDocuments.makeFolder(of: decisionLog)
            let fd = open(decisionLog, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            if fd < 0 {
                Terminal.stderr("kryteria serve: " + t("nie można zapisać --decision-log \(decisionLog): ", "cannot write --decision-log \(decisionLog): ")
                                + SystemText.error(errno, lang) + "\n")
                throw ExitCode(ExitStatus.usage)
            }
            close(fd)
        }
        // The decision sheet for POST /v1/evaluate?format=html, with the words of the ruleset the
        // result came from (loaded once per ruleset hash: a reload brings its own vocabulary).
        let sheets = SheetContexts(rulesDirectory: rules)
        ServerHooks.decisionSheet = { json, profile, lang in
            let ev = try JSONDecoder().decode(Evaluation.self, from: Data(json))
            // the applicant's name, as `check --format html` shows it
            return Array(DecisionSheet.render(ev, name: ProfileRecord.name(of: profile),
                                              context: sheets.context(ruleset: ev.ruleset, lang: lang)).utf8)
        }
        config.onListening = { host, port in
            Terminal.stdout("kryteria serve: listening on http://\(host):\(port)\n")
        }
        final class Box: @unchecked Sendable { var error: Error? }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let cfg = config
        Task.detached {
            do { try await KryteriaHTTPServer.run(cfg) } catch { box.error = error }
            done.signal()
        }
        done.wait()
        if let error = box.error {
            let why = (error as? ServerStartError)?.message(lang) ?? "\(error)"
            Terminal.stderr("kryteria serve: \(why)\n")
            throw ExitCode(ExitStatus.usage)
        }
    }
}

/// Decision-sheet contexts per ruleset hash: the rules' description and vocabulary, loaded once.
final class SheetContexts: @unchecked Sendable {
    private let lock = NSLock()
    private let rulesDirectory: String
    private var cached: (hash: String, description: RulesetDescription?, vocabulary: Vocabulary)?

    init(rulesDirectory: String) { self.rulesDirectory = rulesDirectory }

    func context(ruleset: String, lang: Language) -> DecisionSheet.Context {
        let entry: (description: RulesetDescription?, vocabulary: Vocabulary) = lock.withLock {
            if let c = cached, c.hash == ruleset { return (c.description, c.vocabulary) }
            let engine = try? Engine(rulesDirectory: rulesDirectory, language: lang)
            let v = engine?.vocabulary ?? Vocabulary()
            let d = try? engine?.describe()
            cached = (ruleset, d, v)
            return (d, v)
        }
        return DecisionSheet.Context(lang: lang, kryteriaVersion: KryteriaCommand.configuration.version,
                                     rulesDirectory: rulesDirectory, description: entry.description,
                                     vocabulary: entry.vocabulary)
    }
}
