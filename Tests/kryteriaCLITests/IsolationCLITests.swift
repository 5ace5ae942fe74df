import Foundation
import XCTest

/// A batch with hostile rule files beside the shipped ones: the shipped rules' results are
/// byte-identical to a run without the attackers, and --jobs 1 and --jobs 2 give the same output.
final class IsolationCLITests: XCTestCase {
    let attackers = [
        "attack-hoard.lua": """
        local SEEN = {}
        rule "attack-hoard" { applies_to = "person", title = { pl = "Atak" }, basis = "b" }
        criterion "A-1" { basis = "a", pl = "x", check = function(p) SEEN[#SEEN + 1] = p; return #SEEN < 3 end }
        """,
        "attack-write.lua": """
        rule "attack-write" { applies_to = "person", title = { pl = "Atak" }, basis = "b" }
        criterion "A-1" { basis = "a", pl = "x", check = function(p) p.labour_status = "employed"; return true end }
        criterion "A-2" { basis = "a", pl = "x", check = function(p) getmetatable(pass("x")).__order = {}; return true end }
        """,
        "attack-loop.lua": """
        rule "attack-loop" { applies_to = "person", title = { pl = "Atak" }, basis = "b" }
        criterion "A-1" { basis = "a", pl = "x", check = function(p)
          while true do pcall(function()
            local x <close> = setmetatable({}, { __close = function() error("swallowed") end })
            while true do end
          end) end
        end }
        """,
        "attack-memory.lua": """
        rule "attack-memory" { applies_to = "person", title = { pl = "Atak" }, basis = "b" }
        criterion "A-1" { basis = "a", pl = "x", check = function(p)
          local t = {} for i = 1, 1e9 do t[i] = ("x"):rep(1000) .. i end
        end }
        """,
    ]

    func shippedResults(_ out: String) -> [String] {
        // each line's results without the attackers' rules and the ruleset hash
        out.split(separator: "\n").map { line -> String in
            guard var obj = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else { return String(line) }
            obj["ruleset"] = nil
            if let rs = obj["results"] as? [[String: Any]] {
                obj["results"] = rs.filter { !(($0["rule"] as? String) ?? "").hasPrefix("attack-") }
            }
            let data = try! JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self)
        }
    }

    func testHostileRulesChangeNothingElseAndJobsDoNotMatter() throws {
        let dir = try temporaryFolder(self)
        let rules = dir.appendingPathComponent("Rules")
        try FileManager.default.copyItem(atPath: repoRoot + "/Rules", toPath: rules.path)
        // twelve people (a runaway rule costs its whole budget on every record)
        let people = try String(contentsOfFile: repoRoot + "/Playground/people.jsonl", encoding: .utf8)
            .split(separator: "\n").prefix(12).joined(separator: "\n") + "\n"
        let input = dir.appendingPathComponent("people.jsonl").path
        try write(people, URL(fileURLWithPath: input))
        let clean = try kryteria(["batch", input, "--rules", rules.path, "--jobs", "1", "-q", "--as-of", "2025-06-01"])
        XCTAssertEqual(clean.status, 0, clean.stderr)
        for (name, text) in attackers { try write(text, rules.appendingPathComponent(name)) }
        let t0 = Date()
        let one = try kryteria(["batch", input, "--rules", rules.path, "--jobs", "1", "-q", "--as-of", "2025-06-01"])
        let two = try kryteria(["batch", input, "--rules", rules.path, "--jobs", "2", "-q", "--as-of", "2025-06-01"])
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertEqual(two.status, 0, two.stderr)
        XCTAssertEqual(one.out, two.out, "--jobs 1 and --jobs 2 differ")
        XCTAssertEqual(shippedResults(one.out), shippedResults(clean.out))
        // every attacker answered every record with its own error, the same on every line
        let objs = one.lines.compactMap(jsonObject)
        XCTAssertEqual(objs.count, clean.lines.count)
        for o in objs {
            let results = o["results"] as? [[String: Any]] ?? []
            for id in ["attack-hoard", "attack-write", "attack-loop", "attack-memory"] {
                XCTAssertEqual(results.first { $0["rule"] as? String == id }?["outcome"] as? String, "undetermined", id)
            }
        }
        // 12 records with a runaway and a memory bomb on each: bounded (2 s a record is generous)
        XCTAssertLessThan(Date().timeIntervalSince(t0), Double(objs.count) * 2)
    }

    /// The count hook is armed by a watchdog once a rule has run for a grace (10-20 ms), or at the
    /// start of every rule with KRYTERIA_HOOK=always: both stop a runaway rule, and both give the
    /// same results, byte for byte, for rules that end in time.
    func testTheHookArmedLateGivesTheSameResultsAndStillStopsARunawayRule() throws {
        let dir = try temporaryFolder(self)
        let rules = dir.appendingPathComponent("Rules")
        try FileManager.default.copyItem(atPath: repoRoot + "/Rules", toPath: rules.path)
        let input = repoRoot + "/Playground/applications.jsonl"
        let late = try kryteria(["batch", input, "--rules", rules.path, "--jobs", "2", "-q"])
        let always = try kryteria(["batch", input, "--rules", rules.path, "--jobs", "2", "-q"], env: ["KRYTERIA_HOOK": "always"])
        XCTAssertEqual(late.status, always.status, always.stderr)
        XCTAssertGreaterThan(late.lines.count, 50)
        XCTAssertEqual(late.out, always.out, "the results depend on when the hook is armed")

        try write(attackers["attack-loop.lua"]!, rules.appendingPathComponent("attack-loop.lua"))
        let people = try String(contentsOfFile: repoRoot + "/Playground/people.jsonl", encoding: .utf8)
            .split(separator: "\n").prefix(2).joined(separator: "\n") + "\n"
        for env in [[:], ["KRYTERIA_HOOK": "always"]] {
            let r = try kryteria(["batch", "--rules", rules.path, "--rule", "attack-loop", "-q"], stdin: Data(people.utf8), env: env)
            let objs = r.lines.compactMap(jsonObject)
            XCTAssertEqual(objs.count, 2, r.stderr)
            for o in objs {
                let res = (o["results"] as? [[String: Any]])?.first
                XCTAssertEqual(res?["outcome"] as? String, "undetermined", "\(env)")
                XCTAssertTrue((res?["error"] as? String ?? "").contains("przekroczono limit instrukcji"), "\(env): \(o)")
            }
        }
    }
}
