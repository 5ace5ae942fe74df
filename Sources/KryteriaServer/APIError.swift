import Foundation
import Hummingbird
import Kryteria

/// An error answer: `{"error":{"code":…,"message":…}}` with the message in the request's
/// language, plus fields that place the problem (line and column, problems, file:line).
struct APIError: Error {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    /// Extra members of the error object, as JSON text (`"line":3,"column":7`).
    var extra: String = ""
    /// A body given in full (the contract's invalid-profile result).
    var rawBody: [UInt8]? = nil
    /// Headers the answer needs (Retry-After of a busy server, WWW-Authenticate of a 401).
    var headers: HTTPFields = [:]

    func response(headers: HTTPFields = [:]) -> Response {
        var h = headers
        for f in self.headers { h[f.name] = f.value }
        h[.contentType] = "application/json; charset=utf-8"
        let body: [UInt8]
        if let rawBody {
            body = rawBody
        } else {
            var s = "{\"error\":{\"code\":" + JSONText.quote(code) + ",\"message\":" + JSONText.quote(message)
            if !extra.isEmpty { s += "," + extra }
            s += "}}\n"
            body = Array(s.utf8)
        }
        return Response(status: status, headers: h, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func pick(_ lang: Language, _ pl: String, _ en: String) -> String { lang == .en ? en : pl }

    static func notFound(_ lang: Language, path: String) -> APIError {
        APIError(status: .notFound, code: "not_found",
                 message: pick(lang, "nie ma takiego zasobu: \(path)", "no such resource: \(path)"))
    }

    static func methodNotAllowed(_ lang: Language, method: String, path: String, allowed: [String]) -> APIError {
        APIError(status: .methodNotAllowed, code: "method_not_allowed",
                 message: pick(lang, "metoda \(method) nie jest dozwolona dla \(path); dozwolone: \(allowed.joined(separator: ", "))",
                               "method \(method) is not allowed on \(path); allowed: \(allowed.joined(separator: ", "))"))
    }

    static func tooLarge(_ lang: Language, limit: Int) -> APIError {
        APIError(status: .contentTooLarge, code: "body_too_large",
                 message: pick(lang, "treść żądania przekracza limit \(Plural.pl(limit, "bajt", "bajty", "bajtów"))", "the request body is over the limit of \(Plural.en(limit, "byte"))"),
                 extra: "\"limit\":\(limit)")
    }

    static func unauthorized(_ lang: Language) -> APIError {
        APIError(status: .unauthorized, code: "unauthorized",
                 message: pick(lang, "brak lub niepoprawny token (nagłówek Authorization: Bearer TOKEN)",
                               "missing or wrong token (header Authorization: Bearer TOKEN)"),
                 headers: [.wwwAuthenticate: "Bearer realm=\"kryteria\""])
    }

    static func noRuleset(_ lang: Language) -> APIError {
        APIError(status: .serviceUnavailable, code: "no_ruleset",
                 message: pick(lang, "brak poprawnego zestawu reguł; popraw katalog reguł i wywołaj POST /v1/reload",
                               "no valid ruleset is loaded; fix the rules folder and call POST /v1/reload"))
    }

    static func busy(_ lang: Language) -> APIError {
        APIError(status: .serviceUnavailable, code: "busy",
                 message: pick(lang, "serwer jest przeciążony (pełna kolejka); spróbuj ponownie za chwilę",
                               "the server is overloaded (queue full); try again shortly"),
                 headers: [.retryAfter: "1"])
    }

    static func badRequest(_ code: String, _ message: String) -> APIError {
        APIError(status: .badRequest, code: code, message: message)
    }

    /// 400 for malformed JSON, with the line and column of the reader's message
    /// ("line L, column C: …" or "wiersz L, kolumna C: …").
    static func malformed(_ lang: Language, _ detail: String) -> APIError {
        let place = JSONSyntaxPlace(detail)
        let msg = pick(lang, "niepoprawny JSON: ", "malformed JSON: ") + (place?.message(lang) ?? detail)
        let extra = place.map { "\"line\":\($0.line),\"column\":\($0.column)" } ?? ""
        return APIError(status: .badRequest, code: "malformed_json", message: msg, extra: extra)
    }

    static func internalError(_ lang: Language, _ detail: String) -> APIError {
        APIError(status: .internalServerError, code: "engine_error",
                 message: pick(lang, "błąd silnika: ", "engine error: ") + detail)
    }
}

/// The language of a request: `lang` in the query, else the one of Accept-Language, Polish or
/// English, with the highest weight (`q`; `q=0` refuses a language; equal weights: the first), else Polish.
func requestLanguage(_ request: Request) -> Language {
    if let q = request.uri.queryParameters.get("lang"), let l = Language(rawValue: q.lowercased()) { return l }
    if let al = request.headers[.acceptLanguage] {
        var best: (Language, Double)?
        for part in al.split(separator: ",") {
            let fields = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            let tag = fields.first ?? ""
            let lang: Language? = tag.hasPrefix("pl") ? .pl : tag.hasPrefix("en") ? .en : nil
            guard let lang else { continue }
            var weight = 1.0
            for f in fields.dropFirst() where f.hasPrefix("q=") { weight = Double(f.dropFirst(2)) ?? 1.0 }
            if weight > 0 && weight > (best?.1 ?? 0) { best = (lang, weight) }
        }
        if let best { return best.0 }
    }
    return .pl
}
