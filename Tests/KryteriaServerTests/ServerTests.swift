import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Kryteria
import XCTest

/// Integration tests: the real `kryteria serve` on a free loopback port, a real HTTP client.
final class ServerTests: XCTestCase {
    func testEvaluateAnswersWhatCheckJSONPrints() async throws {
        let s = try ServerProcess([])
        defer { s.stop() }
        let health = try await http("GET", s.base + "/health")
        XCTAssertEqual(health.status, 200, health.text)
        XCTAssertEqual(health.json["status"] as? String, "ok")
        XCTAssertGreaterThan(health.json["rules"] as? Int ?? 0, 10)
        XCTAssertTrue((health.json["ruleset"] as? String ?? "").hasPrefix("sha256:"))

        for (file, query, args) in [
            ("Playground/profiles/pes-002.json", "", [String]()),
            ("Playground/profiles/os-901.json", "?lang=en&as_of=2025-01-15", ["--lang", "en", "--as-of", "2025-01-15"]),
            ("Playground/profiles/pes-002.json", "?rule=ps-status&rule=zaz-staff", ["--rule", "ps-status", "--rule", "zaz-staff"]),
        ] {
            let r = try await http("POST", s.base + "/v1/evaluate" + query, body: try fileData(file),
                                   headers: ["Content-Type": "application/json"])
            XCTAssertEqual(r.status, 200, r.text)
            XCTAssertEqual(r.header("Content-Type"), "application/json; charset=utf-8")
            let expected = try cli(["check", "--json"] + args + [file])
            XCTAssertEqual(r.text, String(decoding: expected, as: UTF8.self), "\(file)\(query)")
        }
        // no lang and no Accept-Language: Polish, as check --json
        let (status, text) = try curl(["--data-binary", "@Playground/profiles/pes-002.json", s.base + "/v1/evaluate"])
        XCTAssertEqual(status, 200)
        XCTAssertEqual(text, String(decoding: try cli(["check", "--json", "Playground/profiles/pes-002.json"]), as: UTF8.self))
        XCTAssertTrue(text.contains("\"lang\":\"pl\""))
        // Accept-Language picks English when no lang is given
        let en = try await http("POST", s.base + "/v1/evaluate", body: try fileData("Playground/profiles/os-901.json"),
                                headers: ["Accept-Language": "en-GB,en;q=0.9"])
        XCTAssertEqual(en.json["lang"] as? String, "en")
        // by weight: q=0 refuses a language, the higher q wins
        for (header, want) in [("pl;q=0, en", "en"), ("en;q=0.5, pl;q=0.9", "pl"), ("de, en;q=0.3", "en"), ("de", "pl")] {
            let r = try await http("POST", s.base + "/v1/evaluate", body: try fileData("Playground/profiles/os-901.json"),
                                   headers: ["Accept-Language": header])
            XCTAssertEqual(r.json["lang"] as? String, want, header)
        }
        // the metrics counted the outcomes (read by a byte scan when there is no decision log)
        let metrics = try await http("GET", s.base + "/metrics").text
        XCTAssertTrue(metrics.contains(#"kryteria_evaluations_total{rule="ps-status",outcome="ineligible"} "#), metrics)
        XCTAssertTrue(metrics.contains(#"kryteria_evaluations_total{rule="zaz-staff",outcome="ineligible"} "#), metrics)
        // one access-log line per request
        let logged = await eventually { s.stderr.contains("POST /v1/evaluate 200") }
        XCTAssertTrue(logged, s.stderr)
    }

    /// The metrics a request touches are kept once made: every request still counts, under its
    /// route's pattern, its method and its status, and the access log still times each one.
    func testEveryRequestIsCountedUnderItsRoute() async throws {
        let s = try ServerProcess([])
        defer { s.stop() }
        let body = try fileData("Playground/profiles/pes-002.json")
        for _ in 0..<7 { _ = try await http("POST", s.base + "/v1/evaluate", body: body) }
        for _ in 0..<3 { _ = try await http("POST", s.base + "/v1/evaluate/", body: body) }   // a trailing slash: the same route
        for id in ["ps-status", "zaz-staff", "ps-status"] { _ = try await http("GET", s.base + "/v1/rules/" + id) }
        _ = try await http("GET", s.base + "/v1/rules/no-such-rule")
        _ = try await http("GET", s.base + "/v1/evaluate")
        _ = try await http("GET", s.base + "/nothing/here")
        _ = try await http("POST", s.base + "/v1/evaluate", body: Data("{".utf8))
        let m = try await http("GET", s.base + "/metrics").text
        func count(_ labels: String) -> Int? {
            m.split(separator: "\n").first { $0.hasPrefix("kryteria_http_requests_total{\(labels)} ") }
                .flatMap { Int($0.split(separator: " ").last ?? "") }
        }
        let evaluated = count(#"route="/v1/evaluate",method="POST",status="200""#)
        XCTAssertEqual(evaluated, 10, m)
        XCTAssertEqual(count(#"route="/v1/evaluate",method="POST",status="400""#), 1, m)
        XCTAssertEqual(count(#"route="/v1/evaluate",method="GET",status="405""#), 1, m)
        XCTAssertEqual(count(#"route="/v1/rules/{id}",method="GET",status="200""#), 3, m)
        XCTAssertEqual(count(#"route="/v1/rules/{id}",method="GET",status="404""#), 1, m)
        XCTAssertEqual(count(#"route="unmatched",method="GET",status="404""#), 1, m)
        XCTAssertTrue(m.contains(#"kryteria_evaluations_total{rule="ps-status",outcome="ineligible"} \#(evaluated ?? -1)"#), m)
        XCTAssertTrue(m.contains(#"kryteria_http_request_duration_seconds_count{route="/v1/rules/{id}"} 4"#), m)
        // each metric says what it counts
        for name in ["kryteria_http_requests_total", "kryteria_http_request_duration_seconds", "kryteria_evaluations_total",
                     "kryteria_sandbox_limit_hits_total", "kryteria_ruleset_rules"] {
            XCTAssertTrue(m.contains("# HELP \(name) "), name)
        }
        // the access log: method, path, status and milliseconds with two decimals
        let logged = await eventually {
            s.stderr.range(of: #"GET /v1/rules/zaz-staff 200 [0-9]+\.[0-9]{2} ms"#, options: .regularExpression) != nil
        }
        XCTAssertTrue(logged, s.stderr)
    }

    func testErrorStatusesAreJSONInTheChosenLanguage() async throws {
        let s = try ServerProcess(["--max-body", "4096"])
        defer { s.stop() }
        // 400 malformed JSON, with line and column
        let bad = try await http("POST", s.base + "/v1/evaluate", body: Data("{\"kind\": \"person\",\n  \"id\": ,}".utf8))
        XCTAssertEqual(bad.status, 400, bad.text)
        XCTAssertEqual(bad.error["code"] as? String, "malformed_json")
        XCTAssertEqual(bad.error["line"] as? Int, 2)
        XCTAssertEqual(bad.error["column"] as? Int, 9)
        XCTAssertEqual(bad.error["message"] as? String,
                       "niepoprawny JSON: wiersz 2, kolumna 9: oczekiwano wartości (obiektu, tablicy, tekstu, liczby, true, false lub null), jest ','",
                       bad.text)
        // 415: a form upload or a compressed body is said to be one, not read as broken JSON
        let form = try await http("POST", s.base + "/v1/evaluate", body: Data("--x\r\n\r\n{}\r\n--x--\r\n".utf8),
                                  headers: ["Content-Type": "multipart/form-data; boundary=x"])
        XCTAssertEqual(form.status, 415, form.text)
        XCTAssertEqual(form.error["code"] as? String, "unsupported_media_type")
        XCTAssertEqual(form.error["message"] as? String,
                       "treść typu multipart/form-data nie jest profilem JSON; wyślij sam JSON (Content-Type: application/json)")
        let gz = try await http("POST", s.base + "/v1/batch?lang=en", body: Data([0x1f, 0x8b, 0x08, 0x00]), headers: ["Content-Encoding": "gzip"])
        XCTAssertEqual(gz.status, 415, gz.text)
        XCTAssertEqual(gz.error["code"] as? String, "unsupported_encoding")
        let plain = try await http("POST", s.base + "/v1/evaluate", body: try fileData("Playground/profiles/os-901.json"),
                                   headers: ["Content-Type": "application/x-www-form-urlencoded"])
        XCTAssertEqual(plain.status, 200, "curl --data-binary's default type is read as JSON")
        let badEn = try await http("POST", s.base + "/v1/evaluate?lang=en", body: Data("{\"kind\": ".utf8))
        XCTAssertEqual(badEn.error["message"] as? String, "malformed JSON: line 1, column 10: unexpected end of input (expected a value)",
                       badEn.text)
        XCTAssertEqual(badEn.error["line"] as? Int, 1)
        XCTAssertEqual(badEn.error["column"] as? Int, 10)
        // 422 invalid profile: the contract's error with JSON paths
        let invalid = try await http("POST", s.base + "/v1/evaluate",
                                     body: Data(#"{"kind":"enterprise","employees":[{"fte":"dużo"}]}"#.utf8))
        XCTAssertEqual(invalid.status, 422, invalid.text)
        XCTAssertEqual(invalid.error["code"] as? String, "invalid_profile")
        let paths = (invalid.error["problems"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
        XCTAssertTrue(paths.contains("$.employees[0].fte"), invalid.text)
        let m = try await http("GET", s.base + "/metrics").text
        XCTAssertTrue(m.contains("kryteria_invalid_profiles_total 1"), m)
        // 413 over --max-body
        let big = try await http("POST", s.base + "/v1/evaluate", body: Data(repeating: 0x20, count: 5000))
        XCTAssertEqual(big.status, 413, big.text)
        XCTAssertEqual(big.error["code"] as? String, "body_too_large")
        XCTAssertEqual(big.error["message"] as? String, "treść żądania przekracza limit 4096 bajtów")
        // a client that declares a large body and waits for "100 Continue" (libcurl in PHP does) is
        // answered at once, before it sends anything
        let started = Date()
        let (expectStatus, _) = try curl(["--max-time", "5", "-H", "Expect: 100-continue", "-H", "Content-Length: 999999999",
                                          "--data-binary", "@/dev/null", s.base + "/v1/evaluate"])
        XCTAssertEqual(expectStatus, 413)
        XCTAssertLessThan(Date().timeIntervalSince(started), 4)
        // 404, 405 (with Allow)
        let nf = try await http("GET", s.base + "/v2/nothing", headers: ["Accept-Language": "en"])
        XCTAssertEqual(nf.status, 404)
        XCTAssertEqual(nf.error["message"] as? String, "no such resource: /v2/nothing")
        let na = try await http("GET", s.base + "/v1/evaluate")
        XCTAssertEqual(na.status, 405, na.text)
        XCTAssertEqual(na.header("Allow"), "POST")
        XCTAssertEqual(na.error["code"] as? String, "method_not_allowed")
        let na2 = try await http("DELETE", s.base + "/v1/rules/ps-status")
        XCTAssertEqual(na2.status, 405, na2.text)
        XCTAssertEqual(na2.header("Allow"), "GET, HEAD")
        // HEAD as GET, without the body (curl -I)
        let (headStatus, headOut) = try curl(["-I", s.base + "/health"])
        XCTAssertEqual(headStatus, 200, headOut)
        XCTAssertTrue(headOut.lowercased().contains("content-type: application/json"), headOut)
        XCTAssertFalse(headOut.contains("\"status\""), "no body: " + headOut)
        // 400 for bad query parameters
        let date = try await http("POST", s.base + "/v1/evaluate?as_of=2025-02-30", body: try fileData("Playground/profiles/pes-002.json"))
        XCTAssertEqual(date.status, 400)
        XCTAssertEqual(date.error["code"] as? String, "invalid_as_of")
        let rule = try await http("POST", s.base + "/v1/evaluate?rule=nope", body: try fileData("Playground/profiles/pes-002.json"))
        XCTAssertEqual(rule.status, 400)
        XCTAssertEqual(rule.error["code"] as? String, "unknown_rule")
        let lang = try await http("POST", s.base + "/v1/evaluate?lang=de", body: try fileData("Playground/profiles/pes-002.json"))
        XCTAssertEqual(lang.status, 400)
        // a misspelt parameter is refused, not passed over (the profile would be evaluated on another day)
        let typo = try await http("POST", s.base + "/v1/evaluate?asof=2025-06-30", body: try fileData("Playground/profiles/pes-002.json"))
        XCTAssertEqual(typo.status, 400, typo.text)
        XCTAssertEqual(typo.error["code"] as? String, "unknown_parameter")
        XCTAssertEqual(typo.error["message"] as? String,
                       "nieznany parametr zapytania 'asof' (czy chodziło o 'as_of'?); znane: rule, as_of, lang, format")
        let rulesLang = try await http("GET", s.base + "/v1/rules?lang=xx")
        XCTAssertEqual(rulesLang.status, 400)
        XCTAssertEqual(rulesLang.error["code"] as? String, "invalid_lang")
        // format=html: the decision sheet, in the chosen language, naming the act and the ruleset
        let html = try await http("POST", s.base + "/v1/evaluate?format=html", body: try fileData("Playground/profiles/pes-002.json"))
        XCTAssertEqual(html.status, 200, html.text)
        XCTAssertTrue(html.header("Content-Type")?.contains("text/html") ?? false, "\(html.headers)")
        XCTAssertTrue(html.text.contains("NIE SPEŁNIA"), html.text)
        XCTAssertTrue(html.text.contains("Dz.U. 2024 poz. 113"), html.text)
        XCTAssertTrue(html.text.contains("<h1>Fundacja Warmińska Przystań, Olsztyn</h1>"), "the applicant named as check --format html names them")
        XCTAssertFalse(html.text.contains("http://") || html.text.contains("https://"), "no network resources")
        let htmlEn = try await http("POST", s.base + "/v1/evaluate?format=html&lang=en", body: try fileData("Playground/profiles/pes-002.json"))
        XCTAssertTrue(htmlEn.text.contains("NOT ELIGIBLE"), htmlEn.text)
        // the server still serves
        let ok = try await http("GET", s.base + "/health")
        XCTAssertEqual(ok.status, 200)
    }

    func testBatchStreamsTheSameLinesAsTheCLIInInputOrder() async throws {
        let s = try ServerProcess(["--jobs", "2"])
        defer { s.stop() }
        let input = try fileData("Playground/applications.jsonl")
        let r = try await http("POST", s.base + "/v1/batch", body: input, headers: ["Content-Type": "application/x-ndjson"])
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.header("Content-Type"), "application/x-ndjson; charset=utf-8")
        XCTAssertEqual(r.header("Transfer-Encoding")?.lowercased(), "chunked")
        let expected = try cli(["batch", "-q", "Playground/applications.jsonl"])
        XCTAssertEqual(r.text, String(decoding: expected, as: UTF8.self))
        // the broken lines of the Playground file got error lines, as in kryteria batch
        XCTAssertTrue(r.text.contains(#"{"line":31,"error":{"code":"malformed_json""#), r.text)
        XCTAssertTrue(r.text.contains(#"{"line":26,"id":"wn-2025-bad-schema","kind":"application""#), r.text)
        // an array cut short (no closing ']'): its records answered, then a last line says it is broken
        let person = String(decoding: try fileData("Playground/profiles/os-901.json"), as: UTF8.self)
            .replacingOccurrences(of: "\n", with: "")
        let cut = try await http("POST", s.base + "/v1/batch", body: Data(("[" + person + ",\n" + person + "\n").utf8))
        let cutLines = cut.text.split(separator: "\n").map(String.init)
        XCTAssertEqual(cutLines.count, 3, cut.text)
        XCTAssertEqual(cutLines.last, #"{"error":{"code":"malformed_json","message":"wiersz 3, kolumna 1: tablica profili nie jest zamknięta znakiem ']' (plik urwany? rekordów może brakować)"}}"#)
        let trailing = try await http("POST", s.base + "/v1/batch?lang=en", body: Data(("[" + person + "] " + person).utf8))
        XCTAssertEqual(trailing.text.split(separator: "\n").last.map(String.init),
                       #"{"error":{"code":"malformed_json","message":"line 1, column \#(person.utf8.count + 4): text after the closing ']' of the array of profiles was not evaluated"}}"#)

        // a large body: every record answered once, in input order, and memory flat: after a
        // first batch has warmed the server up, a body several times larger does not raise its peak much
        let one = String(decoding: try fileData("Playground/profiles/pes-002.json"), as: UTF8.self)
            .replacingOccurrences(of: "\n", with: "")
        func body(_ n: Int) -> Data {
            var big = ""
            for i in 1...n { big += one.replacingOccurrences(of: "\"pes-002\"", with: "\"r\(i)\"") + "\n" }
            return Data(big.utf8)
        }
        let t0 = Date()
        let warm = try await http("POST", s.base + "/v1/batch", body: body(5_000))
        let clientMillis = Date().timeIntervalSince(t0) * 1000
        XCTAssertEqual(warm.text.split(separator: "\n").count, 5_000)
        // the access log times a batch to the end of its stream, not to the handler's return
        let logged = await eventually { s.stderr.components(separatedBy: "POST /v1/batch 200 ").count >= 5 }   // (the fourth batch of this server)
        XCTAssertTrue(logged, s.stderr)
        let lastLine = s.stderr.components(separatedBy: "POST /v1/batch 200 ").last ?? ""
        let millis = Double(lastLine.prefix { $0 != " " }) ?? 0
        XCTAssertGreaterThan(millis, clientMillis / 3, "logged \(millis) ms for a stream the client waited \(clientMillis) ms for")
        let before = s.peakRSSKiB
        let n = 40_000
        let big = body(n)
        let rb = try await http("POST", s.base + "/v1/batch", body: big)
        XCTAssertEqual(rb.status, 200)
        let lines = rb.text.split(separator: "\n")
        XCTAssertEqual(lines.count, n)
        for (i, l) in lines.enumerated() where !l.hasPrefix("{\"line\":\(i + 1),\"id\":\"r\(i + 1)\"") {
            XCTFail("line \(i + 1) out of order: \(l.prefix(60))")
            break
        }
        let growth = s.peakRSSKiB - before
        // holding the body (or the answer, about twice the body) would grow it by the whole body at least;
        // streaming grows it by 12-17 MiB of allocator arenas here, more when the machine is busy
        XCTAssertLessThan(growth, big.count / 1024 * 3 / 4, "peak RSS grew by \(growth) KiB for a \(big.count / 1024) KiB body")
        print("batch over HTTP: \(n) records, body \(big.count / 1024) KiB, peak RSS \(before) → \(before + growth) KiB")
    }

    func testWhatIfGivesBeforeAfterAndFlippedCriteria() async throws {
        let s = try ServerProcess([])
        defer { s.stop() }
        let profile = try JSONSerialization.jsonObject(with: try fileData("Playground/profiles/pes-002.json"))
        let body = try JSONSerialization.data(withJSONObject: ["profile": profile, "changes": ["public_control": true]])
        let r = try await http("POST", s.base + "/v1/whatif?rule=ps-status", body: body)
        XCTAssertEqual(r.status, 200, r.text)
        let rules = r.json["rules"] as? [[String: Any]] ?? []
        XCTAssertEqual(rules.map { $0["rule"] as? String }, ["ps-status"])
        let flipped = rules.first?["flipped"] as? [[String: Any]] ?? []
        XCTAssertEqual(flipped.first?["id"] as? String, "PS-03", r.text)
        XCTAssertEqual(flipped.first?["before"] as? String, "pass")
        XCTAssertEqual(flipped.first?["after"] as? String, "fail")
        XCTAssertEqual(r.json["criteria_flipped"] as? Int, flipped.count)
        // before is exactly the evaluation of the unchanged profile
        let before = try JSONSerialization.data(withJSONObject: r.json["before"]!)
        let ev = try JSONDecoder().decode(Evaluation.self, from: before)
        XCTAssertEqual(ev.result("ps-status")?.criterion("PS-03")?.outcome, .pass)
        // the array form of changes
        let body2 = try JSONSerialization.data(withJSONObject: ["profile": profile, "changes": [["path": "employees[0].fte", "value": 0.5]]])
        let r2 = try await http("POST", s.base + "/v1/whatif", body: body2)
        XCTAssertEqual(r2.status, 200, r2.text)
        // another programme: the rules that stop applying are listed too, after null, and counted
        let app = try JSONSerialization.jsonObject(with: try fileData("Playground/profiles/wn-2025-001.json"))
        let other = try JSONSerialization.data(withJSONObject: ["profile": app, "changes": ["program": "pup-job-grant"]])
        let r3 = try await http("POST", s.base + "/v1/whatif", body: other)
        XCTAssertEqual(r3.status, 200, r3.text)
        let list = r3.json["rules"] as? [[String: Any]] ?? []
        XCTAssertEqual(Set(list.compactMap { $0["rule"] as? String }),
                       ["pup-job-grant", "owes-job-creation", "owes-job-creation-scoring"], r3.text)
        let gone = try XCTUnwrap(list.first { $0["rule"] as? String == "owes-job-creation" })
        XCTAssertTrue(gone["after"] is NSNull, r3.text)
        XCTAssertEqual(gone["changed"] as? Bool, true)
        XCTAssertEqual(r3.json["rules_changed"] as? Int, list.filter { $0["changed"] as? Bool == true }.count)
        XCTAssertEqual(r3.json["rules_changed"] as? Int, 3)
        // failures: no profile (422 with a path), a change that makes the profile invalid (422), bad JSON (400)
        let noProfile = try await http("POST", s.base + "/v1/whatif", body: Data(#"{"changes":{"a":1}}"#.utf8))
        XCTAssertEqual(noProfile.status, 422)
        XCTAssertEqual((noProfile.error["problems"] as? [[String: Any]])?.first?["path"] as? String, "$.profile")
        let invalidAfter = try JSONSerialization.data(withJSONObject: ["profile": profile, "changes": ["employees[0].fte": "dużo"]])
        let ia = try await http("POST", s.base + "/v1/whatif", body: invalidAfter)
        XCTAssertEqual(ia.status, 422, ia.text)
        XCTAssertEqual(ia.json["side"] as? String, "after")
        XCTAssertEqual(ia.error["code"] as? String, "invalid_profile")
        let badJSON = try await http("POST", s.base + "/v1/whatif", body: Data("{\"profile\": {,}".utf8))
        XCTAssertEqual(badJSON.status, 400)
        XCTAssertEqual(badJSON.error["line"] as? Int, 1, badJSON.text)
        XCTAssertEqual(badJSON.error["column"] as? Int, 14, badJSON.text)
        XCTAssertEqual(badJSON.error["message"] as? String,
                       "niepoprawny JSON: wiersz 1, kolumna 14: oczekiwano: klucz w cudzysłowie podwójnym, jest ','", badJSON.text)
    }

    func testRulesAndSchemas() async throws {
        let s = try ServerProcess([])
        defer { s.stop() }
        let list = try await http("GET", s.base + "/v1/rules")
        XCTAssertEqual(list.status, 200)
        let health = try await http("GET", s.base + "/health")
        XCTAssertEqual((list.json["rules"] as? [Any])?.count, health.json["rules"] as? Int)
        let rule = try await http("GET", s.base + "/v1/rules/ps-status?as_of=2025-06-01&lang=en")
        XCTAssertEqual(rule.status, 200, rule.text)
        XCTAssertEqual(rule.json["title"] as? String, "Social enterprise status")
        XCTAssertEqual((rule.json["criteria"] as? [[String: Any]])?.first?["id"] as? String, "PS-01")
        let params = rule.json["parameters"] as? [[String: Any]] ?? []
        XCTAssertFalse(params.isEmpty, rule.text)
        XCTAssertTrue(params.allSatisfy { $0["name"] is String && $0["basis"] is String }, rule.text)
        let missing = try await http("GET", s.base + "/v1/rules/nope")
        XCTAssertEqual(missing.status, 404)
        XCTAssertEqual(missing.error["code"] as? String, "unknown_rule")
        for kind in ["person", "enterprise", "application"] {
            let schema = try await http("GET", s.base + "/v1/schemas/\(kind)")
            XCTAssertEqual(schema.status, 200)
            XCTAssertEqual(schema.body, try fileData("Rules/schema/\(kind).schema.json"))
        }
        let noSchema = try await http("GET", s.base + "/v1/schemas/..%2F..%2Fetc%2Fpasswd")
        XCTAssertEqual(noSchema.status, 404)
        // a segment as a client may encode it
        let encoded = try await http("GET", s.base + "/v1/rules/ps%2Dstatus")
        XCTAssertEqual(encoded.status, 200, encoded.text)
        XCTAssertEqual(encoded.json["id"] as? String, "ps-status")
    }

    /// `GET /v1/rules/{id}?as_of=` fills a label that names a parameter with the value of that day.
    func testRuleLabelsFollowTheDateAsked() async throws {
        let rules = try rulesCopy(self)
        let f = rules.appendingPathComponent("parameters/ps.lua")
        let text = try String(contentsOf: f, encoding: .utf8)
        try write(text.replacingOccurrences(of: "{ from = \"2022-10-30\", value = 3 },",
                                            with: "{ from = \"2022-10-30\", value = 3 },\n  { from = \"2027-01-01\", value = 5 },"), f)
        let s = try ServerProcess(["--rules", rules.path])
        defer { s.stop() }
        for (date, label) in [("2026-12-31", "Co najmniej 3 osoby"), ("2027-01-01", "Co najmniej 5 osób")] {
            let r = try await http("GET", s.base + "/v1/rules/ps-status?as_of=\(date)")
            XCTAssertEqual(r.status, 200, r.text)
            let ps05 = (r.json["criteria"] as? [[String: Any]])?.first { $0["id"] as? String == "PS-05" }
            XCTAssertEqual((ps05?["label"] as? String)?.hasPrefix(label), true, "\(date): \(r.text)")
        }
    }

    func testTokenReloadBrokenFolderAndSIGHUP() async throws {
        let rules = try rulesCopy(self)
        let tokenFile = rules.deletingLastPathComponent().appendingPathComponent("token")
        try write("s3cret\n", tokenFile)
        let s = try ServerProcess(["--rules", rules.path, "--token-file", tokenFile.path])
        defer { s.stop() }
        let h0 = try await http("GET", s.base + "/health").json["ruleset"] as? String
        let none = try await http("POST", s.base + "/v1/reload")
        XCTAssertEqual(none.status, 401)
        XCTAssertEqual(none.error["code"] as? String, "unauthorized")
        XCTAssertEqual(none.header("WWW-Authenticate"), "Bearer realm=\"kryteria\"")
        let wrong = try await http("POST", s.base + "/v1/reload", headers: ["Authorization": "Bearer nope"])
        XCTAssertEqual(wrong.status, 401)
        let caseOfToken = try await http("POST", s.base + "/v1/reload", headers: ["Authorization": "Bearer S3CRET"])
        XCTAssertEqual(caseOfToken.status, 401)
        let ok = try await http("POST", s.base + "/v1/reload", headers: ["Authorization": "bearer s3cret"])
        XCTAssertEqual(ok.status, 200, ok.text)
        XCTAssertEqual(ok.json["ruleset"] as? String, h0)

        // a broken folder: the old ruleset stays, every problem as file:line
        let rule = rules.appendingPathComponent("ps-status.lua")
        let original = try String(contentsOf: rule, encoding: .utf8)
        try write(original + "\nthis is not lua\n", rule)
        try write("rule \"x\" { titel = 1 }\n", rules.appendingPathComponent("zz-broken.lua"))
        let broken = try await http("POST", s.base + "/v1/reload?lang=en", headers: ["Authorization": "Bearer s3cret"])
        XCTAssertEqual(broken.status, 422, broken.text)
        XCTAssertEqual(broken.error["code"] as? String, "broken_ruleset")
        let problems = broken.error["problems"] as? [String] ?? []
        XCTAssertGreaterThanOrEqual(problems.count, 2, broken.text)
        XCTAssertTrue(problems.contains { $0.range(of: #"ps-status\.lua:\d+: "#, options: .regularExpression) != nil }, broken.text)
        XCTAssertTrue(problems.contains { $0.range(of: #"zz-broken\.lua:1: "#, options: .regularExpression) != nil }, broken.text)
        XCTAssertEqual(broken.error["ruleset"] as? String, h0)
        // the problems in the request's language: no Polish sentence in an English answer, and back
        XCTAssertFalse(problems.contains { $0.contains("nie został") || $0.contains("reguła") || $0.contains("pominięto") }, broken.text)
        let brokenPl = try await http("POST", s.base + "/v1/reload", headers: ["Authorization": "Bearer s3cret"])
        let problemsPl = brokenPl.error["problems"] as? [String] ?? []
        XCTAssertEqual(problemsPl.count, problems.count)
        XCTAssertNotEqual(problemsPl, problems, "the Polish words differ from the English ones")
        let still = try await http("POST", s.base + "/v1/evaluate", body: try fileData("Playground/profiles/pes-002.json"))
        XCTAssertEqual(still.status, 200)
        XCTAssertEqual(still.json["ruleset"] as? String, h0)

        // fixed and changed, then SIGHUP: the new ruleset is swapped in
        try write(original, rule)
        try FileManager.default.removeItem(at: rules.appendingPathComponent("zz-broken.lua"))
        let ps = rules.appendingPathComponent("parameters/ps.lua")
        let p = try String(contentsOf: ps, encoding: .utf8)
        try write(p + "\n-- changed\n", ps)
        kill(s.pid, SIGHUP)
        let swapped = await eventually {
            let h = try? await http("GET", s.base + "/health")
            return (h?.json["ruleset"] as? String).map { $0 != h0 } ?? false
        }
        XCTAssertTrue(swapped, s.stderr)
        let metrics = try await http("GET", s.base + "/metrics").text
        XCTAssertTrue(metrics.contains(#"kryteria_reloads_total{result="failed"} 2"#), metrics)   // (asked in English, then Polish)
        XCTAssertTrue(metrics.contains(#"kryteria_reloads_total{result="ok"} 2"#), metrics)
    }

    func testNoValidRulesetIs503UntilAReloadSucceeds() async throws {
        let rules = try rulesCopy(self)
        let rule = rules.appendingPathComponent("ps-status.lua")
        let original = try String(contentsOf: rule, encoding: .utf8)
        try write(original + "\nthis is not lua\n", rule)
        let s = try ServerProcess(["--rules", rules.path])
        defer { s.stop() }
        let h = try await http("GET", s.base + "/health")
        XCTAssertEqual(h.status, 503, h.text)
        XCTAssertEqual(h.error["code"] as? String, "no_ruleset")
        XCTAssertTrue((h.error["problems"] as? [String] ?? []).contains { $0.contains("ps-status.lua:") }, h.text)
        // the same problems in English for an English request
        let hEn = try await http("GET", s.base + "/health?lang=en")
        let pl = h.error["problems"] as? [String] ?? [], en = hEn.error["problems"] as? [String] ?? []
        XCTAssertEqual(pl.count, en.count, hEn.text)
        XCTAssertFalse(en.contains { $0.contains("nie został") || $0.contains("pominięt") }, hEn.text)
        XCTAssertTrue(pl.contains { $0.contains("nie został") || $0.contains("pominięt") }, h.text)
        let ev = try await http("POST", s.base + "/v1/evaluate", body: try fileData("Playground/profiles/pes-002.json"))
        XCTAssertEqual(ev.status, 503)
        try write(original, rule)
        let r = try await http("POST", s.base + "/v1/reload")
        XCTAssertEqual(r.status, 200, r.text)
        let h2 = try await http("GET", s.base + "/health")
        XCTAssertEqual(h2.status, 200)
    }

    func testARunawayRuleAnswersItsRecordAndTheServerKeepsServing() async throws {
        let rules = try rulesCopy(self)
        try write("""
        rule "loops" { applies_to = "person", title = { pl = "Pętla", en = "Loop" }, basis = "b" }
        criterion "L-1" { basis = "a", pl = "x", check = function(p) while true do end end }
        rule "eats" { applies_to = "person", title = { pl = "Pamięć", en = "Memory" }, basis = "b" }
        criterion "M-1" { basis = "a", pl = "x", check = function(p) local t = {} local s = "x" while true do s = s .. s; t[#t + 1] = s end end }
        """, rules.appendingPathComponent("zz-runaway.lua"))
        let s = try ServerProcess(["--rules", rules.path, "--jobs", "2"])
        defer { s.stop() }
        let person = try fileData("Playground/profiles/os-901.json")
        for _ in 0..<3 {
            let r = try await http("POST", s.base + "/v1/evaluate", body: person)
            XCTAssertEqual(r.status, 200, r.text)
            let results = r.json["results"] as? [[String: Any]] ?? []
            let loops = results.first { $0["rule"] as? String == "loops" }
            XCTAssertTrue((loops?["error"] as? String ?? "").contains("przekroczono limit instrukcji"), r.text)
            let eats = results.first { $0["rule"] as? String == "eats" }
            XCTAssertTrue((eats?["error"] as? String ?? "").contains("przekroczono limit pamięci"), r.text)
            XCTAssertEqual(results.first { $0["rule"] as? String == "at-risk-person" }?["outcome"] as? String, "eligible", r.text)
        }
        // a batch with it: one line per record
        let lines = String(repeating: String(decoding: person, as: UTF8.self).replacingOccurrences(of: "\n", with: "") + "\n", count: 4)
        let b = try await http("POST", s.base + "/v1/batch", body: Data(lines.utf8))
        XCTAssertEqual(b.text.split(separator: "\n").count, 4)
        let h = try await http("GET", s.base + "/health")
        XCTAssertEqual(h.status, 200)
        let metrics = try await http("GET", s.base + "/metrics").text
        // three evaluations and a batch of four records, two rules stopped in each
        XCTAssertTrue(metrics.contains("kryteria_sandbox_limit_hits_total 14"), metrics)
    }

    func testAFullQueueAnswers503AndTheServerRecovers() async throws {
        let rules = try rulesCopy(self)
        try write("""
        rule "loops" { applies_to = "person", title = { pl = "Pętla", en = "Loop" }, basis = "b" }
        criterion "L-1" { basis = "a", pl = "x", check = function(p) while true do end end }
        """, rules.appendingPathComponent("zz-runaway.lua"))
        let s = try ServerProcess(["--rules", rules.path, "--jobs", "1", "--queue", "1"])
        defer { s.stop() }
        let person = try fileData("Playground/profiles/os-901.json")
        let base = s.base
        let statuses = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let r = try await http("POST", base + "/v1/evaluate", body: person, headers: ["Accept-Language": "en"])
                    return (r.status, r.error["code"] as? String ?? "")
                }
            }
            var all: [(Int, String)] = []
            for try await x in group { all.append(x) }
            return all
        }
        XCTAssertTrue(statuses.contains { $0 == (503, "busy") }, "\(statuses)")
        XCTAssertTrue(statuses.contains { $0.0 == 200 }, "\(statuses)")
        XCTAssertTrue(statuses.allSatisfy { $0.0 == 200 || $0 == (503, "busy") }, "\(statuses)")
        let again = try await http("POST", base + "/v1/evaluate", body: person)
        XCTAssertEqual(again.status, 200)
    }

    func testReloadUnderLoadLosesNoRequest() async throws {
        let rules = try rulesCopy(self)
        let ps = rules.appendingPathComponent("parameters/ps.lua")
        let original = try String(contentsOf: ps, encoding: .utf8)
        let s = try ServerProcess(["--rules", rules.path, "--jobs", "2"])
        defer { s.stop() }
        let h0 = try await http("GET", s.base + "/health").json["ruleset"] as! String
        let body = try fileData("Playground/profiles/pes-002.json")
        let base = s.base
        let results = try await withThrowingTaskGroup(of: [(Int, String)].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var out: [(Int, String)] = []
                    for _ in 0..<40 {
                        let r = try await http("POST", base + "/v1/evaluate", body: body)
                        out.append((r.status, r.json["ruleset"] as? String ?? ""))
                    }
                    return out
                }
            }
            group.addTask {
                var hashes: [(Int, String)] = []
                for i in 0..<10 {
                    try write(original + "\n-- version \(i % 2)\n", ps)
                    let r = try await http("POST", base + "/v1/reload")
                    hashes.append((r.status == 200 ? -1 : r.status, r.json["ruleset"] as? String ?? ""))
                }
                return hashes
            }
            var all: [(Int, String)] = []
            for try await part in group { all += part }
            return all
        }
        let reloads = results.filter { $0.0 != 200 }
        let evaluations = results.filter { $0.0 == 200 }
        XCTAssertTrue(reloads.allSatisfy { $0.0 == -1 }, "\(reloads)")
        XCTAssertEqual(evaluations.count, 320, "every request answered 200")
        let known = Set([h0] + reloads.map(\.1))
        XCTAssertEqual(known.count, 3, "two versions and the original")
        XCTAssertTrue(evaluations.allSatisfy { known.contains($0.1) }, "each answer names a ruleset that was loaded")
    }

    func testMetricsOpenAPICORSAndDecisionLog() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kryteria-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("decisions.jsonl")
        let s = try ServerProcess(["--cors", "https://formularz.example.pl", "--decision-log", log.path])
        defer { s.stop() }
        let body = try fileData("Playground/profiles/pes-002.json")
        let r = try await http("POST", s.base + "/v1/evaluate", body: body, headers: ["Origin": "https://formularz.example.pl"])
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.header("Access-Control-Allow-Origin"), "https://formularz.example.pl")
        let pre = try await http("OPTIONS", s.base + "/v1/evaluate", headers: [
            "Origin": "https://formularz.example.pl", "Access-Control-Request-Method": "POST"])
        XCTAssertEqual(pre.status, 204, pre.text)
        // an invalid profile is logged with its error's code
        let invalid = try await http("POST", s.base + "/v1/evaluate", body: Data(#"{"kind":"enterprise","employees":7}"#.utf8))
        XCTAssertEqual(invalid.status, 422)
        // decision log: hash of the input, outcomes, no personal data
        let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        let entry = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as! [String: Any]
        // the input's SHA-256 as sha256sum computes it
        let sum = Process()
        sum.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sum.arguments = ["sha256sum", repoRoot + "/Playground/profiles/pes-002.json"]
        let sumOut = Pipe()
        sum.standardOutput = sumOut
        try sum.run()
        let sumText = String(decoding: sumOut.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        sum.waitUntilExit()
        XCTAssertEqual(entry["input_sha256"] as? String, sumText.split(separator: " ").first.map(String.init))
        XCTAssertEqual(entry["input_sha256"] as? String, Digest.sha256Hex(Array(body)))
        XCTAssertEqual(entry["as_of"] as? String, "2025-06-01")
        XCTAssertEqual(entry["ruleset"] as? String, r.json["ruleset"] as? String)
        XCTAssertEqual(entry["route"] as? String, "/v1/evaluate")
        // the time in UTC, ISO 8601 to the millisecond, within a minute of now
        let time = entry["time"] as? String ?? ""
        XCTAssertNotNil(time.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"#, options: .regularExpression), time)
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        XCTAssertLessThan(abs(iso.date(from: time)?.timeIntervalSinceNow ?? 1e9), 60, time)
        let bad = try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as! [String: Any]
        XCTAssertEqual(bad["error"] as? String, "invalid_profile", String(lines[1]))
        XCTAssertNil(bad["outcomes"])
        XCTAssertEqual((entry["outcomes"] as? [String: String])?["ps-status"], r.json["results"].flatMap { ($0 as? [[String: Any]])?.first { $0["rule"] as? String == "ps-status" }?["outcome"] as? String })
        XCTAssertFalse(lines[0].contains("Warmińska"), "no names in the decision log")
        XCTAssertFalse(lines[0].contains("Szymański"))

        // a batch's records are logged and counted as evaluations are: one line per record, in order
        let person = String(decoding: try fileData("Playground/profiles/os-901.json"), as: UTF8.self).replacingOccurrences(of: "\n", with: "")
        let b = try await http("POST", s.base + "/v1/batch", body: Data((person + "\n{\"kind\":\"person\",\"birth_date\":7}\n").utf8))
        XCTAssertEqual(b.status, 200)
        let all = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(all.count, 4, all.joined(separator: "\n"))
        let b1 = try JSONSerialization.jsonObject(with: Data(all[2].utf8)) as! [String: Any]
        XCTAssertEqual(b1["route"] as? String, "/v1/batch")
        XCTAssertEqual(b1["input_sha256"] as? String, Digest.sha256Hex(Array(person.utf8)))
        XCTAssertNotNil(b1["outcomes"] as? [String: String])
        XCTAssertEqual((try JSONSerialization.jsonObject(with: Data(all[3].utf8)) as! [String: Any])["error"] as? String, "invalid_profile")

        let m = try await http("GET", s.base + "/metrics")
        XCTAssertEqual(m.status, 200)
        XCTAssertTrue(m.text.contains("kryteria_invalid_profiles_total 2"), m.text)
        XCTAssertTrue(m.text.contains(#"kryteria_evaluations_total{rule="at-risk-person",outcome="eligible"} 1"#), m.text)
        XCTAssertTrue(m.text.contains(#"kryteria_http_requests_total{route="/v1/evaluate",method="POST",status="200"} 1"#), m.text)
        XCTAssertTrue(m.text.contains(#"kryteria_http_request_duration_seconds_bucket{route="/v1/evaluate",le="#), m.text)
        XCTAssertTrue(m.text.contains(#"kryteria_evaluations_total{rule="ps-status",outcome="#), m.text)
        XCTAssertTrue(m.text.contains("kryteria_ruleset_rules "), m.text)

        let api = try await http("GET", s.base + "/openapi.json")
        XCTAssertEqual(api.status, 200)
        XCTAssertEqual(api.json["openapi"] as? String, "3.1.0")
        let paths = Set((api.json["paths"] as? [String: Any] ?? [:]).keys)
        XCTAssertEqual(paths, ["/health", "/v1/evaluate", "/v1/batch", "/v1/whatif", "/v1/rules", "/v1/rules/{id}",
                               "/v1/schemas/{kind}", "/v1/reload", "/openapi.json", "/metrics"])

        // without --cors: no CORS header
        let plain = try ServerProcess([])
        defer { plain.stop() }
        let r2 = try await http("POST", plain.base + "/v1/evaluate", body: body, headers: ["Origin": "https://formularz.example.pl"])
        XCTAssertNil(r2.header("Access-Control-Allow-Origin"))
    }

    /// Clients that send a large batch and go away without reading the answer (a PHP script that
    /// timed out) give their place back: later batches are served, and SIGTERM still stops the server.
    func testAbandonedBatchesGiveTheirPlaceBack() async throws {
        let s = try ServerProcess(["--jobs", "1"])   // two batches at a time
        let line = String(decoding: try fileData("Playground/profiles/pes-002.json"), as: UTF8.self)
            .replacingOccurrences(of: "\n", with: "") + "\n"
        let block = Array(String(repeating: line, count: 200).utf8)
        for _ in 0..<3 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            addr.sin_port = UInt16(s.port).bigEndian
            let connected = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            XCTAssertTrue(connected)
            var tv = timeval(tv_sec: 1, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            let head = "POST /v1/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 500000000\r\n\r\n"
            _ = head.withCString { send(fd, $0, strlen($0), 0) }
            // send until the server stops taking more (it reads only as fast as the answer is read)
            var sent = 0
            while sent < 60_000_000 {
                let n = block.withUnsafeBytes { send(fd, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { break }
                sent += n
            }
            close(fd)
        }
        // a batch is served again within seconds
        var status = 0
        for _ in 0..<60 {
            let r = try await http("POST", s.base + "/v1/batch", body: Data(line.utf8))
            status = r.status
            if status == 200 { break }
            XCTAssertEqual(r.header("Retry-After"), "1", "a busy answer says when to try again")
            try await Task.sleep(nanoseconds: 500_000_000)
        }
        XCTAssertEqual(status, 200, "the places of abandoned batches were never given back")
        // and SIGTERM stops the server (it waited for the abandoned batches forever)
        kill(s.pid, SIGTERM)
        var exited = false
        for _ in 0..<100 where !exited {
            try await Task.sleep(nanoseconds: 200_000_000)
            exited = !s.process.isRunning
        }
        if !exited { kill(s.pid, SIGKILL) }
        XCTAssertTrue(exited, "SIGTERM did not stop the server within 20 s")
        s.stop()
    }

    func testSIGTERMLetsTheRequestInFlightFinish() async throws {
        let s = try ServerProcess(["--jobs", "1"])
        let one = String(decoding: try fileData("Playground/profiles/pes-002.json"), as: UTF8.self).replacingOccurrences(of: "\n", with: "")
        let n = 6000
        let body = Data(String(repeating: one + "\n", count: n).utf8)
        let base = s.base
        async let answer = http("POST", base + "/v1/batch", body: body)
        try await Task.sleep(nanoseconds: 300_000_000)
        kill(s.pid, SIGTERM)
        let r = try await answer
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.text.split(separator: "\n").count, n, "every record answered before the server stopped")
        s.process.waitUntilExit()
        XCTAssertEqual(s.process.terminationStatus, 0, s.stderr)
        let after = try? await http("GET", base + "/health")
        XCTAssertNil(after, "the server is gone")
    }
}
