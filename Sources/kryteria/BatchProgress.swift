import Foundation
import Kryteria
import KryteriaBatch

/// The progress line on stderr (only when stderr is a terminal).
final class BatchProgress: BatchProgressReporting {
    let total: Int64?
    let lang: Language
    private var last: UInt64 = 0
    private var shown = false

    init(total: Int64?, lang: Language = .pl) {
        self.total = total
        self.lang = lang
    }

    /// The line after the bar: "1 234 rek.  5 678 rek./s  zostało 1:05" (English: "rec", "rec/s", "ETA").
    static func text(records: Int, rate: Double, eta: Double?, lang: Language) -> String {
        let en = lang == .en
        var s = "\(group(records)) " + (en ? "rec" : "rek.") + "  \(group(Int(rate))) " + (en ? "rec/s" : "rek./s")
        if let eta { s += (en ? "  ETA " : "  zostało ") + "\(Int(eta) / 60):" + String(format: "%02d", Int(eta) % 60) }
        return s
    }

    func update(records: Int, bytes: Int64, startNanos: UInt64) {
        let now = DispatchTime.now().uptimeNanoseconds
        if now - last < 200_000_000 { return }
        last = now
        let secs = max(Double(now - startNanos) / 1e9, 1e-6)
        let rate = Double(records) / secs
        var s = "\r"
        if let total, total > 0 {
            let f = min(1, Double(bytes) / Double(total))
            let width = 24
            let filled = Int(f * Double(width))
            s += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            s += String(format: "%3.0f%% ", f * 100)
            let eta = f > 0 ? secs * (1 - f) / f : 0
            s += BatchProgress.text(records: records, rate: rate, eta: eta, lang: lang)
        } else {
            s += BatchProgress.text(records: records, rate: rate, eta: nil, lang: lang)
        }
        s += "\u{1B}[K"
        shown = true
        Terminal.stderr(s)
    }

    func finish() {
        if shown { Terminal.stderr("\r\u{1B}[K") }
    }
}

/// 1234567 → "1 234 567".
func group(_ n: Int) -> String {
    let s = String(n)
    var out = ""
    for (i, ch) in s.enumerated() {
        if i > 0 && (s.count - i) % 3 == 0 && ch != "-" { out += " " }
        out.append(ch)
    }
    return out
}
