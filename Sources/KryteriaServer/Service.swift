import Foundation
import Hummingbird
import Kryteria
import KryteriaBatch
import Logging
import NIOCore

/// The state of the running service and its routes.
final class KryteriaService: @unchecked Sendable {
    let config: ServerConfiguration
    let logger: Logger
    let rules: RulesetHolder
    let pool: EvaluationPool
    let metrics = ServerMetrics()
    let decisionLog: DecisionLog?
    private let batchLock = NSLock()
    private var activeBatches = 0
    let maxBatches: Int

    /// The routes and their methods (for 405 and the access log).
    static let routes: [(pattern: String, methods: [String])] = [
        ("/health", ["GET", "HEAD"]), ("/openapi.json", ["GET", "HEAD"]), ("/metrics", ["GET", "HEAD"]),
        ("/v1/evaluate", ["POST"]), ("/v1/batch", ["POST"]), ("/v1/whatif", ["POST"]),
        ("/v1/rules", ["GET", "HEAD"]), ("/v1/rules/{id}", ["GET", "HEAD"]), ("/v1/schemas/{kind}", ["GET", "HEAD"]),
        ("/v1/reload", ["POST"]),
    ]

    init(config: ServerConfiguration, logger: Logger) throws {
        self.config = config
        self.logger = logger
        rules = RulesetHolder(directory: config.rulesDirectory, limits: config.limits)
        pool = EvaluationPool(threads: max(1, config.jobs), capacity: config.queueCapacity)
        maxBatches = max(2, config.jobs)
        decisionLog = try config.decisionLog.map { try DecisionLog(path: $0) }
        if let (_, info) = rules.current() {
            metrics.rules(info.description.rules.count)
            logger.info("rules loaded", metadata: ["folder": "\(config.rulesDirectory)", "ruleset": "\(info.hash)",
                                                   "rules": "\(info.description.rules.count)"])
        } else {
            logger.error("no valid ruleset; answering 503 until POST /v1/reload or SIGHUP succeeds",
                         metadata: ["problems": "\(rules.lastProblems.map(\.description).joined(separator: "; "))"])
        }
    }

    func reload() async -> Result<RulesetHolder.Info, ProblemList> {
        let holder = rules
        let r = await offLoop { holder.reload() }
        switch r {
        case .success(let info):
            metrics.reload(ok: true)
            metrics.rules(info.description.rules.count)
        case .failure:
            metrics.reload(ok: false)
        }
        return r
    }

    func makeRouter() -> Router<BasicRequestContext> {
        // HEAD answers as GET does, without the body (RFC 9110: every GET route takes HEAD)
        let router = Router(context: BasicRequestContext.self, options: .autoGenerateHeadEndpoints)
        if let origin = config.corsOrigin {
            router.add(middleware: CORSMiddleware(allowOrigin: .custom(origin),
                                                  allowHeaders: [.contentType, .authorization, .acceptLanguage],
                                                  allowMethods: [.get, .post, .options]))
        }
        router.add(middleware: AccessMiddleware(service: self))
        router.get("/health") { req, _ in self.health(req) }
        router.get("/openapi.json") { _, _ in self.openAPI() }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: self.metrics.text())))
        }
        router.post("/v1/evaluate") { req, _ in try await self.evaluate(req) }
        router.post("/v1/batch") { req, _ in try await self.batch(req) }
        router.post("/v1/whatif") { req, _ in try await self.whatif(req) }
        router.get("/v1/rules") { req, _ in try self.listRules(req) }
        // (a path segment as a client may encode it: /v1/rules/ps%2Dstatus is ps-status)
        @Sendable func segment(_ ctx: BasicRequestContext, _ name: String) -> String {
            let raw = ctx.parameters.get(name) ?? ""
            return raw.removingPercentEncoding ?? raw
        }
        router.get("/v1/rules/:id") { req, ctx in try self.showRule(req, id: segment(ctx, "id")) }
        router.get("/v1/schemas/:kind") { req, ctx in try self.schema(req, kind: segment(ctx, "kind")) }
        router.post("/v1/reload") { req, _ in try await self.reloadRoute(req) }
        return router
    }

    // MARK: helpers

    static func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func json(object: Any, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return json(Array(data) + [0x0A], status: status)
    }

    func requireRules(_ lang: Language) throws -> (Engine, RulesetHolder.Info) {
        guard let c = rules.current() else { throw APIError.noRuleset(lang) }
        return c
    }

    /// A body the engine cannot read as it comes is refused with 415, not read as broken JSON: a
    /// compressed one (Content-Encoding) or a form upload (multipart). Any other type is read as JSON
    /// (curl's --data-binary says application/x-www-form-urlencoded).
    func checkBodyType(_ req: Request, _ lang: Language) throws {
        if let enc = req.headers[.contentEncoding], enc.lowercased() != "identity" {
            throw APIError(status: .unsupportedMediaType, code: "unsupported_encoding",
                           message: APIError.pick(lang, "treść zakodowana (Content-Encoding: \(enc)) nie jest obsługiwana; wyślij zwykły JSON",
                                                  "an encoded body (Content-Encoding: \(enc)) is not supported; send plain JSON"))
        }
        if let type = req.headers[.contentType], type.lowercased().hasPrefix("multipart/") {
            let t = type.split(separator: ";").first.map(String.init) ?? type
            throw APIError(status: .unsupportedMediaType, code: "unsupported_media_type",
                           message: APIError.pick(lang, "treść typu \(t) nie jest profilem JSON; wyślij sam JSON (Content-Type: application/json)",
                                                  "a \(t) body is not a JSON profile; send the JSON itself (Content-Type: application/json)"))
        }
    }

    func body(_ req: Request, _ lang: Language) async throws -> [UInt8] {
        try checkBodyType(req, lang)
        // a declared length over the limit is refused before the body is read (a client that waits
        // for "100 Continue" gets its answer at once instead of a silence)
        if let declared = req.headers[.contentLength].flatMap({ Int($0) }), declared > config.maxBody {
            throw APIError.tooLarge(lang, limit: config.maxBody)
        }
        do {
            let buf = try await req.body.collect(upTo: config.maxBody)
            return Array(buffer: buf)
        } catch is NIOTooManyBytesError {
            throw APIError.tooLarge(lang, limit: config.maxBody)
        }
    }

    /// The query's parameters: each one the route knows (a misspelt `asof` would otherwise be
    /// passed over and the profile evaluated on another day), and `lang` pl or en.
    func checkQuery(_ req: Request, _ lang: Language, _ allowed: [String]) throws {
        let q = req.uri.queryParameters
        for (name, _) in q where !allowed.contains(String(name)) {
            let name = String(name)
            let hint = Spelling.closest(name, among: allowed).map { APIError.pick(lang, " (czy chodziło o '\($0)'?)", " (did you mean '\($0)'?)") } ?? ""
            let list = allowed.isEmpty ? APIError.pick(lang, "brak", "none") : allowed.joined(separator: ", ")
            throw APIError.badRequest("unknown_parameter", APIError.pick(lang, "nieznany parametr zapytania '\(name)'\(hint); znane: \(list)",
                                                                           "unknown query parameter '\(name)'\(hint); known: \(list)"))
        }
        if let l = q.get("lang"), Language(rawValue: l.lowercased()) == nil {
            throw APIError.badRequest("invalid_lang", APIError.pick(lang, "lang: oczekiwano pl albo en, jest \(l)",
                                                                      "lang: expected pl or en, found \(l)"))
        }
    }

    /// `rule` (repeatable), `as_of`, `lang` from the query, checked.
    func options(_ req: Request, _ lang: Language, _ info: RulesetHolder.Info, also: [String] = []) throws -> EvaluationOptions {
        let q = req.uri.queryParameters
        try checkQuery(req, lang, ["rule", "as_of", "lang"] + also)
        var asOf: String?
        if let a = q.get("as_of") {
            guard EvaluationOptions.isDate(a) else {
                throw APIError.badRequest("invalid_as_of", APIError.pick(lang, "as_of: oczekiwano istniejącej daty RRRR-MM-DD, jest \(a)",
                                                                           "as_of: expected a date YYYY-MM-DD that exists, found \(a)"))
            }
            asOf = a
        }
        let ids = q.getAll("rule")
        // (the set of rule ids is made only when rules are named: for every request it cost some 14 000 instructions)
        let known = ids.isEmpty ? [] : Set(info.description.rules.map(\.id))
        for id in ids where !known.contains(id) {
            throw APIError(status: .badRequest, code: "unknown_rule",
                           message: APIError.pick(lang, "nieznana reguła: \(id) (reguły: \(known.sorted().joined(separator: ", ")))",
                                                  "unknown rule: \(id) (rules: \(known.sorted().joined(separator: ", ")))"))
        }
        return EvaluationOptions(asOf: asOf, rules: ids.isEmpty ? nil : ids, language: lang)
    }


    /// Runs an evaluation job on the pool; a full queue is 503.
    func onPool<T: Sendable>(_ lang: Language, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        do { return try await pool.run(body) } catch is EvaluationPool.Busy { throw APIError.busy(lang) }
    }

    // MARK: routes

    func health(_ req: Request) -> Response {
        let lang = requestLanguage(req)
        if let (_, info) = rules.current() {
            return KryteriaService.json(object: ["status": "ok", "ruleset": info.hash, "rules": info.description.rules.count,
                                                 "folder": rules.directory])
        }
        var e = APIError.noRuleset(lang)
        let problems = rules.lastProblems(lang).map { JSONText.quote($0.description) }.joined(separator: ",")
        e.extra = "\"problems\":[\(problems)]"
        return e.response()
    }

    func openAPI() -> Response {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
              let data = try? Data(contentsOf: url) else {
            return APIError.internalError(.pl, "openapi.json missing from the bundle").response()
        }
        return KryteriaService.json(Array(data))
    }

    func evaluate(_ req: Request) async throws -> Response {
        let lang = requestLanguage(req)
        let (engine, info) = try requireRules(lang)
        let opts = try options(req, lang, info, also: ["format"])
        let html: Bool
        switch req.uri.queryParameters.get("format") ?? "json" {
        case "json": html = false
        case "html":
            guard ServerHooks.decisionSheet != nil else {
                throw APIError(status: .unsupportedMediaType, code: "format_unavailable",
                               message: APIError.pick(lang, "karta decyzji (format=html) nie jest jeszcze dostępna w tej wersji",
                                                      "the decision sheet (format=html) is not available in this build yet"))
            }
            html = true
        case let f:
            throw APIError.badRequest("invalid_format", APIError.pick(lang, "format: oczekiwano json albo html, jest \(f)",
                                                                        "format: expected json or html, found \(f)"))
        }
        let input = try await body(req, lang)
        let metrics = self.metrics
        let log = decisionLog
        let outcome: Result<([UInt8], Bool), APIError> = try await onPool(lang) {
            do {
                let bytes = try engine.evaluateJSON(input, options: opts)
                let ev = ResultSummary(bytes, full: log != nil)
                metrics.evaluation(ev)
                log?.record(route: "/v1/evaluate", input: input, summary: ev)
                return .success((bytes, ev.invalid))
            } catch KryteriaError.malformedJSON(let m) {
                return .failure(APIError.malformed(lang, m))
            } catch {
                return .failure(APIError.internalError(lang, "\(error)"))
            }
        }
        switch outcome {
        case .failure(let e): throw e
        case .success(let (bytes, invalid)):
            if invalid { return KryteriaService.json(bytes + [0x0A], status: .unprocessableContent) }
            if html, let render = ServerHooks.decisionSheet {
                let page = try render(bytes, input, lang)
                return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(bytes: page)))
            }
            return KryteriaService.json(bytes + [0x0A])
        }
    }

    func batch(_ req: Request) async throws -> Response {
        let lang = requestLanguage(req)
        let (engine, info) = try requireRules(lang)
        let opts = try options(req, lang, info)
        try checkBodyType(req, lang)
        let admitted = batchLock.withLock { () -> Bool in
            if activeBatches >= maxBatches { return false }
            activeBatches += 1
            return true
        }
        guard admitted else { throw APIError.busy(lang) }
        var batchSettings = BatchSettings(options: opts, format: .jsonl, jobs: max(1, config.jobs))
        let input = AsyncToBlockingBytes(limit: 8)
        let output = BlockingToAsyncBytes(limit: 8)
        let metrics = self.metrics
        let logger = self.logger
        // every record counted and logged as /v1/evaluate counts and logs one
        let log = decisionLog
        batchSettings.recordObserver = { result, record in
            let bytes = Array(result)
            let ev = ResultSummary(bytes, full: log != nil)
            metrics.evaluation(ev)
            if let log, let record { log.record(route: "/v1/batch", input: Array(record), summary: ev) }
        }
        let settings = batchSettings
        let t = Thread { [self] in
            defer {
                output.finish()
                batchLock.withLock { activeBatches -= 1 }
            }
            do {
                let reader = try RecordReader(stream: input, language: lang)
                let pipeline = BatchPipeline(engine: engine, settings: settings, reader: reader) { bytes in
                    output.push(Array(bytes)) ? nil : "the client went away"
                }
                _ = try pipeline.run()
                // an array not closed, or text after it: a last line says so (records may be missing)
                if let problem = reader.arrayProblem {
                    _ = output.push(Array(("{\"error\":{\"code\":\"malformed_json\",\"message\":"
                        + JSONText.quote(problem.message(lang)) + "}}\n").utf8))
                }
            } catch {
                logger.warning("batch stopped: \(error)")
                let e = APIError.internalError(lang, "\(error)")
                _ = output.push(Array(("{\"error\":{\"code\":\"engine_error\",\"message\":" + JSONText.quote(e.message) + "}}\n").utf8))
            }
        }
        t.stackSize = 4 << 20
        t.start()
        let body = ResponseBody { writer in
            defer {
                input.close()
                output.cancel()
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    defer { input.close() }
                    for try await buf in req.body {
                        if !(await input.push(Array(buffer: buf))) { break }   // the pipeline gave up
                    }
                }
                do {
                    while let chunk = await output.next() {
                        try await writer.write(ByteBuffer(bytes: chunk))
                    }
                } catch {
                    // the client went away: free the pipeline thread (it may be waiting for room to
                    // write, or for input) before the group waits for the body's task, which may be
                    // waiting for the pipeline to read: otherwise the three wait on each other and the
                    // batch's place is never given back
                    output.cancel()
                    input.close()
                    group.cancelAll()
                    throw error
                }
                try await group.waitForAll()
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "application/x-ndjson; charset=utf-8"], body: body)
    }

    func whatif(_ req: Request) async throws -> Response {
        let lang = requestLanguage(req)
        let (engine, info) = try requireRules(lang)
        let opts = try options(req, lang, info)
        let input = try await body(req, lang)
        let t = { (pl: String, en: String) in APIError.pick(lang, pl, en) }
        func invalid(_ path: String, _ pl: String, _ en: String) -> APIError {
            APIError(status: .unprocessableContent, code: "invalid_request", message: t(pl, en),
                     extra: "\"problems\":[{\"path\":" + JSONText.quote(path) + ",\"message\":" + JSONText.quote(t(pl, en)) + "}]")
        }
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: Data(input), options: [.fragmentsAllowed]) } catch {
            // the engine's reader places the error (line, column)
            throw APIError.malformed(lang, engine.syntaxError(of: input, language: lang) ?? "\(error)")
        }
        guard let obj = parsed as? [String: Any] else {
            throw invalid("$", "oczekiwano obiektu {\"profile\": {...}, \"changes\": {...}}", "expected an object {\"profile\": {...}, \"changes\": {...}}")
        }
        guard let profile = obj["profile"] as? [String: Any] else {
            throw invalid("$.profile", "oczekiwano obiektu profilu", "expected a profile object")
        }
        var changes: [WhatIf.Change] = []
        if let m = obj["changes"] as? [String: Any] {
            for key in m.keys.sorted() {
                guard let p = ReplPath(key) else {
                    throw invalid("$.changes", "niepoprawna ścieżka: \(key) (np. employees[0].fte)", "not a path: \(key) (e.g. employees[0].fte)")
                }
                changes.append(WhatIf.Change(path: p, value: m[key]!))
            }
        } else if let a = obj["changes"] as? [Any] {
            for (i, item) in a.enumerated() {
                guard let d = item as? [String: Any], let ps = d["path"] as? String, let p = ReplPath(ps), d.keys.contains("value") else {
                    throw invalid("$.changes[\(i)]", "oczekiwano {\"path\": \"a.b[0]\", \"value\": ...}", "expected {\"path\": \"a.b[0]\", \"value\": ...}")
                }
                changes.append(WhatIf.Change(path: p, value: d["value"]!))
            }
        } else {
            throw invalid("$.changes", "oczekiwano obiektu zmian {\"ścieżka\": wartość} albo tablicy [{\"path\", \"value\"}]",
                          "expected an object of changes {\"path\": value} or an array [{\"path\", \"value\"}]")
        }
        if changes.isEmpty { throw invalid("$.changes", "brak zmian", "no changes") }
        let changed: [String: Any]
        do { changed = try WhatIf.apply(profile, changes) } catch WhatIf.Failure.path(let f) {
            throw invalid("$.changes", "ścieżka \(f) nie może przyjąć wartości", "the path \(f) cannot take the value")
        }
        let metrics = self.metrics
        let log = decisionLog
        let beforeBytes = JSONEdit.bytes(profile)
        let afterBytes = JSONEdit.bytes(changed)
        let result: Result<[UInt8], APIError> = try await onPool(lang) {
            do {
                let report = try WhatIf.compare(engine: engine, before: profile, after: changed, options: opts)
                let before = ResultSummary(report.beforeJSON, full: log != nil), after = ResultSummary(report.afterJSON, full: log != nil)
                metrics.evaluation(before)
                metrics.evaluation(after)
                log?.record(route: "/v1/whatif", input: beforeBytes, summary: before)
                log?.record(route: "/v1/whatif", input: afterBytes, summary: after)
                return .success(report.json() + [0x0A])
            } catch WhatIf.Failure.invalid(let which, _, let json) {
                metrics.evaluation(ResultSummary(json))
                // the contract's invalid-profile result, with which side it is
                var body = Array(json.dropLast())   // the closing brace
                body += Array(",\"side\":\(JSONText.quote(which))}\n".utf8)
                return .failure(APIError(status: .unprocessableContent, code: "invalid_profile", message: "", rawBody: body))
            } catch KryteriaError.malformedJSON(let m) {
                return .failure(APIError.malformed(lang, m))
            } catch {
                return .failure(APIError.internalError(lang, "\(error)"))
            }
        }
        switch result {
        case .success(let b): return KryteriaService.json(b)
        case .failure(let e): throw e
        }
    }

    func listRules(_ req: Request) throws -> Response {
        let lang = requestLanguage(req)
        try checkQuery(req, lang, ["lang"])
        let (_, info) = try requireRules(lang)
        let en = lang == .en
        let list: [[String: Any]] = info.description.rules.map { r in
            var o: [String: Any] = ["id": r.id, "applies_to": r.appliesTo, "title": en ? r.titleEn : r.title,
                                    "legal_basis": r.legalBasis, "criteria": r.criteria.count]
            if let p = r.programs { o["programs"] = p }
            if r.example == true { o["example"] = true }
            return o
        }
        return KryteriaService.json(object: ["ruleset": info.hash, "rules": list])
    }

    func showRule(_ req: Request, id: String) throws -> Response {
        let lang = requestLanguage(req)
        try checkQuery(req, lang, ["lang", "as_of"])
        let (engine, info) = try requireRules(lang)
        guard info.description.rules.contains(where: { $0.id == id }) else {
            throw APIError(status: .notFound, code: "unknown_rule",
                           message: APIError.pick(lang, "nie ma reguły \(id) (reguły: \(info.description.rules.map(\.id).joined(separator: ", ")))",
                                                  "no rule \(id) (rules: \(info.description.rules.map(\.id).joined(separator: ", ")))"))
        }
        var date = Engine.isoToday()
        if let a = req.uri.queryParameters.get("as_of") {
            guard EvaluationOptions.isDate(a) else {
                throw APIError.badRequest("invalid_as_of", APIError.pick(lang, "as_of: oczekiwano istniejącej daty RRRR-MM-DD, jest \(a)",
                                                                           "as_of: expected a date YYYY-MM-DD that exists, found \(a)"))
            }
            date = a
        }
        // labels that name a parameter are filled with the value of that day
        let dated = (try? engine.describe(asOf: date)) ?? info.description
        guard let r = dated.rules.first(where: { $0.id == id }) else { throw APIError.noRuleset(lang) }
        let en = lang == .en
        // the parameters this rule's file (and the shared files) name
        var source = ""
        if let file = r.file {
            let path = file.hasPrefix("/") ? file : (rules.directory as NSString).appendingPathComponent(file)
            source = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        }
        let params: [[String: Any]] = info.description.parameters.filter { source.isEmpty || source.contains($0.name) }.map { p in
            var o: [String: Any] = ["name": p.name, "basis": p.basis]
            if let u = p.unit { o["unit"] = u }
            if let v = p.values.last(where: { $0.from <= date }), v.until.map({ date <= $0 }) ?? true {
                o["value"] = v.value
                o["from"] = v.from
                if let u = v.until { o["until"] = u }
            } else {
                o["value"] = NSNull()
            }
            return o
        }
        var o: [String: Any] = [
            "id": r.id, "applies_to": r.appliesTo, "title": en ? r.titleEn : r.title, "legal_basis": r.legalBasis,
            "criteria": r.criteria.map { ["id": $0.id, "label": en ? $0.labelEn : $0.label, "legal_basis": $0.legalBasis] },
            "parameters": params, "as_of": date, "ruleset": info.hash,
        ]
        if let p = r.programs { o["programs"] = p }
        return KryteriaService.json(object: o)
    }

    func schema(_ req: Request, kind name: String) throws -> Response {
        let lang = requestLanguage(req)
        try checkQuery(req, lang, ["lang"])
        // also by its file name: a schema's `$id` is "application.schema.json" and its `$ref`s name
        // "enterprise.schema.json", which a validator resolves next to the schema it fetched
        let kind = name.hasSuffix(".schema.json") ? String(name.dropLast(".schema.json".count)) : name
        let ok = !kind.isEmpty && kind.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        let path = (rules.directory as NSString).appendingPathComponent("schema/\(kind).schema.json")
        guard ok, let data = FileManager.default.contents(atPath: path) else {
            let dir = (rules.directory as NSString).appendingPathComponent("schema")
            let kinds = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
                .filter { $0.hasSuffix(".schema.json") }.map { String($0.dropLast(".schema.json".count)) }.sorted()
            throw APIError(status: .notFound, code: "unknown_schema",
                           message: APIError.pick(lang, "nie ma schematu \(kind) (są: \(kinds.joined(separator: ", ")))",
                                                  "no schema \(kind) (there are: \(kinds.joined(separator: ", ")))"))
        }
        return Response(status: .ok, headers: [.contentType: "application/schema+json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: Array(data))))
    }

    func reloadRoute(_ req: Request) async throws -> Response {
        let lang = requestLanguage(req)
        try checkQuery(req, lang, ["lang"])
        if let token = config.token {
            // the scheme's name is case-insensitive (RFC 9110), the token is not
            let given = req.headers[.authorization] ?? ""
            let scheme = given.prefix(7)
            guard scheme.lowercased() == "bearer ",
                  KryteriaService.constantTimeEqual(String(given.dropFirst(7)), token) else { throw APIError.unauthorized(lang) }
        }
        switch await reload() {
        case .success(let info):
            logger.notice("rules reloaded", metadata: ["ruleset": "\(info.hash)"])
            return KryteriaService.json(object: ["reloaded": true, "ruleset": info.hash, "rules": info.description.rules.count])
        case .failure(let problems):
            let kept = rules.current()?.1.hash
            let list = problems.words(lang).map { JSONText.quote($0.description) }.joined(separator: ",")
            let msg = APIError.pick(lang, "reguły nie zostały zmienione (błędy: \(problems.diagnostics.count)); działa poprzednia wersja",
                                    "the rules were not changed (problems: \(problems.diagnostics.count)); the previous version stays in use")
            throw APIError(status: .unprocessableContent, code: "broken_ruleset", message: msg,
                           extra: "\"problems\":[\(list)],\"ruleset\":" + (kept.map(JSONText.quote) ?? "null"))
        }
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var diff = x.count ^ y.count
        for i in 0..<max(x.count, y.count) { diff |= Int((i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0)) }
        return diff == 0
    }
}
