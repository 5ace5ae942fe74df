import Foundation
import Kryteria

/// "What if": a profile, a set of changes, and what they change in the outcome. The REPL's
/// `whatif`, the HTTP service's `POST /v1/whatif` and a Swift integrator share this code.
public enum WhatIf {
    /// One change: the value to put at a path (`employees[0].fte`); NSNull() sets null.
    public struct Change {
        public var path: ReplPath
        public var value: Any
        public init(path: ReplPath, value: Any) {
            self.path = path
            self.value = value
        }
    }

    /// Why a what-if gave no comparison.
    public enum Failure: Error {
        /// A path that cannot hold the value (`JSONEdit.Failure`).
        case path(JSONEdit.Failure)
        /// The profile (before) or the changed profile (after) is invalid: its result JSON
        /// (with `error`), and the message of that error.
        case invalid(which: String, message: String, json: [UInt8])
    }

    /// The profile with the changes applied.
    public static func apply(_ profile: [String: Any], _ changes: [Change]) throws -> [String: Any] {
        var p = profile
        for c in changes {
            do { try JSONEdit.set(&p, c.path, c.value) } catch let e as JSONEdit.Failure { throw Failure.path(e) }
        }
        return p
    }

    /// Evaluates both profiles with the same options and compares them.
    public static func compare(engine: Engine, before: [String: Any], after: [String: Any],
                               options: EvaluationOptions) throws -> Report {
        let bj = try engine.evaluateJSON(JSONEdit.bytes(before), options: options)
        let aj = try engine.evaluateJSON(JSONEdit.bytes(after), options: options)
        if let m = errorMessage(bj) { throw Failure.invalid(which: "before", message: m, json: bj) }
        if let m = errorMessage(aj) { throw Failure.invalid(which: "after", message: m, json: aj) }
        let b = try JSONDecoder().decode(Evaluation.self, from: Data(bj))
        let a = try JSONDecoder().decode(Evaluation.self, from: Data(aj))
        return Report(before: b, after: a, beforeJSON: bj, afterJSON: aj)
    }

    /// The message of a result's `error` (an invalid profile), nil for an evaluation.
    static func errorMessage(_ json: [UInt8]) -> String? {
        guard let o = (try? JSONSerialization.jsonObject(with: Data(json))) as? [String: Any],
              let e = o["error"] as? [String: Any] else { return nil }
        return e["message"] as? String ?? "invalid profile"
    }

    /// A criterion whose outcome the changes flipped.
    public struct Flip: Sendable {
        public var id: String
        public var label: String
        public var before: CriterionOutcome
        public var after: CriterionOutcome
        /// The reason after the change (else nil).
        public var reason: String?
    }

    /// One rule before and after.
    public struct RuleChange: Sendable {
        public var rule: String
        public var title: String
        /// nil: the rule did not apply before.
        public var before: RuleOutcome?
        /// nil: the rule no longer applies after the change (an application for another programme).
        public var after: RuleOutcome?
        public var amountBefore: Double?
        public var amountAfter: Double?
        /// A scoring sheet's points before and after.
        public var scoreBefore: Double?
        public var scoreAfter: Double?
        public var flipped: [Flip]
        /// The outcome, the amount or the points changed (a rule that starts or stops applying included).
        public var changed: Bool { before != after || amountBefore != amountAfter || scoreBefore != scoreAfter }
    }

    /// The comparison.
    public struct Report: Sendable {
        public var before: Evaluation
        public var after: Evaluation
        /// The contract's result JSON of each side, as `check --json` prints it.
        public var beforeJSON: [UInt8]
        public var afterJSON: [UInt8]
        public var rules: [RuleChange] = []

        init(before: Evaluation, after: Evaluation, beforeJSON: [UInt8], afterJSON: [UInt8]) {
            self.before = before
            self.after = after
            self.beforeJSON = beforeJSON
            self.afterJSON = afterJSON
            for ra in after.results ?? [] {
                let rb = before.result(ra.rule)
                var flips: [Flip] = []
                if let rb {
                    for ca in ra.criteria {
                        guard let cb = rb.criterion(ca.id), cb.outcome != ca.outcome else { continue }
                        flips.append(Flip(id: ca.id, label: ca.label, before: cb.outcome, after: ca.outcome, reason: ca.reason))
                    }
                }
                rules.append(RuleChange(rule: ra.rule, title: ra.title, before: rb?.outcome, after: ra.outcome,
                                        amountBefore: rb?.amount, amountAfter: ra.amount,
                                        scoreBefore: rb?.score, scoreAfter: ra.score, flipped: flips))
            }
            // the rules that applied before and no longer do: listed too, so nothing is lost from view
            for rb in before.results ?? [] where after.result(rb.rule) == nil {
                rules.append(RuleChange(rule: rb.rule, title: rb.title, before: rb.outcome, after: nil,
                                        amountBefore: rb.amount, amountAfter: nil, scoreBefore: rb.score, scoreAfter: nil, flipped: []))
            }
        }

        /// Rules whose outcome changed: the entries with `changed` (a rule that starts or stops
        /// applying included).
        public var rulesChanged: Int { rules.filter(\.changed).count }
        /// Criteria whose outcome changed.
        public var criteriaFlipped: Int { rules.reduce(0) { $0 + $1.flipped.count } }

        /// `{"before":…,"after":…,"rules":[…],"rules_changed":N,"criteria_flipped":N}`; the
        /// two evaluations are the contract's result JSON unchanged.
        public func json() -> [UInt8] {
            var s = "{\"before\":" + String(decoding: beforeJSON, as: UTF8.self)
            s += ",\"after\":" + String(decoding: afterJSON, as: UTF8.self)
            s += ",\"rules\":["
            s += rules.map { r in
                var o = "{\"rule\":" + JSONText.quote(r.rule) + ",\"title\":" + JSONText.quote(r.title)
                o += ",\"before\":" + (r.before.map { JSONText.quote($0.rawValue) } ?? "null")
                o += ",\"after\":" + (r.after.map { JSONText.quote($0.rawValue) } ?? "null")
                o += ",\"changed\":" + (r.changed ? "true" : "false")
                if r.amountBefore != nil || r.amountAfter != nil {
                    o += ",\"amount_before\":" + Report.number(r.amountBefore) + ",\"amount_after\":" + Report.number(r.amountAfter)
                }
                if r.scoreBefore != nil || r.scoreAfter != nil {
                    o += ",\"score_before\":" + Report.number(r.scoreBefore) + ",\"score_after\":" + Report.number(r.scoreAfter)
                }
                o += ",\"flipped\":[" + r.flipped.map { f in
                    "{\"id\":" + JSONText.quote(f.id) + ",\"label\":" + JSONText.quote(f.label)
                        + ",\"before\":" + JSONText.quote(f.before.rawValue) + ",\"after\":" + JSONText.quote(f.after.rawValue)
                        + (f.reason.map { ",\"reason\":" + JSONText.quote($0) } ?? "") + "}"
                }.joined(separator: ",") + "]}"
                return o
            }.joined(separator: ",")
            s += "],\"rules_changed\":\(rulesChanged),\"criteria_flipped\":\(criteriaFlipped)}"
            return Array(s.utf8)
        }

        static func number(_ d: Double?) -> String {
            guard let d else { return "null" }
            if d == d.rounded() && abs(d) < 1e15 { return String(Int64(d)) }
            return String(d)
        }
    }
}
