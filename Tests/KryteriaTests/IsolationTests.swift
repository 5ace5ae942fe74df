import Foundation
import XCTest
@testable import Kryteria

/// Hostile rule files (issue 9): every record is judged alone, and no limit can be dodged.
/// Each attack sits beside an honest rule that reads the same profile; the honest rule's result
/// must be byte-identical to a run without the attacker, on every record.
final class IsolationTests: XCTestCase {
    /// An honest rule that reads the fields attackers try to change.
    let honest = """
    rule "honest" { applies_to = "person", title = { pl = "Uczciwa", en = "Honest" }, basis = "test" }
    criterion "H-1" {
      basis = "art. 1", pl = "status", en = "status",
      check = function(p) return pass("status: " .. p.labour_status .. ", " .. #p.social_assistance_grounds) end,
    }
    """
    let person = #"{"kind":"person","id":"x","labour_status":"unemployed","social_assistance_grounds":["unemployment","poverty"]}"#

    /// The honest rule's result JSON for `profile`, without any attacker.
    func baseline(_ profile: String) throws -> String {
        let t = try TempRules(["honest.lua": honest])
        let engine = try Engine(rulesDirectory: t.dir)
        return try honestJSON(engine, profile)
    }

    func honestJSON(_ engine: Engine, _ profile: String) throws -> String {
        let out = try engine.evaluateJSON(Array(profile.utf8), options: EvaluationOptions(rules: ["honest"]))
        // the ruleset hash differs with the attacker's file; everything else must not
        return String(decoding: out, as: UTF8.self)
            .replacingOccurrences(of: #""ruleset":"[^"]*""#, with: "", options: .regularExpression)
    }

    /// Loads the attacker beside the honest rule, evaluates `records` times, checks the honest
    /// rule never changes and the attacker's result is the same on every record. Returns the
    /// attacker's first result and the seconds the slowest record took.
    @discardableResult
    func judge(_ attacker: String, records: Int = 3, limits: Limits = Limits(),
               line: UInt = #line) throws -> (RuleResult, Double) {
        let t = try TempRules(["attack.lua": attacker, "honest.lua": honest])
        let engine = try Engine(rulesDirectory: t.dir, limits: limits)
        let expected = try baseline(person)
        var first: RuleResult?
        var slowest = 0.0
        for i in 0..<records {
            let t0 = Date()
            let ev = try engine.eval(person)
            slowest = max(slowest, Date().timeIntervalSince(t0))
            XCTAssertEqual(try honestJSON(engine, person), expected, "record \(i)", line: line)
            let r = try XCTUnwrap(ev.result("attack"), line: line)
            if let f = first {
                XCTAssertEqual(r, f, "the attacker's result changed on record \(i)", line: line)
            } else { first = r }
        }
        return (first!, slowest)
    }

    func attackRule(_ body: String, prologue: String = "") -> String {
        """
        \(prologue)
        rule "attack" { applies_to = "person", title = { pl = "Atak", en = "Attack" }, basis = "test" }
        criterion "A-1" {
          basis = "art. 1", pl = "atak", en = "attack",
          check = function(p)
        \(body)
          end,
        }
        """
    }

    func error(_ r: RuleResult) -> String {
        r.criteria.first(where: { $0.outcome == .error })?.reason ?? r.error ?? "no error: \(r)"
    }

    // MARK: state across records

    func testFileLevelCounterIsRefusedAtLoad() throws {
        let m = try XCTUnwrap(try loadError(["attack.lua": attackRule("    n = n + 1\n    return n < 3", prologue: "local n = 0"),
                                             "honest.lua": honest]))
        XCTAssertTrue(m.contains("attack.lua:6"), m)
        XCTAssertTrue(m.contains("'n'"), m)
    }

    func testCounterInANestedFunctionIsRefusedToo() throws {
        let m = try XCTUnwrap(try loadError(["attack.lua": attackRule(
            "    local function bump() seen = seen + 1 end\n    bump()\n    return true", prologue: "local seen = 0"),
                                             "honest.lua": honest]))
        XCTAssertTrue(m.contains("'seen'"), m)
    }

    /// A counter kept in the closure of a function a factory returned at load time is no file-level
    /// variable, but it would carry from one profile to the next just the same.
    func testCounterInAFactorysClosureIsRefused() throws {
        for prologue in ["local seen = (function()\n  local n = 0\n  return function() n = n + 1; return n end\nend)()",
                         "local seen = (function()\n  local t\n  return function() if t == nil then t = {} end; t[#t + 1] = 1; return #t end\nend)()"] {
            let m = try XCTUnwrap(try loadError(["attack.lua": attackRule("    return seen() < 2", prologue: prologue),
                                                 "honest.lua": honest]), prologue)
            XCTAssertTrue(m.contains("attack.lua:3:"), m)
            XCTAssertTrue(m.contains("utworzoną przy wczytaniu pliku"), m)
        }
        // a function made at load that only reads what it captured is fine
        let (r, _) = try judge(attackRule("    return limit() == 3",
                                          prologue: "local limit = (function()\n  local n = 3\n  return function() return n end\nend)()"))
        XCTAssertEqual(r.outcome, .eligible)
    }

    func testLocalCounterInsideTheCheckIsFine() throws {
        let (r, _) = try judge(attackRule("    local n = 0\n    for _ = 1, 3 do n = n + 1 end\n    local function add() n = n + 1 end\n    add()\n    return n == 4"))
        XCTAssertEqual(r.outcome, .eligible)
    }

    func testGlobalSetAtLoadAndUpdatedInACheckIsRefused() throws {
        let m = try XCTUnwrap(try loadError(["attack.lua": attackRule("    total = total + 1\n    return total < 3", prologue: "total = 0"),
                                             "honest.lua": honest]))
        XCTAssertTrue(m.contains("total"), m)
    }

    func testFileLevelTableCannotHoardProfilesOrCount() throws {
        let (r, _) = try judge(attackRule("    SEEN[#SEEN + 1] = p\n    return #SEEN < 2", prologue: "local SEEN = {}"), records: 5)
        XCTAssertEqual(r.criteria.first?.outcome, .error)
        XCTAssertTrue(error(r).contains("tylko do odczytu"), error(r))
        let (r2, _) = try judge(attackRule("    table.insert(STATE.list, 1)\n    return #STATE.list < 2", prologue: "local STATE = { list = {} }"), records: 5)
        XCTAssertEqual(r2.criteria.first?.outcome, .error)
        let (r3, _) = try judge(attackRule("    rawequal(1, 1); COUNTS.n = COUNTS.n + 1\n    return COUNTS.n < 2", prologue: "COUNTS = { n = 0 }"), records: 5)
        XCTAssertEqual(r3.criteria.first?.outcome, .error)
    }

    func testFrozenTablesStillReadAsBefore() throws {
        let (r, _) = try judge(attackRule("""
            local n = 0
            for k, v in pairs(FORMS) do n = n + 1 end
            return FORMS.a == "A" and #LIST == 3 and LIST[2] == "y" and n == 2 and table.concat(LIST, ",") == "x,y,z" and next(FORMS) ~= nil
        """, prologue: "local FORMS = { a = \"A\", b = \"B\" }\nlocal LIST = { \"x\", \"y\", \"z\" }"))
        XCTAssertEqual(r.outcome, .eligible, "\(r)")
    }

    /// Lua seeds its table hash anew in every state, so a plain pairs or next walks string keys in a
    /// different order in every run and every worker. A rule's pairs and next walk them sorted
    /// (numbers, strings, booleans), over a frozen table, a profile object and its own table alike,
    /// so a reason built while walking is the same for the same case in every engine.
    func testPairsWalksKeysInTheSameOrderInEveryEngine() throws {
        let rules = attackRule("""
            local out = {}
            for k, v in pairs(MAP) do out[#out + 1] = k .. "=" .. v end
            for k in pairs(p.statute) do out[#out + 1] = k end
            for k, v in pairs({ 3, 1, x = true, [2.5] = "f", [true] = 1, [false] = 0, b = 1, a = 2 }) do
              out[#out + 1] = tostring(k) .. "=" .. tostring(v)
            end
            -- next walks the same order; a field cleared while walking is passed over
            local own = { d = 4, c = 3, b = 2, a = 1 }
            for k in next, own do out[#out + 1] = k; own.c = nil end
            for k in next, MAP do if k > "i" then out[#out + 1] = k end end
            out[#out + 1] = next(p.statute) .. "|" .. tostring(next({}))
            return pass(table.concat(out, ","))
        """, prologue: "local MAP = { kappa = 10, alfa = 1, zeta = 6, beta = 2, theta = 8, gamma = 3, iota = 9, delta = 4, eta = 7, epsilon = 5 }")
        let profile = #"{"kind":"person","statute":{"zz":1,"not_for_profit":true,"aa":2,"income_to_statutory_aims":true,"mm":3}}"#
        let want = "alfa=1,beta=2,delta=4,epsilon=5,eta=7,gamma=3,iota=9,kappa=10,theta=8,zeta=6,"
            + "aa,income_to_statutory_aims,mm,not_for_profit,zz,"
            + "1=3,2=1,2.5=f,a=2,b=1,x=true,false=0,true=1,"
            + "a,b,d,iota,kappa,theta,zeta,aa|nil"
        for _ in 0..<4 {
            let t = try TempRules(["attack.lua": rules])
            let engine = try Engine(rulesDirectory: t.dir)
            let r = try XCTUnwrap(engine.eval(profile).result("attack"))
            XCTAssertEqual(r.criteria.first?.reason, want)
        }
        // pairs of no table names the rule's line, as the plain pairs did
        let t = try TempRules(["attack.lua": attackRule("for k in pairs(get(p, \"disability_kinds\")) do end\nreturn true")])
        let r = try XCTUnwrap(Engine(rulesDirectory: t.dir).eval(person).result("attack"))
        XCTAssertTrue(error(r).contains("attack.lua:"), error(r))
        XCTAssertTrue(error(r).contains("zły argument nr 1 funkcji 'pairs' (oczekiwano: tabela, jest: nil)"), error(r))
        let t2 = try TempRules(["attack.lua": attackRule("return pass(tostring(next({ a = 1 }, \"zz\")))")])
        let r2 = try XCTUnwrap(Engine(rulesDirectory: t2.dir).eval(person).result("attack"))
        XCTAssertTrue(error(r2).contains("attack.lua:") && error(r2).contains("invalid key to 'next'"), error(r2))
    }

    // MARK: what other rules see and say

    func testProfileIsReadOnly() throws {
        for code in ["    p.labour_status = 'employed'\n    return true",
                     "    p.social_assistance_grounds[1] = 'none'\n    return true",
                     "    table.insert(p.social_assistance_grounds, 'x')\n    return true",
                     "    table.remove(p.social_assistance_grounds)\n    return true",
                     "    table.sort(p.social_assistance_grounds)\n    return true",
                     "    p.new_field = 1\n    return true",
                     // has/get read the data raw: a table still comes out as its read-only view
                     "    table.insert(get(p, 'social_assistance_grounds'), 'x')\n    return true",
                     "    get(p, 'social_assistance_grounds', {})[1] = 'none'\n    return true"] {
            let (r, _) = try judge(attackRule(code))
            XCTAssertEqual(r.criteria.first?.outcome, .error, code)
        }
    }

    func testProfileDataTableIsOutOfReach() throws {
        // the data behind a view cannot be reached through metamethod names, next or pairs
        let (r, _) = try judge(attackRule("""
            local k, v = next(p)
            local tables = 0
            for key, val in pairs(p) do
              if type(val) == "table" then tables = tables + 1; val[1] = "x" end
            end
            return getmetatable(p) == false and k ~= nil and tables == 1
        """))
        XCTAssertEqual(r.criteria.first?.outcome, .error, "\(r)")
        XCTAssertTrue(error(r).contains("tylko do odczytu"), error(r))
        let (r2, _) = try judge(attackRule("    local name = '__' .. 'index'\n    return p[name]"))
        XCTAssertEqual(r2.criteria.first?.outcome, .error, "\(r2)")
        XCTAssertTrue(error(r2).contains("'__index'"), error(r2))
    }

    func testEngineObjectsCannotBePoisoned() throws {
        for code in ["    getmetatable(pass('x')).__order = {}\n    return true",
                     "    local r = pass('x'); setmetatable(r, nil); return r",
                     "    local ok, sig = pcall(function() return p.age end)\n    return true"] {
            let (r, _) = try judge(attackRule(code), records: 3)
            XCTAssertNotEqual(r.outcome, .eligible, code)
        }
        // a rule's results handed to another rule are read-only
        let caller = """
        rule "attack" { applies_to = "person", title = { pl = "Atak", en = "Attack" }, basis = "test" }
        criterion "A-1" {
          basis = "art. 1", pl = "atak", en = "attack",
          check = function(p)
            local res = check_rule("honest", p)
            res.outcome = "eligible"
            return true
          end,
        }
        """
        let (r, _) = try judge(caller)
        XCTAssertTrue(error(r).contains("tylko do odczytu"), error(r))
    }

    func testAClosedSignalCannotReachTheProfileData() throws {
        // a <close> handler sees the missing-field signal as the error in flight: it must be an
        // empty, sealed object (no table, no key, no data behind it)
        let (r, _) = try judge(attackRule("""
            local ok, msg = pcall(function()
              local guard <close> = setmetatable({}, { __close = function(_, e)
                local n = 0
                if type(e) == "table" then
                  for k, v in pairs(e) do n = n + 1 end
                  if getmetatable(e) ~= false then n = n + 100 end
                  local ok2 = pcall(function() e.t = 1 end)
                  if ok2 then n = n + 1000 end
                end
                error("fields:" .. n, 0)
              end })
              return p.birth_date
            end)
            return pass(tostring(msg))
        """))
        XCTAssertEqual(r.criteria.first?.reason, "fields:0", "\(r)")
    }

    func testWrongReasonTypeIsAnErrorOfThatCriterionOnly() throws {
        let t = try TempRules(["attack.lua": attackRule("    return pass(42)"), "honest.lua": honest])
        let engine = try Engine(rulesDirectory: t.dir)
        let ev = try engine.eval(person)
        let r = try XCTUnwrap(ev.result("attack"))
        XCTAssertEqual(r.criteria.first?.outcome, .error)
        XCTAssertTrue(error(r).contains("tekstem"), error(r))
        XCTAssertEqual(ev.result("honest")?.outcome, .eligible)
    }

    // MARK: limits that stick (bound: 2 s each with the default budget)

    func testCloseHandlerCannotSwallowTheBudget() throws {
        let (r, secs) = try judge(attackRule("""
            while true do
              pcall(function()
                local x <close> = setmetatable({}, { __close = function() error("swallowed") end })
                while true do end
              end)
            end
        """), records: 2)
        XCTAssertTrue(r.error?.contains("przekroczono limit instrukcji") ?? false, "\(r)")
        XCTAssertLessThan(secs, 2.0)
    }

    func testCloseHandlerCannotSwallowTheBudgetAtLoadTime() throws {
        let m = try XCTUnwrap(try loadError(["attack.lua": """
            while true do
              pcall(function()
                local x <close> = setmetatable({}, { __close = function() error("swallowed") end })
                while true do end
              end)
            end
            """, "honest.lua": honest]))
        XCTAssertTrue(m.contains("przekroczono limit instrukcji"), m)
    }

    func testErrorObjectsCannotHideALimit() throws {
        let (r, secs) = try judge(attackRule("""
            while true do
              local ok, e = pcall(function() while true do end end)
              if not ok then error({ "not a limit" }) end
            end
        """), records: 2)
        XCTAssertTrue(r.error?.contains("przekroczono limit instrukcji") ?? false, "\(r)")
        XCTAssertLessThan(secs, 2.0)
    }

    /// Builds a 16 MiB string by doubling (rep is capped at 1 MiB) and runs `loop` on it.
    func bigStringAttack(_ loop: String) -> String {
        attackRule("""
            local s = ("x"):rep(1 << 20)
            for _ = 1, 4 do s = s .. s end
            \(loop)
            return true
        """)
    }

    func testCheapLookingCallsOnHugeStringsAreCharged() throws {
        for loop in ["for _ = 1, 1e6 do s:find('y') end",
                     "for _ = 1, 1e6 do s:find('y', 1, true) end",
                     "for _ = 1, 1e6 do utf8.len(s) end",
                     "for _ = 1, 1e6 do s:upper() end",
                     "for _ = 1, 1e6 do local t = s .. 'a' end",
                     "for _ = 1, 1e6 do s:byte(-1) ; s:sub(2) end"] {
            let (r, secs) = try judge(bigStringAttack(loop), records: 2)
            let why = r.error ?? error(r)
            XCTAssertTrue(why.contains("przekroczono limit instrukcji") || why.contains("zbyt kosztowny")
                          || why.contains("przekroczono limit pamięci"), "\(loop): \(r)")
            XCTAssertLessThan(secs, 2.0, loop)
        }
    }

    func testCostlyPatternsAreRefusedQuickly() throws {
        for code in ["    local s = ('('):rep(1 << 20)\n    return s:find('%b()') ~= nil",
                     "    local s = ('a'):rep(1 << 20)\n    return s:find(('a'):rep(5000) .. 'b') ~= nil",
                     "    local s = ('a'):rep(1 << 20)\n    return s:find(('a'):rep(100000) .. 'b', 1, true) ~= nil"] {
            let (r, secs) = try judge(attackRule(code), records: 2)
            XCTAssertNotEqual(r.outcome, .eligible, code)
            XCTAssertLessThan(secs, 2.0, code)
        }
    }

    func testMemoryBombFailsOnlyItselfAndTheStateIsRenewed() throws {
        let (r, _) = try judge(attackRule("""
            local t = {}
            for i = 1, 1e9 do t[i] = ("x"):rep(1000) .. i end
        """), records: 4, limits: Limits(memoryBytes: 32 << 20, instructionBudget: 500_000_000))
        XCTAssertTrue(r.error?.contains("przekroczono limit pamięci") ?? false, "\(r)")
    }
}
