import XCTest
@testable import Kryteria

/// Every attack a rule could make is contained, and the engine answers afterwards.
final class SandboxTests: XCTestCase {
    let healthy = personRule("healthy", criterion: "H-1", "    return pass(\"ok\")")

    /// Loads the attack as a rule, evaluates, returns the attack rule's result, and checks
    /// that the healthy rule still answers in the same state.
    func attack(_ body: String, file: String = "attack.lua", limits: Limits = smallLimits,
                line: UInt = #line) throws -> RuleResult {
        let t = try TempRules(["attack.lua": personRule("attack", body), "healthy.lua": healthy])
        let engine = try Engine(rulesDirectory: t.dir, limits: limits)
        let ev = try engine.eval(#"{"kind":"person"}"#)
        XCTAssertEqual(ev.result("healthy")?.outcome, .eligible, line: line)
        // and again, in the same state
        let ev2 = try engine.eval(#"{"kind":"person"}"#)
        XCTAssertEqual(ev2.result("healthy")?.outcome, .eligible, line: line)
        return try XCTUnwrap(ev.result("attack"), line: line)
    }

    func criterionError(_ r: RuleResult) -> String {
        let c = r.criteria.first
        return (c?.outcome == .error ? c?.reason : nil) ?? r.error ?? "no error: \(r)"
    }

    func testInfiniteLoopIsStoppedByTheInstructionBudget() throws {
        let r = try attack("    while true do end")
        XCTAssertEqual(r.outcome, .undetermined)
        XCTAssertTrue(r.error?.contains("przekroczono limit instrukcji") ?? false, "\(r)")
        XCTAssertTrue(r.error?.contains("attack.lua:5") ?? false, "\(r)")
        XCTAssertEqual(r.limit, "instructions", "the limit named for a program, whatever the language")
        // in English: Lua's words, the same place
        let t = try TempRules(["attack.lua": personRule("attack", "    while true do end")])
        let en = try XCTUnwrap(Engine(rulesDirectory: t.dir, limits: smallLimits).eval(#"{"kind":"person"}"#, lang: .en).result("attack"))
        XCTAssertTrue(en.error?.hasPrefix("attack.lua:5: instruction budget exceeded") ?? false, "\(en)")
    }

    func testLoopThatSwallowsErrorsWithPcallIsStillStopped() throws {
        let r = try attack("    while true do pcall(function() while true do end end) end")
        XCTAssertTrue(r.error?.contains("przekroczono limit instrukcji") ?? false, "\(r)")
    }

    func testMemoryBombIsStopped() throws {
        let r = try attack("""
            local t = {}
            for i = 1, 1e9 do t[i] = string.rep("x", 1000) .. i end
        """, limits: Limits(memoryBytes: 16 << 20, instructionBudget: 500_000_000))
        XCTAssertTrue(r.error?.contains("przekroczono limit pamięci") ?? false, "\(r)")
        XCTAssertEqual(r.limit, "memory")
    }

    /// A rule that raises the words of a limit is no limit: only the sandbox names one.
    func testARuleCannotPassItsErrorOffAsALimit() throws {
        let r = try attack("    error('instruction budget exceeded (20000000 instructions)', 0)")
        XCTAssertNil(r.limit, "\(r)")
        XCTAssertEqual(r.criteria.first?.outcome, .error)
    }

    func testStringConcatBombIsStopped() throws {
        let r = try attack("""
            local s = "x"
            while true do s = s .. s end
        """, limits: Limits(memoryBytes: 16 << 20, instructionBudget: 500_000_000))
        XCTAssertTrue(r.error?.contains("przekroczono limit pamięci") ?? false, "\(r)")
    }

    /// Lua's blocks come from the state's own pool (size classes up to 256 bytes) or from malloc:
    /// tables and strings that grow and shrink across that boundary keep their contents.
    func testBlocksGrowingAcrossThePoolBoundaryKeepTheirContents() throws {
        let r = try attack("""
            local t, s = {}, ""
            for i = 1, 600 do t[i] = i; s = s .. string.char(65 + i % 26) end
            local sum = 0
            for i = 1, #t do sum = sum + t[i] end
            local h = {}
            for i = 1, 300 do h["k" .. i] = string.rep("y", i) end
            for i = 1, 290 do h["k" .. i] = nil end
            local total, n = 0, 0
            for k, v in pairs(h) do n = n + 1; total = total + #v end
            return pass(fmt("%d %d %s %d %d", sum, #s, s:sub(250, 262), n, total))
        """)
        XCTAssertEqual(r.criteria.first?.outcome, .pass, "\(r)")
        XCTAssertEqual(r.criteria.first?.reason, "180300 600 QRSTUVWXYZABC 10 2955", "\(r)")
    }

    /// Either refused when the file loads (naming the file) or an error of the criterion.
    func contained(_ code: String, line: UInt = #line) throws -> String {
        if let m = try loadError(["attack.lua": personRule("attack", code), "healthy.lua": healthy]) {
            XCTAssertTrue(m.contains("attack.lua:"), m, line: line)
            return m
        }
        let r = try attack(code, line: line)
        XCTAssertEqual(r.criteria.first?.outcome, .error, code, line: line)
        XCTAssertEqual(r.outcome, .undetermined, code, line: line)
        return criterionError(r)
    }

    func testNoFilesNetworkOrProcess() throws {
        for code in ["return io.open('/etc/passwd')", "return os.execute('true')", "return os.getenv('HOME')",
                     "return require('socket')", "return dofile('/etc/passwd')", "return loadfile('/etc/passwd')",
                     "return load('return 1')", "return debug.getinfo(1)", "return collectgarbage('count')",
                     "return package.loaded", "return string.dump(print)", "return _G.io",
                     "return math.random(1, 2)", "return coroutine.create(print)", "return rawset(p, 'x', 1)"] {
            _ = try contained("    " + code)
        }
        // a global that does not exist is named at load, with a suggestion
        let m = try contained("    return io.open('/etc/passwd')")
        XCTAssertTrue(m.contains("'io'"), m)
    }

    func testLibraryTablesAreReadOnly() throws {
        let r = try attack("    string.upper = nil; return true")
        XCTAssertTrue(criterionError(r).contains("string jest tylko do odczytu"), criterionError(r))
        let r2 = try attack("    math.floor = function() return 0 end; return true")
        XCTAssertTrue(criterionError(r2).contains("math jest tylko do odczytu"), criterionError(r2))
        let m3 = try contained("    count = nil; return true")
        XCTAssertTrue(m3.contains("global"), m3)
        // the string metatable is out of reach
        let r4 = try attack("    return getmetatable('').__index == nil")
        XCTAssertEqual(r4.criteria.first?.outcome, .error)
    }

    func testOneRuleCannotBreakHelpersForAnother() throws {
        let t = try TempRules([
            "a.lua": personRule("a", "    pcall(function() string.upper = nil end); pcall(function() at_least = nil end); return true"),
            "b.lua": personRule("b", "    return pass(string.upper('x')) "),
        ])
        // a.lua sets a global inside a function: refused when it loads, by name; b still works
        XCTAssertThrowsError(try Engine(rulesDirectory: t.dir)) { XCTAssertTrue("\($0)".contains("a.lua:5"), "\($0)") }
        let engine = try Engine(rulesDirectory: t.dir, strict: false)
        let ev = try engine.eval(#"{"kind":"person"}"#)
        XCTAssertEqual(ev.result("b")?.criteria.first?.reason, "X")
    }

    func testPatternBombIsRefused() throws {
        let r = try attack("    return string.rep('a', 400):find('.-.-.-b') ~= nil")
        XCTAssertTrue(criterionError(r).contains("zbyt kosztowny"), criterionError(r))
        let r2 = try attack("    return ('a'):rep(400):match('.-.-.-b') ~= nil")
        XCTAssertTrue(criterionError(r2).contains("zbyt kosztowny"), criterionError(r2))
        // ordinary patterns still work, an anchored trim of a 200-byte string too
        let ok = try attack("    return ('2025-01-02'):match('^(%d+)%-') == '2025'")
        XCTAssertEqual(ok.criteria.first?.outcome, .pass)
        let trim = try attack("    local s = (' '):rep(100) .. 'x' .. (' '):rep(100)\n    return s:match('^%s*(.-)%s*$') == 'x'")
        XCTAssertEqual(trim.criteria.first?.outcome, .pass, "\(trim)")
    }

    func testRepBombIsRefused() throws {
        let r = try attack("    return #string.rep('x', 1 << 40) > 0")
        XCTAssertTrue(criterionError(r).contains("string.rep"), criterionError(r))
    }

    func testFinalizersAreRefused() throws {
        let r = try attack("    setmetatable({}, { __gc = function() while true do end end }); return true")
        XCTAssertTrue(criterionError(r).contains("__gc"), criterionError(r))
    }

    func testProfileMetatableIsProtected() throws {
        let r = try attack("    setmetatable(p, nil); return p.id == nil")
        XCTAssertEqual(r.criteria.first?.outcome, .error)
    }

    /// A rule file runs with the engine's names it reads (pass, fmt...) made locals of its first
    /// line: every line keeps its number, a file's own global of such a name is the one it uses,
    /// and a file with too many locals for that loads as it was written.
    func testRuleFilesKeepTheirLinesAndTheirOwnNames() throws {
        let manyLocals = (1...198).map { "local v\($0) = \($0)" }.joined(separator: "\n")
        let t = try TempRules([
            "lines.lua": """
                rule "lines" { applies_to = "person", title = { pl = "t", en = "t" }, basis = "b" }
                criterion "L-1" { basis = "b", pl = "x", en = "x",
                  check = function(p)
                    if p.kind then error("raised on line four") end
                  end }
                criterion "L-2" { basis = "b", pl = "y", en = "y", check = function(p) return pass(fmt("%d", p.household_size)) end }
                """,
            "own.lua": """
                function count(list) return 7 end
                rule "own" { applies_to = "person", title = { pl = "t", en = "t" }, basis = "b" }
                criterion "O-1" { basis = "b", pl = "x", en = "x", check = function(p) return pass(fmt("%d", count({ 1, 2 }))) end }
                """,
            "many.lua": manyLocals + """

                rule "many" { applies_to = "person", title = { pl = "t", en = "t" }, basis = "b" }
                criterion "M-1" { basis = "b", pl = "x", en = "x", check = function(p) return pass(fmt("%d %d", v198, count({ 1, 2 }))) end }
                """,
        ])
        let engine = try Engine(rulesDirectory: t.dir)
        let ev = try engine.eval(#"{"kind":"person"}"#)
        let lines = try XCTUnwrap(ev.result("lines"))
        XCTAssertEqual(lines.criteria.first?.outcome, .error)
        XCTAssertTrue(lines.criteria.first?.reason?.contains("lines.lua:4: raised on line four") ?? false, "\(lines)")
        // a field read on line 6 that the profile lacks: asked for, not an error
        XCTAssertEqual(lines.criteria.last?.outcome, .unknown, "\(lines)")
        XCTAssertEqual(ev.result("own")?.criteria.first?.reason, "7")
        XCTAssertEqual(ev.result("many")?.criteria.first?.reason, "198 2")
        // a check that sets one of those names is still refused when its file loads, on its line
        let m = try loadError(["set.lua": personRule("set", "    pass = nil; return true"), "healthy.lua": healthy])
        XCTAssertTrue(m?.contains("set.lua:5:") ?? false, m ?? "loaded")
        XCTAssertTrue(m?.contains("'pass'") ?? false, m ?? "loaded")
    }

    func testRuleCannotKeepStateBetweenCases() throws {
        let m = try contained("    counter = (counter or 0) + 1; return true")
        XCTAssertTrue(m.contains("counter"), m)
    }

    func testBinaryChunksAreRejectedAtLoad() throws {
        let t = try TempRules(["bin.lua": "\u{1B}Lua binary", "healthy.lua": healthy])
        XCTAssertThrowsError(try Engine(rulesDirectory: t.dir)) { e in
            XCTAssertTrue("\(e)".contains("bin.lua"), "\(e)")
        }
        let engine = try Engine(rulesDirectory: t.dir, strict: false)
        XCTAssertEqual(engine.diagnostics.count, 1)
        XCTAssertEqual(try engine.eval(#"{"kind":"person"}"#).result("healthy")?.outcome, .eligible)
    }

    func testTopLevelAttacksInAFileAreReportedByFileNameAndOthersLoad() throws {
        let t = try TempRules([
            "loop.lua": "while true do end",
            "bomb.lua": "local t = {} for i = 1, 1e9 do t[i] = ('x'):rep(1000) .. i end",
            "forbidden.lua": "os.exit(1)",
            "healthy.lua": healthy,
        ])
        let engine = try Engine(rulesDirectory: t.dir, limits: Limits(memoryBytes: 32 << 20, instructionBudget: 50_000_000), strict: false)
        let ds = engine.diagnostics
        XCTAssertEqual(ds.count, 3, "\(ds)")
        XCTAssertTrue(ds.contains { $0.file.hasSuffix("loop.lua") && $0.message.contains("przekroczono limit instrukcji") }, "\(ds)")
        XCTAssertTrue(ds.contains { $0.file.hasSuffix("bomb.lua") && $0.message.contains("przekroczono limit pamięci") }, "\(ds)")
        XCTAssertTrue(ds.contains { $0.file.hasSuffix("forbidden.lua") && $0.line == 1 }, "\(ds)")
        XCTAssertEqual(try engine.eval(#"{"kind":"person"}"#).result("healthy")?.outcome, .eligible)
    }
}
