import Foundation
import Hummingbird
import Kryteria
import Logging

/// Turns every error into the service's JSON error (405 for a known path with another
/// method), writes one access-log line per request and counts it in the metrics.
struct AccessMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let service: KryteriaService

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = convert(error, request)
        }
        let route = AccessMiddleware.route(of: request.uri.path)
        let method = request.method.rawValue, path = request.uri.path, status = response.status.code
        let service = self.service
        @Sendable func record() {
            let nanos = Int64(DispatchTime.now().uptimeNanoseconds - start)
            service.metrics.request(route: route ?? "unmatched", method: method, status: status, nanoseconds: nanos)
            service.logger.info("\(method) \(path) \(status) \(AccessMiddleware.millis(nanos)) ms",
                                metadata: ["route": "\(route ?? "-")", "status": "\(status)"])
        }
        if route == "/v1/batch" && response.status == .ok {
            // a batch's answer streams after the handler returns: timed and logged when it ends
            let body = response.body
            response.body = ResponseBody { writer in
                defer { record() }
                try await body.write(writer)
            }
        } else {
            record()
        }
        return response
    }

    func convert(_ error: Error, _ request: Request) -> Response {
        let lang = requestLanguage(request)
        if let e = error as? APIError { return e.response() }
        if let e = error as? HTTPResponseError {
            switch e.status {
            case .notFound:
                let path = request.uri.path
                if let r = AccessMiddleware.route(of: path), let allowed = KryteriaService.routes.first(where: { $0.pattern == r })?.methods {
                    return APIError.methodNotAllowed(lang, method: request.method.rawValue, path: path, allowed: allowed)
                        .response(headers: [.allow: allowed.joined(separator: ", ")])
                }
                return APIError.notFound(lang, path: path).response()
            case .contentTooLarge:
                return APIError.tooLarge(lang, limit: service.config.maxBody).response()
            default:
                return APIError(status: e.status, code: "http_\(e.status.code)", message: e.status.reasonPhrase).response()
            }
        }
        service.logger.error("unexpected error: \(error)")
        return APIError.internalError(lang, "\(error)").response()
    }

    /// Nanoseconds as milliseconds with two decimals, rounded half up ("0.52"): what
    /// String(format: "%.2f") wrote, without Foundation's formatter on every request.
    static func millis(_ nanos: Int64) -> String {
        let hundredths = (max(nanos, 0) + 5_000) / 10_000
        let frac = hundredths % 100
        return "\(hundredths / 100)." + (frac < 10 ? "0\(frac)" : "\(frac)")
    }

    /// The route pattern a path belongs to (`/v1/rules/{id}`), nil when none.
    static func route(of path: String) -> String? {
        // a path written as its route (`/v1/evaluate`) is found at once: splitting the path and
        // every pattern for each request cost some 26 000 instructions (callgrind, POST /v1/evaluate)
        if let p = fixedRoutes[path] { return p }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        for (pattern, pp) in splitRoutes {
            guard pp.count == parts.count else { continue }
            if zip(pp, parts).allSatisfy({ $0.hasPrefix("{") || $0 == $1 }) { return pattern }
        }
        return nil
    }
    private static let fixedRoutes: [String: String] = Dictionary(
        KryteriaService.routes.filter { !$0.pattern.contains("{") }.map { ($0.pattern, $0.pattern) },
        uniquingKeysWith: { a, _ in a })
    private static let splitRoutes: [(String, [Substring])] = KryteriaService.routes.map {
        ($0.pattern, $0.pattern.split(separator: "/", omittingEmptySubsequences: true))
    }
}
