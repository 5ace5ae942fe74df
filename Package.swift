// swift-tools-version:5.9
import PackageDescription

let package = Package(
    name: "Kryteria",
    products: [
        .library(name: "Kryteria", targets: ["Kryteria"]),
        .library(name: "KryteriaBatch", targets: ["KryteriaBatch"]),
        .library(name: "KryteriaServer", targets: ["KryteriaServer"]),
        .library(name: "KryteriaDocuments", targets: ["KryteriaDocuments"]),
        .executable(name: "kryteria", targets: ["kryteria"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // Lua 5.4 from Debian's liblua5.4-dev.
        .systemLibrary(name: "CLua", pkgConfig: "lua5.4", providers: [.apt(["liblua5.4-dev"])]),
        // The only C that calls Lua: sandbox, limits, JSON <-> Lua. Nothing else touches lua_State.
        .target(name: "CLuaShim", dependencies: ["CLua"]),
        // A small Swift face of the shim: a sandboxed Lua VM that takes and gives JSON bytes.
        .target(name: "LuaBridge", dependencies: ["CLuaShim"]),
        // The engine: rulesets, parameters, schemas, evaluation, results.
        // (SHA-256 of the ruleset and of the decision log's inputs from swift-crypto)
        .target(name: "Kryteria", dependencies: ["LuaBridge", .product(name: "Crypto", package: "swift-crypto")],
                resources: [.copy("Runtime/Prelude")]),
        // The pipelines the CLI, the HTTP service and a Swift integrator share: streaming
        // batch (reader, workers, ordered writer, resume) and the what-if session.
        .target(name: "KryteriaBatch", dependencies: ["Kryteria", "LuaBridge"]),
        // `kryteria serve`: the engine as an HTTP service (Hummingbird 2).
        .target(name: "KryteriaServer", dependencies: [
            "Kryteria", "KryteriaBatch",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ], resources: [.copy("openapi.json")]),
        // Documents people read: the decision sheet (HTML/PDF), the workbook (xlsx), the batch report.
        .target(name: "KryteriaDocuments", dependencies: [
            "Kryteria", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        // libedit for the REPL (BSD licence).
        .systemLibrary(name: "CEdit", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        .executableTarget(name: "kryteria", dependencies: [
            "Kryteria", "KryteriaBatch", "KryteriaServer", "KryteriaDocuments", "CEdit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "KryteriaTests", dependencies: ["Kryteria", "LuaBridge"]),
        .testTarget(name: "kryteriaCLITests", dependencies: ["Kryteria"]),
        .testTarget(name: "KryteriaServerTests", dependencies: ["Kryteria", "KryteriaBatch"]),
        .testTarget(name: "KryteriaDocumentsTests", dependencies: ["Kryteria", "KryteriaDocuments"]),
    ]
)
