import Foundation

/// Small HTML helpers: escaping and the common page frame (no external resources: system fonts,
/// inline CSS, inline SVG).
public enum HTML {
    public static func esc(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// A complete page: one `<style>`, the body, nothing fetched from anywhere.
    static func page(title: String, lang: String, css: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="\(lang)">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="Kryteria">
        <title>\(esc(title))</title>
        <style>
        \(baseCSS)
        \(css)
        </style>
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }

    static let baseCSS = """
    :root { --ink: #1b1f24; --muted: #5b6470; --line: #c9ced6; --ok: #1a7f37; --bad: #b42318; --unk: #9a6700; --na: #6e7781; }
    * { box-sizing: border-box; }
    body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; color: var(--ink);
           font-size: 10.5pt; line-height: 1.35; margin: 0 auto; max-width: 190mm; padding: 8mm 0; }
    h1 { font-size: 16pt; margin: 0 0 2mm; }
    h2 { font-size: 12.5pt; margin: 6mm 0 2mm; border-bottom: 1px solid var(--line); padding-bottom: 1mm; }
    h3 { font-size: 11pt; margin: 4mm 0 1mm; }
    table { border-collapse: collapse; width: 100%; }
    th, td { text-align: left; vertical-align: top; padding: 1.2mm 1.6mm; border-bottom: 1px solid var(--line); }
    th { font-size: 9pt; color: var(--muted); font-weight: 600; }
    tr { break-inside: avoid; page-break-inside: avoid; }
    thead { display: table-header-group; }
    .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    .muted { color: var(--muted); }
    .ok { color: var(--ok); } .bad { color: var(--bad); } .unk { color: var(--unk); } .na { color: var(--na); }
    .badge { display: inline-block; padding: 0.3mm 2mm; border-radius: 1mm; font-weight: 700; border: 1.5px solid currentColor; }
    @page { size: A4; margin: 14mm 12mm 16mm 12mm; }
    @media print { body { padding: 0; max-width: none; } a { color: inherit; text-decoration: none; } }
    """
}
