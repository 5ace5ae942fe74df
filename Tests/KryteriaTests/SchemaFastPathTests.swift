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
            case 2: d[Bool.random(using: &rng) ? "unknown_" + key : "unknown_a_property_name_longer_than_forty_bytes"] = 1
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

    /// Whether the JSON holds an integral number too big for a 64-bit integer (1e300): for type
    /// integer the fast path says no to it, as it always did, and the slow path yes (v == floor(v)).
    /// The no only sends the profile on to the slow path, so the outcome is the slow path's.
    func hasHugeIntegral(_ v: Any) -> Bool {
        if let d = v as? [String: Any] { return d.values.contains { hasHugeIntegral($0) } }
        if let a = v as? [Any] { return a.contains { hasHugeIntegral($0) } }
        if let n = v as? NSNumber {  // true and false are 1 and 0 here: never huge
            let x = n.doubleValue
            return abs(x) >= 9.2e18 && x == x.rounded(.down)
        }
        return false
    }

    /// The problems of a profile, after checking that the paths agree: the fast path's own yes or
    /// no is the slow path's verdict, and the problems with the fast path in front are the slow path's.
    @discardableResult
    func agree(_ rt: Runtime, _ json: [UInt8]) throws -> [Problem] {
        let text = String(decoding: json, as: UTF8.self)
        let fast = try rt.validate(profileJSON: json, language: .en, slowPathOnly: false)
        let slow = try rt.validate(profileJSON: json, language: .en, slowPathOnly: true)
        XCTAssertEqual(fast, slow, text)
        let verdict = try rt.fastPathAccepts(profileJSON: json)
        let huge = hasHugeIntegral(try JSONSerialization.jsonObject(with: Data(json)))
        if !(verdict == false && slow.isEmpty && huge) {
            XCTAssertEqual(verdict, slow.isEmpty, text)
        }
        // the same profile evaluated, written with "kind" first: the JSON reader then validates it
        // while it reads (validation fused into decoding). It must reject what the slow path
        // rejects; a debug build (the tests) also checks every profile it lets through with KR_VALID,
        // and an evaluation that disagrees fails with an error.
        if let kindFirst = kindFirst(json) {
            let rejected = try kindFirst.withUnsafeBytes { p in
                try Array("{}".utf8).withUnsafeBytes { o in try rt.evaluate(json: p, options: o) { _, flagged in flagged } }
            }
            XCTAssertEqual(rejected, !slow.isEmpty, String(decoding: kindFirst, as: UTF8.self))
        }
        return slow
    }

    /// The profile's JSON with its "kind" member moved to the front (nil: no string kind).
    func kindFirst(_ json: [UInt8]) -> [UInt8]? {
        guard var d = (try? JSONSerialization.jsonObject(with: Data(json))) as? [String: Any],
              let kind = d.removeValue(forKey: "kind") as? String,
              let rest = try? JSONSerialization.data(withJSONObject: d) else { return nil }
        let head = "{\"kind\":" + JSONText.quote(kind)
        return Array(head.utf8) + (d.isEmpty ? Array("}".utf8) : [UInt8](",".utf8) + rest.dropFirst())
    }

    /// How many profiles the JSON reader found valid as it read them, since the last call.
    func fused(_ rt: Runtime) throws -> Int {
        let stats = try JSONSerialization.jsonObject(with: Data(rt.call("stats", []))) as? [String: Any]
        return stats?["fused"] as? Int ?? -1
    }

    func problems(_ rt: Runtime, _ json: String) throws -> [Problem] { try agree(rt, Array(json.utf8)) }

    /// Mutated Playground profiles through both paths; how many were valid and invalid.
    func fuzz(_ rt: Runtime, rounds: Int) throws -> (valid: Int, invalid: Int) {
        let dir = repoRoot + "/Playground/profiles"
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".json") }.sorted()
        var rng = SystemRandomNumberGenerator()
        var valid = 0, invalid = 0
        for f in files {
            let base = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/" + f)))
            for round in 0..<rounds {
                var m: Any = base
                for _ in 0..<(round % 3 + 1) { m = mutations(of: m, &rng) }
                let json = Array(try JSONSerialization.data(withJSONObject: m))
                if try agree(rt, json).isEmpty { valid += 1 } else { invalid += 1 }
            }
        }
        return (valid, invalid)
    }

    func testFastAndSlowPathsAgree() throws {
        let engine = try Engine(rulesDirectory: repoRoot + "/Rules")
        let (valid, invalid, fusedCount) = try engine.withRuntime { rt in
            _ = try fused(rt)
            let (v, i) = try fuzz(rt, rounds: 60)
            return (v, i, try fused(rt))
        }
        // both kinds were exercised, and most valid profiles were validated as they were read
        XCTAssertGreaterThan(valid, 100)
        XCTAssertGreaterThan(invalid, 100)
        XCTAssertGreaterThan(fusedCount, valid / 2)
    }

    /// The same with every keyword the fast path knows in use: closed objects, required names,
    /// minLength, minItems and maxItems, exclusive bounds, a property name longer than 40 bytes.
    func testFastAndSlowPathsAgreeOnStricterSchemas() throws {
        let engine = try Engine(rulesDirectory: repoRoot + "/Rules")
        func edit(_ d: inout [String: Any], _ path: [String], _ change: (inout [String: Any]) -> Void) {
            guard let first = path.first else { return change(&d) }
            var sub = d[first] as! [String: Any]
            edit(&sub, Array(path.dropFirst()), change)
            d[first] = sub
        }
        let enterprise = try schemaText("enterprise.schema.json") { s in
            edit(&s, ["$defs", "employee"]) { e in
                e["additionalProperties"] = false
                e["required"] = ["contract", "fte"]
            }
            edit(&s, ["$defs", "employee", "properties", "name"]) { $0["minLength"] = 2 }
            edit(&s, ["properties", "employees"]) { $0["minItems"] = 1; $0["maxItems"] = 12 }
            edit(&s, ["properties", "statute"]) { $0["additionalProperties"] = false; $0["required"] = ["not_for_profit"] }
            edit(&s, ["properties", "members", "items"]) { $0["additionalProperties"] = false }
            edit(&s, ["properties", "founders"]) { $0["exclusiveMaximum"] = 1000 }
            edit(&s, ["properties", "max_monthly_salary"]) { $0["exclusiveMinimum"] = -1 }
            edit(&s, ["properties"]) { $0["unknown_a_property_name_longer_than_forty_bytes"] = ["type": "integer"] }
            s["required"] = ["kind", "legal_form"]
        }
        let person = try schemaText("person.schema.json") { s in
            s["additionalProperties"] = false
            s["required"] = ["kind"]
            edit(&s, ["properties", "id"]) { $0["minLength"] = 1 }
        }
        let (valid, invalid) = try engine.withRuntime { rt -> (valid: Int, invalid: Int) in
            _ = try rt.call("add_schema", [.string("enterprise.schema.json"), .json(enterprise)])
            _ = try rt.call("add_schema", [.string("person.schema.json"), .json(person)])
            _ = try fused(rt)
            let counts = try fuzz(rt, rounds: 60)
            XCTAssertGreaterThan(try fused(rt), counts.valid / 2)
            return counts
        }
        XCTAssertGreaterThan(valid, 50)
        XCTAssertGreaterThan(invalid, 100)
    }

    /// A schema's text with `edit` applied to its decoded form.
    func schemaText(_ name: String, _ edit: (inout [String: Any]) -> Void) throws -> [UInt8] {
        let url = URL(fileURLWithPath: repoRoot + "/Rules/schema/" + name)
        var s = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        edit(&s)
        return Array(try JSONSerialization.data(withJSONObject: s))
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

    /// The words of fields and codes are remembered per language; a schema added again brings its
    /// own words (the remembered ones are forgotten with the vocabulary).
    func testReAddedSchemaBringsItsOwnWords() throws {
        let engine = try Engine(rulesDirectory: repoRoot + "/Rules")
        let options = #"{"lang":"pl","rules":["ps-status"]}"#
        // a missing field is named by the label its schema gives it at its path (kept per path)
        func ps01(_ rt: Runtime, _ profile: String = #"{"kind":"enterprise","legal_form":"foundation"}"#) throws -> String {
            let out: String = try Array(profile.utf8).withUnsafeBytes { p in
                try Array(options.utf8).withUnsafeBytes { o in
                    try rt.evaluate(json: p, options: o) { r, _ in String(decoding: r, as: UTF8.self) }
                }
            }
            let ev = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
            let crits = try XCTUnwrap(((ev["results"] as? [[String: Any]])?.first?["criteria"]) as? [[String: Any]])
            return try XCTUnwrap(crits.first?["reason"] as? String)
        }
        try engine.withRuntime { rt in
            let missing = #"{"kind":"enterprise"}"#
            XCTAssertEqual(try ps01(rt), "forma prawna: fundacja")
            XCTAssertEqual(try ps01(rt), "forma prawna: fundacja")   // remembered
            XCTAssertEqual(try ps01(rt, missing), "brak danych: forma prawna")
            XCTAssertEqual(try ps01(rt, missing), "brak danych: forma prawna")   // remembered
            let renamed = try schemaText("enterprise.schema.json") { s in
                var props = s["properties"] as! [String: Any]
                var form = props["legal_form"] as! [String: Any]
                form["x-label"] = ["pl": "forma", "en": "form"]
                var labels = form["x-enum-labels"] as! [String: Any]
                labels["foundation"] = ["pl": "fundacja rodzinna", "en": "family foundation"]
                form["x-enum-labels"] = labels
                props["legal_form"] = form
                s["properties"] = props
            }
            _ = try rt.call("add_schema", [.string("enterprise.schema.json"), .json(renamed)])
            XCTAssertEqual(try ps01(rt), "forma: fundacja rodzinna")
            XCTAssertEqual(try ps01(rt, missing), "brak danych: forma")
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
