// swift-tools-version:5.9
import PackageDescription

let package = Package(
    name: "Kryteria",
    products: [
        .library(name: "Kryteria", targets: ["Kryteria"]),
        .library(name: "KryteriaDocuments", targets: ["KryteriaDocuments"]),
        .executable(name: "kryteria", targets: ["kryteria"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // Lua 5.4 from Debian's liblua5.4-dev.
        .systemLibrary(name: "CLua", pkgConfig: "lua5.4", providers: [.apt(["liblua5.4-dev"])]),
        // The only C that calls Lua: sandbox, limits, JSON <-> Lua. Nothing else touches lua_State.
        .target(name: "CLuaShim", dependencies: ["CLua"]),
        // A small Swift face of the shim: a sandboxed Lua VM that takes and gives JSON bytes.
        .target(name: "LuaBridge", dependencies: ["CLuaShim"]),
        // The engine: rulesets, parameters, schemas, evaluation, results.
        .target(name: "Kryteria", dependencies: ["LuaBridge"], resources: [.copy("Runtime/Prelude")]),
        // Documents people read: the decision sheet (HTML/PDF), the workbook (xlsx), the batch report.
        .target(name: "KryteriaDocuments", dependencies: [
            "Kryteria", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        // libedit for the REPL (BSD licence).
        .systemLibrary(name: "CEdit", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        .executableTarget(name: "kryteria", dependencies: [
            "Kryteria", "KryteriaDocuments", "CEdit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "KryteriaTests", dependencies: ["Kryteria", "LuaBridge"]),
        .testTarget(name: "kryteriaCLITests", dependencies: ["Kryteria"]),
        .testTarget(name: "KryteriaDocumentsTests", dependencies: ["Kryteria", "KryteriaDocuments"]),
    ]
)
