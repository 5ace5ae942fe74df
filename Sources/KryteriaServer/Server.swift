import Foundation
import Hummingbird
import Kryteria
import KryteriaBatch
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// Settings of `kryteria serve`.
public struct ServerConfiguration: Sendable {
    public var rulesDirectory = "Rules"
    public var host = "127.0.0.1"
    /// 0: any free port (printed when listening).
    public var port = 8080
    /// When set, POST /v1/reload needs `Authorization: Bearer <token>`.
    public var token: String?
    /// Evaluation threads (each borrows a Lua state from the engine's pool).
    public var jobs = ProcessInfo.processInfo.activeProcessorCount
    /// Requests waiting for an evaluation thread before the service answers 503.
    public var queueCapacity = 1024
    /// Largest request body of /v1/evaluate and /v1/whatif, in bytes (/v1/batch streams).
    public var maxBody = 1 << 20
    /// Allowed CORS origin; nil: no CORS headers.
    public var corsOrigin: String?
    /// One JSON line per evaluation (no personal data: the input's SHA-256, not the input).
    public var decisionLog: String?
    public var limits = Limits()
    public var logLevel: Logger.Level = .info
    /// Called with the bound address once the server listens.
    public var onListening: (@Sendable (String, Int) -> Void)?

    public init() {}
}

/// Renders a decision sheet (HTML) from the contract's result JSON, for
/// `POST /v1/evaluate?format=html`. Nil until a renderer is plugged in (the
/// KryteriaDocuments module's `DecisionSheet`): the service then answers 415 (format_unavailable).
public enum ServerHooks {
    nonisolated(unsafe) public static var decisionSheet: (@Sendable (_ resultJSON: [UInt8], _ profileJSON: [UInt8], _ language: Language) throws -> [UInt8])?
}

/// `kryteria serve`: the engine as an HTTP service on Hummingbird 2.
public enum KryteriaHTTPServer {
    /// Runs until SIGTERM or SIGINT (graceful: requests in flight finish); SIGHUP reloads the rules.
    public static func run(_ config: ServerConfiguration) async throws {
        var logger = Logger(label: "kryteria.serve")
        logger.logLevel = config.logLevel
        let service = try KryteriaService(config: config, logger: logger)
        let router = service.makeRouter()
        let onListening = config.onListening
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(config.host, port: config.port), serverName: "kryteria"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? config.port
                onListening?(config.host, port)
            },
            logger: logger
        )
        let hup = HangupReloader(service: service)
        let group = ServiceGroup(configuration: .init(
            services: [app, hup], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch let e as IOError {
            throw ServerStartError.cannotListen(host: config.host, port: config.port, errno: e.errnoCode)
        } catch let e as SocketAddressError.UnknownHost {
            throw ServerStartError.unknownHost(e.host)
        }
    }
}

/// Why `kryteria serve` could not start listening, for its user in either language.
public enum ServerStartError: Error, Equatable {
    case cannotListen(host: String, port: Int, errno: Int32)
    case unknownHost(String)

    public func message(_ language: Language) -> String {
        let pl = language == .pl
        switch self {
        case .cannotListen(let host, let port, let code):
            return (pl ? "nie można nasłuchiwać na \(host):\(port): " : "cannot listen on \(host):\(port): ")
                + SystemText.error(code, language)
        case .unknownHost(let host):
            return pl ? "nieznany adres --host: \(host)" : "unknown --host address: \(host)"
        }
    }
}

/// SIGHUP: read the rules folder again.
struct HangupReloader: Service {
    let service: KryteriaService
    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            let r = await service.reload()
            switch r {
            case .success(let info):
                service.logger.notice("SIGHUP: rules reloaded", metadata: ["ruleset": "\(info.hash)", "rules": "\(info.description.rules.count)"])
            case .failure(let problems):
                service.logger.error("SIGHUP: reload refused, the previous rules stay in use",
                                     metadata: ["problems": "\(problems.diagnostics.map { $0.description }.joined(separator: "; "))"])
            }
        }
    }
}

/// Runs a blocking job on a thread of its own (rule loading), off the event loop.
func offLoop<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { (c: CheckedContinuation<T, Never>) in
        let t = Thread { c.resume(returning: body()) }
        t.stackSize = 4 << 20
        t.start()
    }
}
