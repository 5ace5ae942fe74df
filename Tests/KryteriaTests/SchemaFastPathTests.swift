import XCTest
@testable import Kryteria

/// The C fast path of validation (KR_VALID) and the prelude's validator must agree on which
/// profiles are valid: the fast path decides, the slow path words the problems.
final class SchemaFastPathTests: XCTestCase {
    /// Values that break one field or another in many ways.
    let replacements: [Any] = ["pół etatu", -1, 0, 0.5, 1, 2, 1.5, true, false, NSNull(), "2025-02-29", "2024-02-29",
                               "2025-13-01", "", "employment", "foundation", "severe", [Any](), ["business"], ["x"],
                               [String: Any](), ["fte": 0.5], 1e300, 731, 732, "none"]

    func mutations(of obj: Any, _ rng: inout SystemRandomNumberGenerator, depth: Int = 0) -> Any {
        if var d = obj as? [String: Any], !d.isEmpty {
            let key = d.keys.sorted()[Int.random(in: 0..<d.count, using: &rng)]
            if key == "kind" { return d }
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: d[key] = replacements.randomElement(using: &rng)!
            case 1: d[key] = nil
            case 2: d["unknown_" + key] = 1
            default: if let v = d[key] { d[key] = mutations(of: v, &rng, depth: depth + 1) }
            }
            return d
        }
        if var a = obj as? [Any], !a.isEmpty {
            let i = Int.random(in: 0..<a.count, using: &rng)
            a[i] = Bool.random(using: &rng) ? replacements.randomElement(using: &rng)! : mutations(of: a[i], &rng, depth: depth + 1)
            return a
        }
        return replacements.randomElement(using: &rng)!
    }

    func testFastAndSlowPathsAgree() throws {
        let engine = try Engine(rulesDirectory: repoRoot + "/Rules")
        let dir = repoRoot + "/Playground/profiles"
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".json") }.sorted()
        var rng = SystemRandomNumberGenerator()
        var valid = 0, invalid = 0
        try engine.withRuntime { rt in
            for f in files {
                let base = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/" + f)))
                for round in 0..<60 {
                    var m: Any = base
                    for _ in 0..<(round % 3 + 1) { m = mutations(of: m, &rng) }
                    let json = Array(try JSONSerialization.data(withJSONObject: m))
                    let fast = try rt.validate(profileJSON: json, language: .en, slowPathOnly: false)
                    let slow = try rt.validate(profileJSON: json, language: .en, slowPathOnly: true)
                    XCTAssertEqual(fast, slow, String(decoding: json, as: UTF8.self))
                    if slow.isEmpty { valid += 1 } else { invalid += 1 }
                }
            }
        }
        // both kinds were exercised
        XCTAssertGreaterThan(valid, 100)
        XCTAssertGreaterThan(invalid, 100)
    }
}
