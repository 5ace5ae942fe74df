import Foundation

/// Charts drawn by the program as inline SVG: no script, no fonts or images fetched.
public enum SVGChart {
    public struct Bar {
        public var label: String
        public var value: Double
        public var color: String
        public var text: String?
        public init(label: String, value: Double, color: String = "#4a6fa5", text: String? = nil) {
            self.label = label; self.value = value; self.color = color; self.text = text
        }
    }

    /// Horizontal bars, one per row, labels on the left, values at the end of each bar.
    public static func horizontalBars(_ bars: [Bar], width: Int = 680, labelWidth: Int = 250, rowHeight: Int = 22, title: String? = nil) -> String {
        let maxV = max(bars.map(\.value).max() ?? 0, 1)
        let h = bars.count * rowHeight + 8
        let plot = Double(width - labelWidth - 90)
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"\(width)\" height=\"\(h)\" viewBox=\"0 0 \(width) \(h)\" role=\"img\""
        if let title { s += " aria-label=\"\(HTML.esc(title))\"" }
        s += ">\n"
        for (i, b) in bars.enumerated() {
            let y = i * rowHeight + 4
            let w = b.value <= 0 ? 0 : max(1.5, plot * b.value / maxV)
            s += "<text x=\"\(labelWidth - 6)\" y=\"\(y + rowHeight / 2 + 4)\" text-anchor=\"end\" font-size=\"11\">\(HTML.esc(clip(b.label, labelWidth / 6)))</text>"
            s += "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(fmt(w))\" height=\"\(rowHeight - 6)\" fill=\"\(b.color)\" rx=\"2\"/>"
            s += "<text x=\"\(fmt(Double(labelWidth) + w + 5))\" y=\"\(y + rowHeight / 2 + 4)\" font-size=\"11\">\(HTML.esc(b.text ?? fmt(b.value)))</text>\n"
        }
        return s + "</svg>\n"
    }

    /// One stacked bar per row (e.g. a rule split into eligible / ineligible / undetermined).
    public static func stackedBars(_ rows: [(label: String, parts: [(value: Int, color: String, name: String)])], width: Int = 680,
                                   labelWidth: Int = 250, rowHeight: Int = 24, format: (Int) -> String = { String($0) }) -> String {
        let total = max(rows.map { $0.parts.reduce(0) { $0 + $1.value } }.max() ?? 0, 1)
        let h = rows.count * rowHeight + 8
        let plot = Double(width - labelWidth - 70)
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"\(width)\" height=\"\(h)\" viewBox=\"0 0 \(width) \(h)\" role=\"img\">\n"
        for (i, r) in rows.enumerated() {
            let y = i * rowHeight + 4
            s += "<text x=\"\(labelWidth - 6)\" y=\"\(y + rowHeight / 2 + 4)\" text-anchor=\"end\" font-size=\"11\">\(HTML.esc(clip(r.label, 44)))</text>"
            var x = Double(labelWidth)
            var sum = 0
            for p in r.parts where p.value > 0 {
                let w = plot * Double(p.value) / Double(total)
                s += "<rect x=\"\(fmt(x))\" y=\"\(y + 3)\" width=\"\(fmt(w))\" height=\"\(rowHeight - 6)\" fill=\"\(p.color)\"><title>\(HTML.esc(p.name)): \(p.value)</title></rect>"
                let label = format(p.value)
                if w >= Double(label.count * 6 + 8) {
                    s += "<text x=\"\(fmt(x + w / 2))\" y=\"\(y + rowHeight / 2 + 4)\" text-anchor=\"middle\" font-size=\"10\" fill=\"#fff\">\(HTML.esc(label))</text>"
                }
                x += w
                sum += p.value
            }
            s += "<text x=\"\(fmt(x + 5))\" y=\"\(y + rowHeight / 2 + 4)\" font-size=\"11\">\(HTML.esc(format(sum)))</text>\n"
        }
        return s + "</svg>\n"
    }

    /// A histogram: vertical bars over bins, labels under each bar.
    public static func histogram(_ bins: [(label: String, count: Int)], width: Int = 680, height: Int = 200, color: String = "#4a6fa5",
                                 format: (Int) -> String = { String($0) }) -> String {
        let maxC = max(bins.map(\.count).max() ?? 0, 1)
        let n = max(bins.count, 1)
        let left = max(40.0, Double(format(maxC).count * 6 + 10)), bottom = 34.0, top = 16.0
        let plotW = Double(width) - left - 10
        let plotH = Double(height) - bottom - top
        let bw = plotW / Double(n)
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\">\n"
        s += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(top + plotH))\" x2=\"\(fmt(left + plotW))\" y2=\"\(fmt(top + plotH))\" stroke=\"#888\"/>\n"
        s += "<text x=\"\(fmt(left - 4))\" y=\"\(fmt(top + 4))\" text-anchor=\"end\" font-size=\"10\">\(HTML.esc(format(maxC)))</text>"
        s += "<text x=\"\(fmt(left - 4))\" y=\"\(fmt(top + plotH))\" text-anchor=\"end\" font-size=\"10\">0</text>\n"
        for (i, b) in bins.enumerated() {
            let hgt = plotH * Double(b.count) / Double(maxC)
            let x = left + Double(i) * bw
            s += "<rect x=\"\(fmt(x + 2))\" y=\"\(fmt(top + plotH - hgt))\" width=\"\(fmt(max(bw - 4, 1)))\" height=\"\(fmt(hgt))\" fill=\"\(color)\"><title>\(HTML.esc(b.label)): \(b.count)</title></rect>"
            if b.count > 0 {
                s += "<text x=\"\(fmt(x + bw / 2))\" y=\"\(fmt(top + plotH - hgt - 3))\" text-anchor=\"middle\" font-size=\"10\">\(HTML.esc(format(b.count)))</text>"
            }
            s += "<text x=\"\(fmt(x + bw / 2))\" y=\"\(fmt(top + plotH + 14))\" text-anchor=\"middle\" font-size=\"\(bins.count > 10 ? 8 : 10)\">\(HTML.esc(b.label))</text>\n"
        }
        return s + "</svg>\n"
    }

    static func clip(_ s: String, _ n: Int) -> String { s.count <= n ? s : String(s.prefix(n - 1)) + "…" }

    static func fmt(_ x: Double) -> String {
        x == x.rounded() ? String(Int(x)) : String(format: "%.1f", x)
    }
}
