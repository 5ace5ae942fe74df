/// Where a JSON text is broken and why, read from the reader's message: "line L, column C: …"
/// (English) or "wiersz L, kolumna C: …" (Polish). The reader words every message in both
/// languages; this puts one back together at another place (a record's line inside its file).
public struct JSONSyntaxPlace: Sendable, Equatable {
    public var line: Int
    public var column: Int
    /// What is wrong, without the place.
    public var text: String

    public init(line: Int, column: Int, text: String) {
        self.line = line
        self.column = column
        self.text = text
    }

    /// Reads a message of either language; nil when it does not start with a place.
    public init?(_ message: String) {
        for (lineWord, columnWord) in [("line ", ", column "), ("wiersz ", ", kolumna ")] {
            guard message.hasPrefix(lineWord) else { continue }
            var rest = message.dropFirst(lineWord.count)
            let l = rest.prefix { $0.isASCII && $0.isNumber }
            rest = rest.dropFirst(l.count)
            guard rest.hasPrefix(columnWord) else { return nil }
            rest = rest.dropFirst(columnWord.count)
            let c = rest.prefix { $0.isASCII && $0.isNumber }
            rest = rest.dropFirst(c.count)
            guard let li = Int(l), let ci = Int(c), rest.hasPrefix(": ") else { return nil }
            self.init(line: li, column: ci, text: String(rest.dropFirst(2)))
            return
        }
        return nil
    }

    /// The place in a file of a record that starts at `line`, `column` there (the reader counts from
    /// the record's own start: its first line is shifted by the column too).
    /// A comma or ']' where an element of an array of profiles belongs (`[a,,b]`, `[a,]`).
    public static func emptyElement(line: Int, column: Int, _ language: Language) -> JSONSyntaxPlace {
        JSONSyntaxPlace(line: line, column: column, text: language == .en ? "empty array element" : "pusty element tablicy")
    }

    public func inFile(line: Int, column: Int) -> JSONSyntaxPlace {
        JSONSyntaxPlace(line: line + self.line - 1, column: self.line == 1 ? column + self.column - 1 : self.column, text: text)
    }

    /// "wiersz L, kolumna C: …" or "line L, column C: …".
    public func message(_ language: Language) -> String {
        (language == .en ? "line \(line), column \(column): " : "wiersz \(line), kolumna \(column): ") + text
    }

    /// "line L: …" / "wiersz L: …" for a message that names no place of its own.
    public static func onLine(_ line: Int, _ message: String, _ language: Language) -> String {
        (language == .en ? "line \(line): " : "wiersz \(line): ") + message
    }
}
