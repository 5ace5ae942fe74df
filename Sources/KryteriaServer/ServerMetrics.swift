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
    func evaluation(_ ev: Evaluation) {
        for r in ev.results ?? [] {
            registry.makeCounter(name: "kryteria_evaluations_total",
                                 labels: [("rule", r.rule), ("outcome", r.outcome.rawValue)]).increment()
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
