/// The outcome of a rule for a profile.
public enum RuleOutcome: String, Codable, Sendable, CaseIterable {
    case eligible, ineligible, undetermined
}

/// The outcome of one criterion.
public enum CriterionOutcome: String, Codable, Sendable, CaseIterable {
    case pass, fail, unknown, error
    case notApplicable = "not_applicable"
}

/// Language of reasons and labels.
public enum Language: String, Codable, Sendable, CaseIterable {
    case pl, en
}

/// One criterion of one rule, as evaluated.
public struct CriterionResult: Codable, Sendable, Equatable {
    public var id: String
    public var label: String
    public var outcome: CriterionOutcome
    /// Why, in the chosen language, quoting the values used.
    public var reason: String?
    public var legalBasis: String
    /// Profile paths whose absence left the criterion unknown.
    public var missing: [String]
    /// Points this criterion adds to the rule's score.
    public var points: Double?
    /// An assumption the criterion rests on (unverified law), when it declares one.
    public var assumption: String?
    /// A gate: when it fails, the rule does not concern the profile (e.g. a ZAZ rule for a foundation).
    public var gate: Bool?

    enum CodingKeys: String, CodingKey {
        case id, label, outcome, reason, missing, points, assumption, gate
        case legalBasis = "legal_basis"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        label = try c.decodeIfPresent(String.self, forKey: .label) ?? id
        outcome = try c.decode(CriterionOutcome.self, forKey: .outcome)
        reason = try c.decodeIfPresent(String.self, forKey: .reason)
        legalBasis = try c.decodeIfPresent(String.self, forKey: .legalBasis) ?? ""
        missing = try c.decodeIfPresent([String].self, forKey: .missing) ?? []
        points = try c.decodeIfPresent(Double.self, forKey: .points)
        assumption = try c.decodeIfPresent(String.self, forKey: .assumption)
        gate = try c.decodeIfPresent(Bool.self, forKey: .gate)
    }
}

/// One rule evaluated on a profile.
public struct RuleResult: Codable, Sendable, Equatable {
    public var rule: String
    public var title: String
    public var outcome: RuleOutcome
    public var legalBasis: String
    /// Złoty the case qualifies for, where the rule computes it.
    public var amount: Double?
    /// Points, where the rule scores.
    public var score: Double?
    public var criteria: [CriterionResult]
    /// Set when the rule could not finish (a limit, an error outside a criterion), in the language
    /// of the evaluation.
    public var error: String?
    /// Which sandbox limit stopped the rule, for a program: "instructions" or "memory" (nil: none).
    public var limit: String?

    enum CodingKeys: String, CodingKey {
        case rule, title, outcome, amount, score, criteria, error, limit
        case legalBasis = "legal_basis"
    }

    /// The criterion with this id.
    public func criterion(_ id: String) -> CriterionResult? { criteria.first { $0.id == id } }

    /// True when the rule failed only on gates: it does not concern this profile.
    public var failedOnlyOnGates: Bool {
        outcome == .ineligible && criteria.contains { $0.outcome == .fail }
            && criteria.allSatisfy { $0.outcome != .fail || $0.gate == true }
    }

    /// Every missing path of every criterion, once, in order.
    public var missing: [String] {
        var seen = Set<String>()
        return criteria.flatMap(\.missing).filter { seen.insert($0).inserted }
    }
}

/// A problem of an invalid profile: where, what was expected, what was found.
public struct Problem: Codable, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var expected: String
    public var found: String
    public var description: String { "\(path): expected \(expected), found \(found)" }
}

/// Why a profile got no evaluation.
public struct EvaluationError: Codable, Sendable, Equatable {
    public var code: String
    public var message: String
    public var problems: [Problem]?
}

/// The evaluation of one profile against the ruleset: the result JSON of the contract.
public struct Evaluation: Codable, Sendable, Equatable {
    /// The input line, in batch mode.
    public var line: Int?
    /// The caller's identifier, echoed.
    public var id: String?
    public var kind: String?
    /// The date the rules were applied as of.
    public var asOf: String?
    /// Where the as-of date came from: option, profile, submitted_on or today.
    public var asOfSource: String?
    /// The content hash of the ruleset used.
    public var ruleset: String
    /// Rule files left out because they are broken (only when the caller chose to skip
    /// broken files); absent otherwise.
    public var skipped: [String]?
    public var lang: Language?
    /// Notes about the input that did not stop the evaluation (e.g. a field name that looks
    /// like a typo of a known one).
    public var warnings: [String]?
    public var results: [RuleResult]?
    public var error: EvaluationError?

    enum CodingKeys: String, CodingKey {
        case line, id, kind, ruleset, skipped, lang, warnings, results, error
        case asOf = "as_of"
        case asOfSource = "as_of_source"
    }

    /// An evaluation built by hand (tests, tools that assemble results).
    public init(ruleset: String, id: String? = nil, kind: String? = nil, asOf: String? = nil,
                results: [RuleResult]? = nil, error: EvaluationError? = nil) {
        self.ruleset = ruleset
        self.id = id
        self.kind = kind
        self.asOf = asOf
        self.results = results
        self.error = error
    }

    /// The result of this rule.
    public func result(_ rule: String) -> RuleResult? { results?.first { $0.rule == rule } }
}
