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
        let nanos = Int64(DispatchTime.now().uptimeNanoseconds - start)
        let route = AccessMiddleware.route(of: request.uri.path)
        service.metrics.request(route: route ?? "unmatched", method: request.method.rawValue,
                                status: response.status.code, nanoseconds: nanos)
        service.logger.info("\(request.method.rawValue) \(request.uri.path) \(response.status.code) \(String(format: "%.2f", Double(nanos) / 1e6)) ms",
                            metadata: ["route": "\(route ?? "-")", "status": "\(response.status.code)"])
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

    /// The route pattern a path belongs to (`/v1/rules/{id}`), nil when none.
    static func route(of path: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        for (pattern, _) in KryteriaService.routes {
            let pp = pattern.split(separator: "/", omittingEmptySubsequences: true)
            guard pp.count == parts.count else { continue }
            if zip(pp, parts).allSatisfy({ $0.hasPrefix("{") || $0 == $1 }) { return pattern }
        }
        return nil
    }
}
