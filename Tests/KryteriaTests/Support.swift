import Foundation
import XCTest
@testable import Kryteria

/// The repository root, found from this file's path.
let repoRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// A temporary ruleset: the shipped schemas plus the given files (path -> text).
final class TempRules {
    let dir: String

    init(_ files: [String: String], withSchemas: Bool = true) throws {
        dir = NSTemporaryDirectory() + "kryteria-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir + "/schema", withIntermediateDirectories: true)
        if withSchemas {
            for name in ["person", "enterprise", "application"] {
                try FileManager.default.copyItem(atPath: "\(repoRoot)/Rules/schema/\(name).schema.json",
                                                 toPath: "\(dir)/schema/\(name).schema.json")
            }
        }
        for (path, text) in files { try write(path, text) }
    }

    func write(_ path: String, _ text: String) throws {
        let full = dir + "/" + path
        try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: true, encoding: .utf8)
    }

    func remove(_ path: String) throws { try FileManager.default.removeItem(atPath: dir + "/" + path) }

    deinit { try? FileManager.default.removeItem(atPath: dir) }
}

/// A one-criterion person rule whose check body is `body` (Lua, `p` is the profile).
func personRule(_ body: String) -> String { personRule("probe", criterion: "C-1", body) }

/// A one-criterion person rule with the given id.
func personRule(_ id: String, criterion: String = "C-1", _ body: String) -> String {
    """
    rule "\(id)" { applies_to = "person", title = { pl = "Próba", en = "Probe" }, basis = "test" }
    criterion "\(criterion)" {
      basis = "art. 1", pl = "kryterium", en = "criterion",
      check = function(p)
    \(body)
      end,
    }
    """
}

/// A one-criterion enterprise rule whose check body is `body` (Lua, `p` is the profile).
func enterpriseRule(_ body: String, id: String = "probe") -> String {
    """
    rule "\(id)" { applies_to = "enterprise", title = { pl = "Próba", en = "Probe" }, basis = "test" }
    criterion "C-1" {
      basis = "art. 1", pl = "kryterium", en = "criterion",
      check = function(p)
    \(body)
      end,
    }
    """
}

/// The message of a ruleset refused at load (strict engine), or nil when it loaded.
func loadError(_ files: [String: String], limits: Limits = Limits()) throws -> String? {
    let t = try TempRules(files)
    do { _ = try Engine(rulesDirectory: t.dir, limits: limits); return nil } catch { return "\(error)" }
}

extension Engine {
    /// Evaluates a JSON string; fails the test on a thrown error.
    func eval(_ json: String, rules: [String]? = nil, asOf: String? = nil, lang: Language = .pl) throws -> Evaluation {
        try evaluate(Profile(json: json), rules: rules, asOf: asOf, language: lang)
    }
}

let smallLimits = Limits(memoryBytes: 16 << 20, instructionBudget: 2_000_000)

/// Shared mutable state for tests that run code on several threads.
final class Box<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T
    init(_ v: T) { value = v }
    func update(_ f: (inout T) -> Void) { lock.withLock { f(&value) } }
    var get: T { lock.withLock { value } }
}
