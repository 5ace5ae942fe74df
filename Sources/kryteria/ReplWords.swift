import Foundation

/// Splits a command line into words: whitespace separates them, except inside quotes
/// and brackets, so `whatif name="Jan Nowak" disability_kinds=["autism", "other"]` has
/// two words.
func replWords(_ line: String) -> [String] {
    var words: [String] = []
    var cur = ""
    var depth = 0
    var quote = false
    var escape = false
    for c in line {
        if quote {
            cur.append(c)
            if escape { escape = false } else if c == "\\" { escape = true } else if c == "\"" { quote = false }
            continue
        }
        switch c {
        case "\"": quote = true; cur.append(c)
        case "[", "{": depth += 1; cur.append(c)
        case "]", "}": depth = max(0, depth - 1); cur.append(c)
        case " ", "\t":
            if depth > 0 { cur.append(c) } else if !cur.isEmpty { words.append(cur); cur = "" }
        default: cur.append(c)
        }
    }
    if !cur.isEmpty { words.append(cur) }
    return words
}

