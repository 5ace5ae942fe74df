import Foundation
import Kryteria

/// The ruleset in use: an engine (nil while no valid ruleset is loaded) and its description.
/// A reload swaps both at once; requests in flight keep the Lua state they borrowed.
final class RulesetHolder: @unchecked Sendable {
    struct Info: Sendable {
        var hash: String
        var description: RulesetDescription
    }

    let directory: String
    let limits: Limits
    private let lock = NSLock()
    private let reloadLock = NSLock()
    private var engine: Engine?
    private var info: Info?
    private(set) var problems: [Diagnostic] = []
    /// The same problems in English (the engine words them in Polish; a request may ask for English).
    private(set) var problemsEn: [Diagnostic] = []

    init(directory: String, limits: Limits) {
        self.directory = directory
        self.limits = limits
        _ = reload()
    }

    /// The engine and its description; nil while no valid ruleset is loaded.
    func current() -> (Engine, Info)? {
        lock.withLock { engine.flatMap { e in info.map { (e, $0) } } }
    }

    var lastProblems: [Diagnostic] { lock.withLock { problems } }
    func lastProblems(_ lang: Language) -> [Diagnostic] { lock.withLock { lang == .en && !problemsEn.isEmpty ? problemsEn : problems } }

    /// Reads the folder again: on success the new ruleset replaces the old one; on failure
    /// the old one stays and the problems are returned.
    func reload() -> Result<Info, ProblemList> {
        reloadLock.lock()
        defer { reloadLock.unlock() }
        let existing = lock.withLock { engine }
        do {
            let e: Engine
            if let existing {
                let diags = existing.reload()
                if !diags.isEmpty { throw KryteriaError.brokenRuleset(diags) }
                e = existing
            } else {
                e = try Engine(rulesDirectory: directory, limits: limits, strict: true)
            }
            let d = try e.describe()
            let i = Info(hash: e.rulesetHash, description: d)
            lock.withLock {
                engine = e
                info = i
                problems = []
            }
            return .success(i)
        } catch {
            var diags: [Diagnostic]
            if case KryteriaError.brokenRuleset(let d) = error { diags = d } else {
                diags = [Diagnostic(file: directory, line: nil, message: "\(error)")]
            }
            if diags.isEmpty { diags = [Diagnostic(file: directory, line: nil, message: "\(error)")] }
            // read once more for the English words of the same problems (a failed reload is rare;
            // the folder may have changed in between: then the Polish list is what there is)
            var en: [Diagnostic] = []
            do { _ = try Engine(rulesDirectory: directory, limits: limits, strict: true, language: .en) } catch {
                if case KryteriaError.brokenRuleset(let d) = error, d.count == diags.count { en = d }
            }
            let list = diags, listEn = en
            lock.withLock { problems = list; problemsEn = listEn }
            return .failure(ProblemList(diagnostics: list, english: listEn))
        }
    }
}

struct ProblemList: Error {
    var diagnostics: [Diagnostic]
    var english: [Diagnostic] = []
    /// The problems in the language of a request.
    func words(_ lang: Language) -> [Diagnostic] { lang == .en && !english.isEmpty ? english : diagnostics }
}
