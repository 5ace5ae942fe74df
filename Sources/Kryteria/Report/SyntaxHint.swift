import Foundation

/// Lua's syntax errors, explained for a person who is not a programmer: where the mistake most
/// likely is (a missing comma is at the end of the line before the one Lua names) and what
/// to do, in Polish or English.
enum SyntaxHint {
    struct Hint {
        var line: Int
        var column: Int
        var width: Int
        var message: String
    }

    static func explain(_ message: String, line: Int, lines: [String], language: Language) -> Hint? {
        let pl = language == .pl
        guard message.contains(" near ") || message.contains("unexpected symbol") || message.contains("unfinished") else { return nil }
        let src = line >= 1 && line <= lines.count ? lines[line - 1] : ""
        let near = nearToken(message)
        func at(_ token: String?) -> (Int, Int) {
            if let token, token != "<eof>", let r = src.range(of: token) {
                return (src.distance(from: src.startIndex, to: r.lowerBound) + 1, max(1, token.count))
            }
            let lead = src.prefix { $0 == " " || $0 == "\t" }.count
            return (lead + 1, max(1, src.trimmingCharacters(in: .whitespaces).count))
        }
        // "'}' expected (to close '{' at line 5) near 'en'": usually a comma missing at the end
        // of the previous line of code
        if let expected = match(message, #"'([}\)])' expected"#), let prev = previousCode(before: line, lines: lines),
           !endsAsContinued(prev.text) {
            let col = prev.text.count + 1
            return Hint(line: prev.line, column: col, width: 1, message: pl
                ? "brakuje przecinka na końcu tej linii (Lua zauważyła to dopiero w linii \(line), przy \(near ?? "końcu pliku"); oczekiwała '\(expected)' albo ',')"
                : "a comma is missing at the end of this line (Lua only noticed it on line \(line), at \(near ?? "the end of the file"); it expected '\(expected)' or ',')")
        }
        if let opener = match(message, #"'end' expected \(to close '(\w+)' at line \d+\)"#),
           let from = match(message, #"at line (\d+)"#) {
            let (c, w) = at(near)
            return Hint(line: line, column: c, width: w, message: pl
                ? "brakuje słowa 'end' zamykającego '\(opener)' z linii \(from)"
                : "'end' is missing to close the '\(opener)' of line \(from)")
        }
        if let word = match(message, #"'(\w+|=)' expected near"#) {
            let (c, w) = at(near)
            return Hint(line: line, column: c, width: w, message: pl
                ? "oczekiwano '\(word)' przed \(near ?? "końcem pliku")"
                : "'\(word)' expected before \(near ?? "the end of the file")")
        }
        if message.contains("unfinished string") {
            let (c, w) = at(nil)
            return Hint(line: line, column: c, width: w, message: pl
                ? "tekst nie jest zamknięty: brakuje cudzysłowu na końcu"
                : "a text is not closed: the closing quote is missing")
        }
        if message.contains("unexpected symbol") {
            let (c, w) = at(near)
            return Hint(line: line, column: c, width: w, message: pl
                ? "nieoczekiwany znak \(near ?? "") (sprawdź przecinki, nawiasy i cudzysłowy w tej i poprzedniej linii)"
                : "unexpected \(near ?? "symbol") (check commas, brackets and quotes on this line and the one before)")
        }
        return nil
    }

    /// The token after "near", quoted as Lua quotes it, or nil at the end of the file.
    static func nearToken(_ m: String) -> String? {
        if m.hasSuffix("near <eof>") { return nil }
        return match(m, #"near '(.*)'$"#).map { "'\($0)'" }
    }

    static func match(_ s: String, _ pattern: String) -> String? {
        guard let re = try? NSRegularExpression(pattern: pattern),
              let m = re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)), m.numberOfRanges > 1,
              let r = Range(m.range(at: 1), in: s) else { return nil }
        return String(s[r])
    }

    /// The nearest line before `line` with code (comments and blank lines skipped), trimmed at the end.
    static func previousCode(before line: Int, lines: [String]) -> (line: Int, text: String)? {
        var i = line - 1
        while i >= 1 {
            var text = lines[i - 1]
            if let r = text.range(of: "--") { text = String(text[..<r.lowerBound]) }
            while let last = text.last, last == " " || last == "\t" || last == "\r" { text.removeLast() }
            if !text.trimmingCharacters(in: .whitespaces).isEmpty { return (i, text) }
            i -= 1
        }
        return nil
    }

    /// A line after which the next one may continue without a comma.
    static func endsAsContinued(_ text: String) -> Bool {
        guard let last = text.last else { return true }
        return ",;{([=+-*/..".contains(last) || text.hasSuffix(" and") || text.hasSuffix(" or") || text.hasSuffix(" then")
            || text.hasSuffix(" do") || text.hasSuffix(" else") || text.hasSuffix("function()")
    }
}
