import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Kryteria
import Prometheus

/// The service's Prometheus metrics (GET /metrics).
final class ServerMetrics: @unchecked Sendable {
    let registry = PrometheusCollectorRegistry()
    private let reloadsOK: Counter
    private let reloadsFailed: Counter
    private let limitHits: Counter
    private let rulesGauge: Gauge
    private static let buckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
        .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
    ]

    /// The metrics' names, each with its `# HELP` line.
    private enum Name {
        static func of(_ subsystem: String?, _ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "kryteria", subsystem: subsystem, metricName: name, unitName: unit, helpText: help)
        }
        static let requests = of("http", "requests", "total", "HTTP requests answered, by route pattern, method and status")
        static let duration = of("http", "request_duration", "seconds", "Time to answer an HTTP request, by route pattern")
        static let evaluations = of(nil, "evaluations", "total", "Rule results given, by rule and outcome")
        static let invalid = of(nil, "invalid_profiles", "total", "Profiles refused as invalid against the data contract")
        static let limitHits = of("sandbox", "limit_hits", "total", "Rule evaluations stopped by a sandbox limit (time, instructions, memory)")
        static let reloads = of(nil, "reloads", "total", "Ruleset reloads, by result")
        static let rules = of(nil, "ruleset_rules", "", "Rules in the ruleset in use")
    }

    init() {
        reloadsOK = registry.makeCounter(descriptor: Name.reloads, labels: [("result", "ok")])
        reloadsFailed = registry.makeCounter(descriptor: Name.reloads, labels: [("result", "failed")])
        limitHits = registry.makeCounter(descriptor: Name.limitHits, labels: [])
        rulesGauge = registry.makeGauge(descriptor: Name.rules, labels: [])
    }

    // The metrics a request touches, kept once made: asking the registry by name and labels checks
    // the names and sorts and hashes the labels each time (callgrind, POST /v1/evaluate: some 28 000
    // instructions a request). The registry keeps every metric it made, so these never hold more.
    private struct RequestKey: Hashable { let route: String, method: String, status: Int }
    private struct OutcomeKey: Hashable { let rule: String, outcome: String }
    private let lock = NSLock()
    private var requestCounters: [RequestKey: Counter] = [:]
    private var durations: [String: DurationHistogram] = [:]
    private var outcomeCounters: [OutcomeKey: Counter] = [:]
    private var invalidProfiles: Counter?

    func request(route: String, method: String, status: Int, nanoseconds: Int64) {
        let (counter, histogram) = lock.withLock { () -> (Counter, DurationHistogram) in
            let key = RequestKey(route: route, method: method, status: status)
            let c = requestCounters[key] ?? {
                let c = registry.makeCounter(descriptor: Name.requests,
                                             labels: [("route", route), ("method", method), ("status", String(status))])
                requestCounters[key] = c
                return c
            }()
            let h = durations[route] ?? {
                let h = registry.makeDurationHistogram(descriptor: Name.duration, labels: [("route", route)],
                                                       buckets: ServerMetrics.buckets)
                durations[route] = h
                return h
            }()
            return (c, h)
        }
        counter.increment()
        histogram.recordNanoseconds(nanoseconds)
    }

    /// Counts the outcomes of one evaluation, and rules stopped by a sandbox limit.
    func evaluation(_ ev: ResultSummary) {
        if ev.invalid {
            let c = lock.withLock { () -> Counter in
                if let c = invalidProfiles { return c }
                let c = registry.makeCounter(descriptor: Name.invalid, labels: [])
                invalidProfiles = c
                return c
            }
            c.increment()
        }
        for r in ev.results {
            outcomeCounter(rule: r.rule, outcome: r.outcome).increment()
            if r.limit != nil { limitHits.increment() }
        }
    }

    /// The counter of one rule's outcome (kryteria_evaluations_total).
    func outcomeCounter(rule: String, outcome: String) -> Counter {
        lock.withLock {
            let key = OutcomeKey(rule: rule, outcome: outcome)
            if let c = outcomeCounters[key] { return c }
            let c = registry.makeCounter(descriptor: Name.evaluations, labels: [("rule", rule), ("outcome", outcome)])
            outcomeCounters[key] = c
            return c
        }
    }

    func reload(ok: Bool) { (ok ? reloadsOK : reloadsFailed).increment() }
    func rules(_ n: Int) { rulesGauge.set(Double(n)) }

    func text() -> [UInt8] {
        var buf: [UInt8] = []
        registry.emit(into: &buf)
        return buf
    }
}

/// What the metrics and the decision log read from a result JSON; lenient, since an
/// invalid profile's result echoes whatever the caller sent (an `id` that is an object).
struct ResultSummary: Decodable {
    struct Rule: Decodable {
        var rule: String
        var outcome: String
        /// The sandbox limit that stopped the rule ("instructions", "memory").
        var limit: String? = nil
    }
    struct Failure: Decodable { var code: String }
    var ruleset: String? = nil
    var asOf: String? = nil
    var error: Failure? = nil
    var results: [Rule] = []
    var invalid: Bool { error != nil }

    enum CodingKeys: String, CodingKey {
        case ruleset, error, results
        case asOf = "as_of"
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        ruleset = try? c.decodeIfPresent(String.self, forKey: .ruleset)
        asOf = try? c.decodeIfPresent(String.self, forKey: .asOf)
        error = try? c.decodeIfPresent(Failure.self, forKey: .error)
        results = (try? c.decodeIfPresent([Rule].self, forKey: .results)) ?? []
    }

    /// Reads a result. `full`: every field (for the decision log). Otherwise a byte scan finds
    /// the rules and outcomes (the hot path of /v1/evaluate); a result where a sandbox limit stopped
    /// a rule (`"limit":` names it) is decoded in full to find which rule hit it.
    /// `full` (the decision log) also reads the ruleset hash and the as-of date, by the same scan;
    /// only a record-level error (its code) is decoded in full (a JSONDecoder for every line cost some
    /// 270 000 instructions a request).
    init(_ json: [UInt8], full: Bool = false) {
        if ResultSummary.find(json, "\"limit\":\"", anchor: 3) == nil {
            let s = ResultSummary(scanning: json, top: full)
            if !(full && s.invalid) {
                self = s
                return
            }
        }
        if let s = try? JSONDecoder().decode(ResultSummary.self, from: Data(json)) {
            self = s
        } else {
            error = Failure(code: "unreadable_result")
        }
    }

    private init(scanning json: [UInt8], top: Bool = false) {
        // a record-level error is the only place `"error":{"code":` occurs (rule errors are strings)
        if ResultSummary.find(json, "\"error\":{\"code\":", anchor: 8) != nil {
            error = Failure(code: "invalid_profile")
            return
        }
        if top {
            // an evaluation (no record-level error) echoes its id as a string, so these keys are the
            // result's own: the first of each, near the start, before any rule's result
            ruleset = ResultSummary.string(json, after: "\"ruleset\":\"", anchor: 2)
            asOf = ResultSummary.string(json, after: "\"as_of\":\"", anchor: 3)
        }
        // each rule result starts `{"rule":"ID","title":"…","outcome":"O"`; inside JSON strings
        // quotes are escaped, so these byte sequences occur only as keys
        var at = 0
        while let r = ResultSummary.find(json, "{\"rule\":\"", from: at) {
            let idStart = r + 9
            guard let idEnd = json[idStart...].firstIndex(of: 0x22),
                  let o = ResultSummary.find(json, ",\"outcome\":\"", from: idEnd) else { break }
            let oStart = o + 12
            guard let oEnd = json[oStart...].firstIndex(of: 0x22) else { break }
            results.append(Rule(rule: String(decoding: json[idStart..<idEnd], as: UTF8.self),
                                outcome: String(decoding: json[oStart..<oEnd], as: UTF8.self)))
            at = oEnd
        }
    }

    /// The text of the first JSON string that follows `key` (which ends with its opening quote),
    /// nil when there is none or it holds an escape.
    static func string(_ json: [UInt8], after key: StaticString, anchor: Int) -> String? {
        guard let k = find(json, key, anchor: anchor) else { return nil }
        let start = k + key.utf8CodeUnitCount
        guard let end = json[start...].firstIndex(where: { $0 == 0x22 || $0 == 0x5C }), json[end] == 0x22 else { return nil }
        return String(decoding: json[start..<end], as: UTF8.self)
    }

    /// The offset of `needle` in `bytes` from `from`, nil when absent. memchr looks for the needle's
    /// byte at `anchor`, then memcmp compares the rest: a quote or a comma, met every few bytes in
    /// JSON, made the scans stop hundreds of times a result (measured with perf: 6 % of the
    /// service's CPU), so the callers anchor on a rare byte (`x` of "exceeded", `{`).
    static func find(_ bytes: [UInt8], _ needle: StaticString, from: Int = 0, anchor: Int = 0) -> Int? {
        let n = needle.utf8CodeUnitCount
        guard anchor >= 0, anchor < n, from >= 0, bytes.count - from >= n else { return nil }
        return bytes.withUnsafeBytes { b in
            needle.withUTF8Buffer { nb in
                let base = b.baseAddress!
                let key = Int32(nb[anchor])
                var i = from   // the needle's start is tried from here on
                while i + n <= b.count {
                    guard let p = memchr(base + i + anchor, key, b.count - i - n + 1) else { return nil }
                    let j = base.distance(to: UnsafeRawPointer(p)) - anchor
                    if memcmp(base + j, nb.baseAddress!, n) == 0 { return j }
                    i = j + 1
                }
                return nil
            }
        }
    }
}
