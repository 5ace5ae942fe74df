import Foundation

/// Shows problems in rule files the way a compiler does: file:line, the message, the
/// source line and a marker under the name the message quotes.
public enum DiagnosticRenderer {
    public static func render(_ diagnostics: [Diagnostic], color: Bool = false, language: Language = .pl) -> String {
        diagnostics.map { render($0, color: color, language: language) }.joined()
    }

    public static func render(_ d: Diagnostic, color: Bool = false, language: Language = .pl) -> String {
        var d = d
        // a message that knows its column ("kolumna 20: …", the JSON reader's) is placed there
        var knownColumn: Int?
        if let r = d.message.range(of: #"^(kolumna|column) \d+: "#, options: .regularExpression) {
            knownColumn = Int(d.message[r].split(separator: " ")[1].dropLast())
            d.message = String(d.message[r.upperBound...])
        }
        let st = Style(color: color)
        var column: Int?
        var snippet = ""
        let text = d.line == nil ? nil : try? String(contentsOfFile: d.sourcePath ?? d.file, encoding: .utf8)
        let lines = text.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) } ?? []
        // a syntax error explained for a person, pointing where the mistake most likely is
        if let line = d.line, let why = SyntaxHint.explain(d.message, line: line, lines: lines, language: language) {
            let head = d.file + ":\(why.line):\(why.column)"
            let src = why.line >= 1 && why.line <= lines.count ? lines[why.line - 1] : ""
            let gutter = String(why.line)
            let pad = String(repeating: " ", count: gutter.count)
            var out = st.bold(head) + ": " + st.red(why.message) + "\n"
            out += st.dim(" \(gutter) | ") + src + "\n"
            out += st.dim(" \(pad) | ") + String(repeating: " ", count: max(0, why.column - 1)) + st.red(String(repeating: "^", count: why.width)) + "\n"
            out += st.dim(" \(pad) = ") + st.dim((language == .pl ? "komunikat Lua: " : "Lua says: ") + d.message) + "\n"
            return out
        }
        if let line = d.line, !lines.isEmpty {
            if line >= 1 && line <= lines.count {
                let src = String(lines[line - 1])
                let gutter = String(line)
                let pad = String(repeating: " ", count: gutter.count)
                snippet += st.dim(" \(gutter) | ") + src + "\n"
                if let c = knownColumn {
                    column = c
                    snippet += st.dim(" \(pad) | ") + String(repeating: " ", count: max(0, c - 1)) + st.red("^") + "\n"
                } else if let name = quotedName(in: d.message), let r = src.range(of: name) {
                    // underline the first quoted name of the message found on the line
                    let col = src.distance(from: src.startIndex, to: r.lowerBound)
                    column = col + 1
                    snippet += st.dim(" \(pad) | ") + String(repeating: " ", count: col) +
                        st.red(String(repeating: "^", count: max(1, name.count))) + "\n"
                } else {
                    // no name to point at: underline the code of the line
                    let lead = src.prefix { $0 == " " || $0 == "\t" }.count
                    let code = src.dropFirst(lead).prefix { $0 != "-" || true }
                    let width = max(1, code.trimmingCharacters(in: .whitespaces).count)
                    column = lead + 1
                    snippet += st.dim(" \(pad) | ") + String(repeating: " ", count: lead) +
                        st.red(String(repeating: "^", count: width)) + "\n"
                }
            }
        }
        var head = d.file
        if let line = d.line { head += ":\(line)" }
        if let column { head += ":\(column)" }
        return st.bold(head) + ": " + st.red(d.message) + "\n" + snippet
    }

    /// The first 'quoted' word of a message.
    static func quotedName(in message: String) -> String? {
        guard let a = message.firstIndex(of: "'") else { return nil }
        let rest = message[message.index(after: a)...]
        guard let b = rest.firstIndex(of: "'") else { return nil }
        let name = String(rest[..<b])
        return name.isEmpty ? nil : name
    }
}
