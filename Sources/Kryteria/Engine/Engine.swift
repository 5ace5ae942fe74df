import Foundation
import LuaBridge

/// Options of one evaluation.
public struct EvaluationOptions: Sendable, Equatable {
    /// A real calendar date in the form YYYY-MM-DD (2025-02-30 is not one).
    public static func isDate(_ s: String) -> Bool {
        guard s.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil else { return false }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        f.isLenient = false
        return f.date(from: s).map { f.string(from: $0) == s } ?? false
    }


    /// Evaluate as of this date (YYYY-MM-DD); nil: the profile's own `as_of`
    /// (`submitted_on` for applications), else today.
    public var asOf: String?
    /// Only these rules; nil: every rule that applies to the profile's kind.
    public var rules: [String]?
    public var language: Language

    public init(asOf: String? = nil, rules: [String]? = nil, language: Language = .pl) {
        self.asOf = asOf
        self.rules = rules
        self.language = language
    }

    /// The options as the JSON the prelude reads, with an optional input line number.
    public func json(line: Int? = nil) -> [UInt8] {
        var s = "{\"lang\":\"\(language.rawValue)\""
        if let asOf { s += ",\"as_of\":" + JSONText.quote(asOf) }
        if let rules { s += ",\"rules\":[" + rules.map(JSONText.quote).joined(separator: ",") + "]" }
        if let line { s += ",\"line\":\(line)" }
        return Array((s + "}").utf8)
    }
}

/// Limits of the sandbox, per Lua state and per rule evaluation.
public typealias Limits = LuaLimits

/// The rules engine: a ruleset loaded from a folder, evaluated in sandboxed Lua states.
///
/// Safe to use from many threads at once: each thread in use borrows a Lua state of its
/// own from a pool. `reload()` swaps the ruleset atomically.
public final class Engine: @unchecked Sendable {
    private let lock = NSLock()
    private var source: RulesetSource
    private var generation = 0
    private var pool: [Runtime] = []
    private var loadDiagnostics: [Diagnostic]
    public let limits: Limits
    private let rulesPath: String
    private let today: String
    /// The language load-time problems are worded in.
    public let language: Language

    /// Loads the ruleset in `rulesDirectory`.
    /// - Parameter strict: when true (the default) any broken file throws
    ///   `KryteriaError.brokenRuleset` with every problem; when false broken files are
    ///   skipped and listed in `diagnostics`.
    public init(rulesDirectory: String, limits: Limits = Limits(), strict: Bool = true, today: String? = nil,
                language: Language = .pl) throws {
        rulesPath = rulesDirectory
        self.language = language
        self.limits = limits
        self.today = today ?? Engine.isoToday()
        source = try RulesetSource(directory: rulesDirectory)
        let first = try Runtime(source: source, limits: limits, generation: 0, today: self.today, language: language)
        if strict && !first.diagnostics.isEmpty { throw KryteriaError.brokenRuleset(first.diagnostics) }
        loadDiagnostics = first.diagnostics
        vocab = Vocabulary(schemas: source.schemaFiles.map(\.contents))
        pool.append(first)
    }

    /// Problems of files that were skipped when the ruleset loaded (non-strict mode).
    public var diagnostics: [Diagnostic] { lock.withLock { loadDiagnostics } }

    /// The words of the contract (labels, questions) from the ruleset's schemas.
    public var vocabulary: Vocabulary { lock.withLock { vocab } }
    private var vocab: Vocabulary

    /// The content hash of the ruleset in use.
    public var rulesetHash: String { lock.withLock { source.hash } }

    /// The folder the rules come from.
    public var rulesDirectory: String { rulesPath }

    /// Reads the rules folder again. If every file loads, the new ruleset replaces the old
    /// one for all later evaluations and the result is empty; otherwise the old ruleset
    /// stays in use and the problems are returned.
    @discardableResult
    public func reload() -> [Diagnostic] {
        let newSource: RulesetSource
        do { newSource = try RulesetSource(directory: rulesPath) } catch {
            return [Diagnostic(file: rulesPath, line: nil, message: "\(error)")]
        }
        let gen = lock.withLock { generation + 1 }
        let rt: Runtime
        do { rt = try Runtime(source: newSource, limits: limits, generation: gen, today: today, language: language) } catch {
            return [Diagnostic(file: rulesPath, line: nil, message: "\(error)")]
        }
        if !rt.diagnostics.isEmpty { return rt.diagnostics }
        lock.withLock {
            source = newSource
            vocab = Vocabulary(schemas: newSource.schemaFiles.map(\.contents))
            generation = gen
            loadDiagnostics = []
            pool = [rt]
        }
        return []
    }

    /// Runs `body` with a Lua state of the current ruleset, borrowed for the duration.
    public func withRuntime<R>(_ body: (Runtime) throws -> R) throws -> R {
        let rt = try checkout()
        defer { checkin(rt) }
        return try body(rt)
    }

    private func checkout() throws -> Runtime {
        let (cached, src, gen) = lock.withLock { () -> (Runtime?, RulesetSource, Int) in
            (pool.popLast(), source, generation)
        }
        if let cached { return cached }
        return try Runtime(source: src, limits: limits, generation: gen, today: today, language: language)
    }

    private func checkin(_ rt: Runtime) {
        lock.withLock {
            // a state where a rule hit the memory cap is dropped: the next record gets a fresh one
            if rt.generation == generation && pool.count < 64 && !rt.vm.isTainted { pool.append(rt) }
        }
    }

    /// Evaluates a profile (JSON) and returns the typed result.
    /// Throws `KryteriaError.malformedJSON` or `.invalidProfile` for bad input.
    public func evaluate(_ profile: Profile, options: EvaluationOptions = EvaluationOptions()) throws -> Evaluation {
        let bytes = try evaluateJSON(profile.json, options: options)
        let ev = try JSONDecoder().decode(Evaluation.self, from: Data(bytes))
        if let err = ev.error {
            if err.code == "invalid_profile" {
                throw KryteriaError.invalidProfile(message: err.message, problems: err.problems ?? [])
            }
            throw KryteriaError.invalidOption(err.message)
        }
        return ev
    }

    /// Evaluates a profile (JSON) with the given rules, as-of date and language.
    public func evaluate(_ profile: Profile, rules: [String]? = nil, asOf: String? = nil, language: Language = .pl) throws -> Evaluation {
        try evaluate(profile, options: EvaluationOptions(asOf: asOf, rules: rules, language: language))
    }

    /// Evaluates a profile and returns the result JSON of the contract as bytes: an
    /// evaluation, or for an invalid profile an object with `error`. Throws only for
    /// malformed JSON or an engine failure.
    public func evaluateJSON(_ json: [UInt8], options: EvaluationOptions = EvaluationOptions(), line: Int? = nil) throws -> [UInt8] {
        let opts = options.json(line: nil)   // (the line apart: the same options are decoded once per state)
        return try withRuntime { rt in
            try json.withUnsafeBytes { p in
                try opts.withUnsafeBytes { o in
                    do {
                        return try rt.evaluate(json: p, options: o, line: line) { out, _ in Array(out) }
                    } catch let e as LuaFailure {
                        if e.kind == .malformedJSON { throw KryteriaError.malformedJSON(e.message(polish: options.language == .pl)) }
                        throw KryteriaError.internalFailure(e.message)
                    }
                }
            }
        }
    }

    /// Where and why `json` is not JSON, as the engine's reader says it ("wiersz L, kolumna C: …",
    /// English for `language: .en`); nil when it is JSON. For text another parser refused (a file
    /// the REPL loads, a rule test case, a what-if request), so the user reads the same words.
    public func syntaxError(of json: [UInt8], language: Language) -> String? {
        do { _ = try evaluateJSON(json, options: EvaluationOptions(language: language)) } catch KryteriaError.malformedJSON(let m) {
            return m
        } catch {}
        return nil
    }

    /// The rules, criteria, parameters and profile kinds of the ruleset in use; a criterion's label
    /// that names a parameter is filled with the value in force on `asOf` (YYYY-MM-DD, default: today).
    public func describe(asOf: String? = nil) throws -> RulesetDescription {
        try withRuntime { try $0.describe(asOf: asOf) }
    }

    /// Today's date in Poland, YYYY-MM-DD: the as-of date when nothing else gives one.
    public static func isoToday() -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "Europe/Warsaw")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: Date())
    }
}

/// A profile to evaluate: JSON text of a person, enterprise or application.
public struct Profile: Sendable {
    public var json: [UInt8]

    public init(json: [UInt8]) { self.json = json }
    public init(json: String) { self.json = Array(json.utf8) }
    public init(data: Data) { self.json = Array(data) }
    /// Reads a profile from a JSON file.
    public init(contentsOfFile path: String) throws {
        json = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }
    /// Encodes any Encodable value (a struct of the caller's) as the profile.
    public init<T: Encodable>(encoding value: T) throws {
        json = Array(try JSONEncoder().encode(value))
    }
}

/// Small JSON text helpers for the hot path (no Foundation encoder).
public enum JSONText {
    /// A JSON string literal for `s`.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
