import Foundation
import LuaBridge

/// One Lua state with the prelude and a ruleset loaded. Used by one thread at a time.
public final class Runtime {
    private(set) var vm: LuaVM
    private let limits: LuaLimits
    private let today: String
    private let extraTrusted: String?
    private let language: Language
    /// The ruleset this runtime was built from.
    public let source: RulesetSource
    /// Files that failed to load (skipped).
    public let diagnostics: [Diagnostic]
    let generation: Int

    /// The Lua prelude: the parts in `Runtime/Prelude/*.lua`, joined in file-name order into
    /// one chunk (a local of an earlier part is in scope in the later ones).
    public static let preludeSource: String = {
        guard let dir = Bundle.module.url(forResource: "Prelude", withExtension: nil),
              let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else {
            fatalError("Kryteria: the Lua prelude is missing from the bundle")
        }
        return names.filter { $0.hasSuffix(".lua") }.sorted().map { name in
            (try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)) ?? ""
        }.joined(separator: "\n")
    }()

    /// What a rule file may not reach even from trusted globals once loading is done.
    static let lockdown = """
    debug = nil; dofile = nil; loadfile = nil; collectgarbage = nil; require = nil
    package = nil; io = nil; os = nil; load = nil; KR_GUARD = nil; KR_STATIC_ORDER = nil
    KR_FUSE = nil; KR_PREVALID = nil; KR_RESULT_MAKER = nil
    """

    init(source: RulesetSource, limits: LuaLimits, generation: Int, today: String, extraTrusted: String? = nil,
         language: Language = .pl) throws {
        self.source = source
        self.language = language
        self.generation = generation
        self.limits = limits
        self.today = today
        self.extraTrusted = extraTrusted
        (vm, diagnostics) = try Runtime.boot(source: source, limits: limits, today: today, extraTrusted: extraTrusted, language: language)
    }

    /// A rule hit the memory cap in this state: whatever it left behind must not reach the
    /// next record, so the state is replaced by a fresh one of the same ruleset.
    func renewIfTainted() {
        guard vm.isTainted,
              let fresh = try? Runtime.boot(source: source, limits: limits, today: today, extraTrusted: extraTrusted, language: language)
        else { return }
        vm = fresh.0
    }

    /// A new Lua state with the prelude and the ruleset loaded, and the problems of the files that did not load.
    private static func boot(source: RulesetSource, limits: LuaLimits, today: String,
                             extraTrusted: String?, language: Language) throws -> (LuaVM, [Diagnostic]) {
        let vm = try LuaVM(limits: limits)
        try vm.runTrusted(Runtime.preludeSource, chunkName: "=prelude")
        try vm.runTrusted(Runtime.lockdown, chunkName: "=lockdown")
        if let extraTrusted { try vm.runTrusted(extraTrusted, chunkName: "=extra") }
        // problems found while loading are worded in the user's language
        _ = try vm.call("configure", [.json(Array("{\"lang\":\"\(language.rawValue)\"}".utf8))])
        var diags: [Diagnostic] = source.unreadable
        for f in source.schemaFiles {
            let name = (f.relativePath as NSString).lastPathComponent
            do {
                _ = try vm.call("add_schema", [.string(name), .json(Array(f.contents.utf8))])
            } catch let e as LuaFailure {
                if e.kind == .malformedJSON, let p = JSONSyntaxPlace(e.message(polish: language == .pl)) {
                    // broken JSON: the file's line, and the column and what is wrong in the user's language
                    let column = language == .en ? "column \(p.column): " : "kolumna \(p.column): "
                    diags.append(Diagnostic(file: f.displayPath, line: p.line, message: column + p.text))
                } else {
                    diags.append(Diagnostic(luaMessage: e.message, fallbackFile: f.displayPath))
                }
            }
        }
        // what a schema must not say though JSON can ($ref to nothing, an unknown type): placed at the
        // first line of the file that holds the value
        if let (json, _) = try? vm.call("check_schemas", []),
           let found = try? JSONSerialization.jsonObject(with: Data(json)) as? [String] {
            for p in found {
                let parts = p.split(separator: "\t", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 4 else { continue }
                let file = source.schemaFiles.first { ($0.relativePath as NSString).lastPathComponent == parts[0] }
                var line: Int?
                if let text = file?.contents, let r = text.range(of: parts[2]) {
                    line = text[..<r.lowerBound].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
                }
                diags.append(Diagnostic(file: file?.displayPath ?? parts[0], line: line, message: parts[1] + ": " + parts[3]))
            }
        }
        if !diags.isEmpty {
            // a rule's field is not checked against schemas that did not load (each would be a
            // problem of its own, caused by the schema's)
            _ = try vm.call("configure", [.json(Array("{\"schemas_broken\":true}".utf8))])
        }
        for f in source.luaFiles {
            do {
                let (json, _) = try vm.call("load_file", [.string(f.contents), .string(f.displayPath)])
                if let obj = try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any],
                   obj["ok"] as? Bool == false {
                    let problems = obj["problems"] as? [String] ?? [obj["error"] as? String ?? "cannot load"]
                    for p in problems { diags.append(Diagnostic(luaMessage: p, fallbackFile: f.displayPath)) }
                }
            } catch let e as LuaFailure {
                diags.append(Diagnostic(luaMessage: e.message, fallbackFile: f.displayPath))
            }
        }
        var real: [String: String] = [:]
        for f in source.luaFiles + source.schemaFiles {
            real[f.displayPath] = source.directory.appendingPathComponent(f.relativePath).path
        }
        for i in diags.indices { diags[i].sourcePath = real[diags[i].file] }
        let brokenFiles = Array(Set(diags.map(\.file))).sorted()
        let brokenJSON = "[" + brokenFiles.map { JSONText.quote($0) }.joined(separator: ",") + "]"
        let finished = try vm.call("finish_loading", [.json(Array(brokenJSON.utf8))]).json
        if let obj = try? JSONSerialization.jsonObject(with: Data(finished)) as? [String: Any],
           let problems = obj["problems"] as? [String] {
            for p in problems {
                var d = Diagnostic(luaMessage: p, fallbackFile: source.directory.path)
                d.sourcePath = real[d.file]
                diags.append(d)
            }
        }
        // files left out (only possible when the caller chose to skip broken files) are named in every result
        let skipped = Array(Set(diags.map(\.file))).sorted()
        let cfg = "{\"ruleset\":\"\(source.hash)\",\"today\":\"\(today)\",\"skipped\":["
            + skipped.map { JSONText.quote($0) }.joined(separator: ",") + "]}"
        _ = try vm.call("configure", [.json(Array(cfg.utf8))])
        return (vm, diags)
    }

    /// Evaluates one profile given as JSON bytes; `body` receives the result JSON
    /// and whether the profile was rejected (invalid). Throws only for malformed JSON
    /// or an engine failure. `line`: the record's input line (a batch), written first in the
    /// result; given apart from the options, which a batch then sends alike with every record
    /// and the state decodes once.
    public func evaluate<R>(json: UnsafeRawBufferPointer, options: UnsafeRawBufferPointer, line: Int? = nil,
                            _ body: (UnsafeRawBufferPointer, Bool) throws -> R) throws -> R {
        defer { renewIfTainted() }
        return try vm.call2("evaluate", json, options, profile: true, line: line, body)
    }

    /// A runtime of its own (not from an engine's pool) whose state also runs `extraTrusted`,
    /// trusted Lua that may add functions to `__kr`. For `kryteria bench-engine`.
    @_spi(Benchmark)
    public static func standalone(rulesDirectory: String, limits: LuaLimits, today: String,
                                  extraTrusted: String) throws -> Runtime {
        try Runtime(source: RulesetSource(directory: rulesDirectory), limits: limits, generation: -1,
                    today: today, extraTrusted: extraTrusted)
    }

    /// Calls `__kr[function]`; `body` reads the result JSON. For `kryteria bench-engine`.
    @_spi(Benchmark)
    public func call<R>(_ function: String, _ args: [LuaArgument],
                        _ body: (UnsafeRawBufferPointer, Bool) throws -> R) throws -> R {
        try vm.call(function, args, body)
    }

    /// Calls a prelude function with JSON arguments and returns its JSON result.
    func call(_ function: String, _ args: [LuaArgument]) throws -> [UInt8] {
        try vm.call(function, args).json
    }

    /// Per-rule outcome counts since the last call, then resets them.
    public func takeStats() -> BatchStats {
        guard let json = try? call("stats", []),
              let stats = try? JSONDecoder().decode(BatchStats.self, from: Data(json)) else {
            return BatchStats()
        }
        return stats
    }

    /// Evaluates a Lua expression in the sandbox with `profile` in scope (the REPL).
    public func evalExpression(_ source: String, profileJSON: [UInt8], asOf: String?, language: Language) -> (ok: Bool, text: String) {
        var opts: [String: String] = ["lang": language.rawValue]
        if let asOf { opts["as_of"] = asOf }
        let optsJSON = (try? JSONSerialization.data(withJSONObject: opts)) ?? Data("{}".utf8)
        do {
            let json = try call("repl_eval", [.string(source), .json(profileJSON), .json(Array(optsJSON))])
            let obj = try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any] ?? [:]
            if obj["ok"] as? Bool == true { return (true, obj["value"] as? String ?? "nil") }
            return (false, obj["error"] as? String ?? "error")
        } catch {
            return (false, "\(error)")
        }
    }

    /// Schema problems of a profile (empty when valid).
    public func validate(profileJSON: [UInt8], language: Language) throws -> [Problem] {
        try validate(profileJSON: profileJSON, language: language, slowPathOnly: false)
    }

    /// With `slowPathOnly` the C fast path is skipped (tests compare the two).
    func validate(profileJSON: [UInt8], language: Language, slowPathOnly: Bool) throws -> [Problem] {
        try validate(profileJSON: profileJSON, language: language, only: slowPathOnly ? "slow" : nil)
    }

    /// The C fast path's own answer, without the slow path behind it (tests compare the two).
    func fastPathAccepts(profileJSON: [UInt8]) throws -> Bool {
        try validate(profileJSON: profileJSON, language: .en, only: "fast").isEmpty
    }

    private func validate(profileJSON: [UInt8], language: Language, only: String?) throws -> [Problem] {
        let opts = "{\"lang\":\"\(language.rawValue)\"" + (only.map { ",\"only\":\"\($0)\"}" } ?? "}")
        let json = try call("validate", [.json(profileJSON), .json(Array(opts.utf8))])
        return try JSONDecoder().decode([Problem].self, from: Data(json))
    }

    /// The ruleset as data; labels with parameters filled on `asOf` (default: today).
    func describe(asOf: String? = nil) throws -> RulesetDescription {
        try JSONDecoder().decode(RulesetDescription.self, from: Data(call("describe", asOf.map { [.string($0)] } ?? [])))
    }
}

/// Outcome counts of a batch, per rule.
public struct BatchStats: Codable, Sendable {
    public var records = 0
    public var invalid = 0
    public var rules: [String: [String: Int]] = [:]

    public init() {}

    public mutating func merge(_ o: BatchStats) {
        records += o.records
        invalid += o.invalid
        for (rule, counts) in o.rules {
            for (k, v) in counts { rules[rule, default: [:]][k, default: 0] += v }
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        records = try c.decodeIfPresent(Int.self, forKey: .records) ?? 0
        invalid = try c.decodeIfPresent(Int.self, forKey: .invalid) ?? 0
        // an empty Lua table encodes as [] or {}
        rules = (try? c.decodeIfPresent([String: [String: Int]].self, forKey: .rules)) ?? [:]
    }
}

/// The ruleset as data: rules with their criteria, parameters, profile kinds.
public struct RulesetDescription: Codable, Sendable {
    /// A criterion of a rule: id, labels, legal basis and where it is declared.
    public struct Criterion: Codable, Sendable {
        public var id: String
        public var label: String
        public var labelEn: String
        public var legalBasis: String
        public var at: String?
        enum CodingKeys: String, CodingKey {
            case id, label, at
            case labelEn = "label_en"
            case legalBasis = "legal_basis"
        }
    }
    /// A rule: id, the profile kind it applies to, titles, legal basis, its criteria.
    public struct Rule: Codable, Sendable {
        public var id: String
        public var appliesTo: String
        public var title: String
        public var titleEn: String
        public var legalBasis: String
        public var file: String?
        public var example: Bool?
        public var programs: [String]?
        /// A scoring sheet: it adds up points and never makes a case ineligible.
        public var scoring: Bool?
        public var criteria: [Criterion]
        enum CodingKeys: String, CodingKey {
            case id, title, file, example, programs, scoring, criteria
            case appliesTo = "applies_to"
            case titleEn = "title_en"
            case legalBasis = "legal_basis"
        }
    }
    /// A parameter and its dated values.
    public struct Parameter: Codable, Sendable {
        /// One value and the dates it applies from (and until).
        public struct Value: Codable, Sendable {
            public var from: String
            public var until: String?
            /// The value as written: a number, true/false, or text.
            public var value: String
            /// The value's own source when it is not the parameter's (a centre's override, a new regulation).
            public var basis: String?
            /// "M": unverified (the value's or the parameter's own mark); "C": confirmed.
            public var confidence: String?
            public var note: String?
            /// Where a centre's override set this value (file:line).
            public var overriddenAt: String?
            /// Marked unverified: confidence "M", or a basis that says so.
            public var unverified: Bool { confidence == "M" }

            enum CodingKeys: String, CodingKey {
                case from, until, value, basis, confidence, note
                case overriddenAt = "overridden_at"
            }

            public init(from decoder: Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                from = try c.decode(String.self, forKey: .from)
                until = try c.decodeIfPresent(String.self, forKey: .until)
                basis = try c.decodeIfPresent(String.self, forKey: .basis)
                confidence = try c.decodeIfPresent(String.self, forKey: .confidence)
                note = try c.decodeIfPresent(String.self, forKey: .note)
                overriddenAt = try c.decodeIfPresent(String.self, forKey: .overriddenAt)
                if let d = try? c.decode(Double.self, forKey: .value) {
                    value = d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
                } else if let b = try? c.decode(Bool.self, forKey: .value) {
                    value = String(b)
                } else if let t = try? c.decode(String.self, forKey: .value) {
                    value = t
                } else {
                    value = "…"
                }
            }
        }
        /// The values of one regional programme (param_for), apart from the default ones.
        public struct Programme: Codable, Sendable {
            public var programme: String
            public var values: [Value]
        }
        public var name: String
        /// What the parameter is, in words (its `pl` / `en` in the rule file).
        public var label: String?
        public var labelEn: String?
        public var unit: String?
        public var basis: String
        public var confidence: String?
        public var values: [Value]
        public var programmes: [Programme]?

        enum CodingKeys: String, CodingKey {
            case name, label, unit, basis, confidence, values, programmes
            case labelEn = "label_en"
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            label = try c.decodeIfPresent(String.self, forKey: .label)
            labelEn = try c.decodeIfPresent(String.self, forKey: .labelEn)
            unit = try c.decodeIfPresent(String.self, forKey: .unit)
            basis = try c.decode(String.self, forKey: .basis)
            confidence = try c.decodeIfPresent(String.self, forKey: .confidence)
            // an empty Lua table encodes as [] or {}
            values = (try? c.decode([Value].self, forKey: .values)) ?? []
            programmes = try? c.decodeIfPresent([Programme].self, forKey: .programmes)
        }

        /// The words of the parameter in a language, else its name.
        public func words(_ en: Bool) -> String { (en ? labelEn ?? label : label) ?? name }
        /// The value's source: its own, else the parameter's.
        public func basis(of v: Value) -> String { v.basis ?? basis }
        /// Unverified: the value or the parameter is marked "M", or the basis says so.
        public func unverified(_ v: Value) -> Bool {
            v.unverified || confidence == "M" || Parameter.saysUnverified(basis(of: v))
        }
        /// A basis text that says the value is not verified ("niezweryfikowan…", "unverified").
        public static func saysUnverified(_ s: String) -> Bool {
            let l = s.lowercased()
            return l.contains("niezweryfikowan") || l.contains("unverified")
        }
    }
    public var rules: [Rule]
    public var parameters: [Parameter]
    public var kinds: [String]

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rules = (try? c.decode([Rule].self, forKey: .rules)) ?? []
        parameters = (try? c.decode([Parameter].self, forKey: .parameters)) ?? []
        kinds = (try? c.decode([String].self, forKey: .kinds)) ?? []
    }
}
