import Crypto
import Foundation

/// The files of a ruleset folder, read once: rule and parameter files (`*.lua`),
/// JSON Schemas (`*.schema.json`), and the content hash that names this version.
/// Rule tests (`tests/`) are not part of the ruleset and do not change its hash.
public struct RulesetSource: Sendable {
    /// One file of the ruleset, read into memory.
    public struct File: Sendable {
        /// Path relative to the ruleset folder, with `/` separators.
        public var relativePath: String
        /// Path shown in messages: the folder as given plus the relative path.
        public var displayPath: String
        public var contents: String
    }

    public let directory: URL
    public let luaFiles: [File]
    public let schemaFiles: [File]
    /// Files that could not be read (not UTF-8, unreadable): reported, left out.
    public let unreadable: [Diagnostic]
    /// `sha256:` and the hex digest of every file's path and contents, in path order.
    public let hash: String

    /// Reads a ruleset folder. Throws when the folder cannot be read.
    public init(directory path: String) throws {
        let dir = URL(fileURLWithPath: path).standardizedFileURL
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else {
            throw KryteriaError.rulesNotFound(path)
        }
        directory = dir
        let shown = path.hasSuffix("/") ? String(path.dropLast()) : path
        var lua: [File] = []
        var schemas: [File] = []
        var problems: [Diagnostic] = []
        let base = dir.path.hasSuffix("/") ? dir.path : dir.path + "/"
        let walker = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = walker?.nextObject() as? URL {
            let full = url.standardizedFileURL.path
            guard full.hasPrefix(base) else { continue }
            let rel = String(full.dropFirst(base.count))
            if rel.hasPrefix("tests/") || rel.contains("/tests/") { continue }
            let isLua = rel.hasSuffix(".lua")
            let isSchema = rel.hasSuffix(".schema.json")
            guard isLua || isSchema else { continue }
            let display = RulesetSource.display(shown, rel)
            guard let data = try? Data(contentsOf: url) else {
                problems.append(Diagnostic(file: display, line: nil, message: "cannot read the file"))
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                problems.append(Diagnostic(file: display, line: nil, message: "not valid UTF-8 (save the file as UTF-8)"))
                continue
            }
            let file = File(relativePath: rel, displayPath: display, contents: text)
            if isLua { lua.append(file) } else { schemas.append(file) }
        }
        unreadable = problems
        luaFiles = lua.sorted { $0.relativePath < $1.relativePath }
        schemaFiles = schemas.sorted { $0.relativePath < $1.relativePath }
        var sha = SHA256()
        for f in (luaFiles + schemaFiles).sorted(by: { $0.relativePath < $1.relativePath }) {
            sha.update(data: Array(f.relativePath.utf8))
            sha.update(data: [UInt8(0)])
            sha.update(data: Array(f.contents.utf8))
            sha.update(data: [UInt8(0)])
        }
        hash = "sha256:" + Digest.hex(sha.finalize())
    }

    /// Lua cuts chunk names longer than 60 bytes; keep shown paths short enough.
    static func display(_ folder: String, _ rel: String) -> String {
        let full = folder + "/" + rel
        if full.utf8.count <= 58 { return full }
        let last = (folder as NSString).lastPathComponent
        let short = last + "/" + rel
        return short.utf8.count <= 58 ? short : rel
    }

    /// The short hash shown to people: the first 12 hex digits.
    public var shortHash: String { String(hash.dropFirst(7).prefix(12)) }
}
