import ArgumentParser
import Foundation
@_spi(Benchmark) import Kryteria
import LuaBridge

/// `kryteria bench-engine` (hidden): evaluations per second of one rule on one profile,
/// single thread, and where the time goes (JSON decode, schema validation, rules, encode).
struct BenchEngine: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-engine",
        abstract: "Micro-benchmark of the engine (single thread).",
        shouldDisplay: false
    )

    @Option(name: .long, help: "Rules folder.")
    var rules: String = "Rules"

    @Option(name: .long, help: "The rule to evaluate.")
    var rule: String = "ps-status"

    @Option(name: .long, help: "A profile JSON file (default: a built-in enterprise with 8 employees).")
    var profile: String?

    @Option(name: [.customShort("n"), .long], help: "Iterations per measurement.")
    var iterations: Int = 100_000

    @Option(name: .long, help: "pl | en.")
    var lang: Language = .pl

    static let defaultProfile = """
    {"kind":"enterprise","id":"E-BENCH","name":"Spółdzielnia Socjalna Przykład","as_of":"2024-06-30",\
    "legal_form":"social_cooperative","paid_activity":["business","paid_public_benefit"],"public_control":false,\
    "founded_by_legal_persons":false,"ps_type":"reintegration","employees":[\
    {"contract":"employment","fte":1,"at_risk":true,"disability":"moderate","disability_kinds":["intellectual"]},\
    {"contract":"employment","fte":0.5,"at_risk":true,"disability":"none","disability_kinds":[]},\
    {"contract":"cooperative_employment","fte":1,"at_risk":false,"disability":"none","disability_kinds":[]},\
    {"contract":"cooperative_employment","fte":0.75,"at_risk":true,"disability":"mild","disability_kinds":["other"]},\
    {"contract":"employment","fte":1,"at_risk":false,"disability":"none","disability_kinds":[]},\
    {"contract":"civil","fte":0.5,"at_risk":false,"disability":"none","disability_kinds":[]},\
    {"contract":"employment","fte":0.5,"at_risk":true,"disability":"severe","disability_kinds":["autism","epilepsy"]},\
    {"contract":"other","fte":0.25,"at_risk":false,"disability":"none","disability_kinds":[]}],\
    "bodies":["consultative_body","supervisory_board"],\
    "statute":{"not_for_profit":true,"income_to_statutory_aims":true,"no_profit_distribution":true},\
    "max_monthly_salary":9800.5,"last_report_filed_on":"2024-03-12","status_lost_on":null,\
    "members":[{"at_risk":true,"legal_person":false},{"at_risk":true,"legal_person":false},\
    {"at_risk":false,"legal_person":false},{"at_risk":true,"legal_person":false},{"at_risk":false,"legal_person":true}],\
    "founded_on":"2019-05-14"}
    """

    /// Helpers defined in the benchmark's own Lua state before lockdown.
    static let helpers = """
    local K = __kr
    local held, last_ev
    function K.bench_noop(p) return true end
    function K.bench_hold(p) held = p; return true end
    function K.bench_eval(n, opts)
      local ev
      for _ = 1, n do ev = K.evaluate(held, opts) end
      last_ev = ev
      return true
    end
    function K.bench_validate(n, opts)
      for _ = 1, n do K.validate(held, opts) end
      return true
    end
    function K.bench_last() return last_ev end
    """

    func run() throws {
        let json: [UInt8]
        if let profile {
            json = Array(try Data(contentsOf: URL(fileURLWithPath: profile)))
        } else {
            json = Array(BenchEngine.defaultProfile.utf8)
        }
        let n = max(iterations, 1)
        let engine: Engine
        do { engine = try Engine(rulesDirectory: rules, strict: false) } catch {
            Terminal.stderr("kryteria bench-engine: cannot load rules from \(rules): \(error)\n")
            throw ExitCode(ExitStatus.usage)
        }
        let desc = try engine.describe()
        guard let r = desc.rules.first(where: { $0.id == rule }) else {
            Terminal.stderr("kryteria bench-engine: unknown rule \(rule)\n")
            throw ExitCode(ExitStatus.usage)
        }
        let opts = EvaluationOptions(rules: [rule], language: lang).json(line: nil)

        // 1. the public fast path: JSON in, JSON out
        var outBytes = 0
        var flagged = false
        let full = try engine.withRuntime { rt -> Double in
            try json.withUnsafeBytes { p in
                try opts.withUnsafeBytes { o in
                    for _ in 0 ..< min(n, 1000) { _ = try rt.evaluate(json: p, options: o) { out, _ in out.count } }
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    for _ in 0 ..< n {
                        try rt.evaluate(json: p, options: o) { out, f in outBytes = out.count; flagged = f }
                    }
                    return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
                }
            }
        }
        if flagged { Terminal.stderr("kryteria bench-engine: warning: the profile is invalid; only validation runs\n") }

        // 2. the breakdown, in a Lua state of our own with a few helpers
        let vm = try Runtime.standalone(rulesDirectory: rules,
                                        limits: LuaLimits(memoryBytes: 512 << 20, instructionBudget: 1 << 40),
                                        today: "2024-06-30", extraTrusted: BenchEngine.helpers)

        func timed(_ body: () throws -> Void) rethrows -> Double {
            let t0 = DispatchTime.now().uptimeNanoseconds
            try body()
            return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        }
        let decode = try json.withUnsafeBytes { p in
            try timed { for _ in 0 ..< n { try vm.call("bench_noop", [.jsonBytes(p)]) { _, _ in () } } }
        }
        _ = try vm.call("bench_hold", [.json(json)]) { _, _ in () }
        let nJSON = Array(String(n).utf8)
        let validate = try timed { try vm.call("bench_validate", [.json(nJSON), .json(opts)]) { _, _ in () } }
        let evaluate = try timed { try vm.call("bench_eval", [.json(nJSON), .json(opts)]) { _, _ in () } }
        let encode = try timed { for _ in 0 ..< n { try vm.call("bench_last", []) { _, _ in () } } }

        func line(_ label: String, _ secs: Double) -> String {
            let per = secs / Double(n)
            let rate = per > 0 ? Int(1 / per) : 0
            return label.padding(toLength: 52, withPad: " ", startingAt: 0)
                + group(rate).leftPad(12) + " /s" + String(format: "%10.2f µs", per * 1e6) + "\n"
        }
        var s = "kryteria bench-engine: rule \(rule) (\(r.criteria.count) criteria), profile \(json.count) bytes, "
        s += "result \(outBytes) bytes, \(group(n)) iterations, 1 thread\n"
        s += line("full evaluation (JSON in → result JSON out)", full)
        s += line("  JSON decode of the profile (call overhead incl.)", decode)
        s += line("  schema validation (pre-parsed)", validate)
        s += line("  evaluation, pre-parsed (validation + rules)", evaluate)
        s += line("  rules alone (evaluation − validation)", max(evaluate - validate, 0))
        s += line("  JSON encode of the result", encode)
        print(s, terminator: "")
    }

}

extension String {
    func leftPad(_ n: Int) -> String {
        count >= n ? self : String(repeating: " ", count: n - count) + self
    }
}
