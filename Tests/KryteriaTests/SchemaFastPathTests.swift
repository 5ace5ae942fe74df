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

    /// A schema's text with `edit` applied to its decoded form.
    func schemaText(_ name: String, _ edit: (inout [String: Any]) -> Void) throws -> [UInt8] {
        let url = URL(fileURLWithPath: repoRoot + "/Rules/schema/" + name)
        var s = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        edit(&s)
        return Array(try JSONSerialization.data(withJSONObject: s))
    }

    /// Both paths, which must agree; the problems.
    func problems(_ rt: Runtime, _ json: String) throws -> [Problem] {
        let fast = try rt.validate(profileJSON: Array(json.utf8), language: .en, slowPathOnly: false)
        let slow = try rt.validate(profileJSON: Array(json.utf8), language: .en, slowPathOnly: true)
        XCTAssertEqual(fast, slow, json)
        return fast
    }

    /// A schema added again (K.add_schema) replaces the old one also where another schema
    /// refers to it: an application reaches person.schema.json through enterprise.schema.json,
    /// and the plans compiled before the change must not be used after it.
    func testReAddedSchemaIsUsedThroughReferences() throws {
        let engine = try Engine(rulesDirectory: repoRoot + "/Rules")
        let app = """
            {"kind":"application","program":"owes-job-creation","enterprise":{"kind":"enterprise",
             "employees":[{"contract":"employment","fte":1,"person":{"kind":"person","household_size":5}}]}}
            """
        try engine.withRuntime { rt in
            XCTAssertEqual(try problems(rt, app), [])   // compiles and caches the plans
            let stricter = try schemaText("person.schema.json") { s in
                var props = s["properties"] as! [String: Any]
                var size = props["household_size"] as! [String: Any]
                size["maximum"] = 3
                props["household_size"] = size
                s["properties"] = props
            }
            _ = try rt.call("add_schema", [.string("person.schema.json"), .json(stricter)])
            let after = try problems(rt, app)
            XCTAssertEqual(after.map(\.path), ["$.enterprise.employees[0].person.household_size"])
            XCTAssertEqual(try problems(rt, #"{"kind":"person","household_size":5}"#).map(\.path), ["$.household_size"])
            XCTAssertEqual(try problems(rt, #"{"kind":"person","household_size":3}"#), [])
        }
    }

    /// Property names longer than 40 bytes are long strings in Lua 5.4 (not interned): the fast
    /// path must still find them among the properties, also in a closed object and as required.
    func testLongPropertyNames() throws {
        let engine = try Engine(rulesDirectory: repoRoot + "/Rules")
        let long = "a_property_name_that_is_longer_than_forty_bytes"
        let longer = long + "_and_then_some_more"
        let schema = """
            {"type":"object","additionalProperties":false,"required":["kind","\(longer)"],
             "properties":{"kind":{"const":"probe"},"\(long)":{"type":"integer","maximum":5},
                           "\(longer)":{"enum":["x","a value longer than forty bytes, to be compared by bytes"]}}}
            """
        try engine.withRuntime { rt in
            _ = try rt.call("add_schema", [.string("probe.schema.json"), .json(Array(schema.utf8))])
            func paths(_ json: String) throws -> [String] { try problems(rt, json).map(\.path) }
            XCTAssertEqual(try paths(#"{"kind":"probe","\#(long)":5,"\#(longer)":"x"}"#), [])
            XCTAssertEqual(try paths(#"{"kind":"probe","\#(longer)":"a value longer than forty bytes, to be compared by bytes"}"#), [])
            XCTAssertEqual(try paths(#"{"kind":"probe","\#(long)":6,"\#(longer)":"x"}"#), ["$.\(long)"])
            XCTAssertEqual(try paths(#"{"kind":"probe","\#(long)":"5","\#(longer)":"x"}"#), ["$.\(long)"])
            XCTAssertEqual(try paths(#"{"kind":"probe","\#(longer)":"a value longer than forty bytes, to be compared by byteS"}"#), ["$.\(longer)"])
            XCTAssertEqual(try paths(#"{"kind":"probe","\#(long)":1}"#), ["$.\(longer)"])
            XCTAssertEqual(try paths(#"{"kind":"probe","\#(longer)":"x","\#(long)_":1}"#), ["$.\(long)_"])
        }
    }
}
