import Foundation

/// Shows problems in rule files the way a compiler does: file:line, the message, the
/// source line and a marker under the name the message quotes.
public enum DiagnosticRenderer {
    public static func render(_ diagnostics: [Diagnostic], color: Bool = false) -> String {
        diagnostics.map { render($0, color: color) }.joined()
    }

    public static func render(_ d: Diagnostic, color: Bool = false) -> String {
        let st = Style(color: color)
        var column: Int?
        var snippet = ""
        if let line = d.line, let text = try? String(contentsOfFile: d.sourcePath ?? d.file, encoding: .utf8) {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if line >= 1 && line <= lines.count {
                let src = String(lines[line - 1])
                let gutter = String(line)
                let pad = String(repeating: " ", count: gutter.count)
                snippet += st.dim(" \(gutter) | ") + src + "\n"
                // underline the first quoted name of the message found on the line
                if let name = quotedName(in: d.message), let r = src.range(of: name) {
                    let col = src.distance(from: src.startIndex, to: r.lowerBound)
                    column = col + 1
                    snippet += st.dim(" \(pad) | ") + String(repeating: " ", count: col) +
                        st.red(String(repeating: "^", count: max(1, name.count))) + "\n"
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
