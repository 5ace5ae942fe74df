/// Errors of the engine that callers can act on.
public enum KryteriaError: Error, CustomStringConvertible, Sendable {
    /// The rules folder does not exist or is not a folder.
    case rulesNotFound(String)
    /// One or more rule, parameter or schema files are broken; each diagnostic names its file and line.
    case brokenRuleset([Diagnostic])
    /// The profile is not valid JSON: where and why.
    case malformedJSON(String)
    /// The profile does not match the schema of its kind.
    case invalidProfile(message: String, problems: [Problem])
    /// An option is wrong (an unknown rule id, a bad date).
    case invalidOption(String)
    /// The engine itself failed (a bug or an exhausted limit outside a rule).
    case internalFailure(String)

    public var description: String {
        switch self {
        case .rulesNotFound(let p): return "rules folder not found: \(p)"
        case .brokenRuleset(let ds): return ds.map(\.description).joined(separator: "\n")
        case .malformedJSON(let m): return "malformed JSON: \(m)"
        case .invalidProfile(let m, _): return m
        case .invalidOption(let m): return m
        case .internalFailure(let m): return m
        }
    }
}

/// A problem found in a rule, parameter or schema file: where and what.
public struct Diagnostic: Error, CustomStringConvertible, Sendable, Equatable, Codable {
    public var file: String
    public var line: Int?
    public var message: String
    /// Where the file is on disk, when `file` is a shortened name.
    public var sourcePath: String?

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
        self.sourcePath = nil
    }

    /// Splits a Lua message "file:line: text" into its parts.
    init(luaMessage: String, fallbackFile: String) {
        var msg = luaMessage
        var file = fallbackFile
        var line: Int?
        if let r = msg.range(of: #"^[^:\n]+:\d+: "#, options: .regularExpression) {
            let head = msg[r].dropLast(2)
            if let colon = head.lastIndex(of: ":") {
                file = String(head[..<colon])
                line = Int(head[head.index(after: colon)...])
            }
            msg = String(msg[r.upperBound...])
        } else if msg.hasPrefix(fallbackFile + ": ") {
            msg = String(msg.dropFirst(fallbackFile.count + 2))
        }
        self.init(file: file, line: line, message: msg)
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
