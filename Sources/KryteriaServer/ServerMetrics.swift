import Foundation
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

    init() {
        reloadsOK = registry.makeCounter(name: "kryteria_reloads_total", labels: [("result", "ok")])
        reloadsFailed = registry.makeCounter(name: "kryteria_reloads_total", labels: [("result", "failed")])
        limitHits = registry.makeCounter(name: "kryteria_sandbox_limit_hits_total", labels: [])
        rulesGauge = registry.makeGauge(name: "kryteria_ruleset_rules", labels: [])
    }

    func request(route: String, method: String, status: Int, nanoseconds: Int64) {
        registry.makeCounter(name: "kryteria_http_requests_total",
                             labels: [("route", route), ("method", method), ("status", String(status))]).increment()
        registry.makeDurationHistogram(name: "kryteria_http_request_duration_seconds", labels: [("route", route)],
                                       buckets: ServerMetrics.buckets).recordNanoseconds(nanoseconds)
    }

    /// Counts the outcomes of one evaluation, and rules stopped by a sandbox limit.
    func evaluation(_ ev: ResultSummary) {
        if ev.invalid {
            registry.makeCounter(name: "kryteria_invalid_profiles_total", labels: []).increment()
        }
        for r in ev.results {
            registry.makeCounter(name: "kryteria_evaluations_total",
                                 labels: [("rule", r.rule), ("outcome", r.outcome)]).increment()
            if let e = r.error, ServerMetrics.isLimit(e) { limitHits.increment() }
        }
    }

    /// A rule error caused by a sandbox limit (time, instructions, memory).
    static func isLimit(_ message: String) -> Bool {
        let m = message.lowercased()
        return m.contains("budget exceeded") || m.contains("memory") || m.contains("limit")
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
        var error: String?
    }
    struct Failure: Decodable { var code: String }
    var ruleset: String?
    var asOf: String?
    var error: Failure?
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

    init(_ json: [UInt8]) {
        if let s = try? JSONDecoder().decode(ResultSummary.self, from: Data(json)) {
            self = s
        } else {
            error = Failure(code: "unreadable_result")
        }
    }
}
