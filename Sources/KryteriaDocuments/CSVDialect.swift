import Foundation

/// CSV for a Polish Excel: `;` between fields, a decimal comma in the numeric columns, and a UTF-8
/// byte order mark so that Excel reads "ą", "ł", "ż" right. Takes rows written as RFC 4180 (the
/// standard `--format csv`) and rewrites them.
public struct CSVDialect: Sendable {
    public var separator: UInt8
    public var decimalComma: Bool
    public var bom: Bool
    /// Columns (0-based) whose numbers get a decimal comma.
    public var numericColumns: Set<Int>

    public static func named(_ name: String, numericColumns: Set<Int>) -> CSVDialect? {
        switch name {
        case "standard", "rfc4180": return CSVDialect(separator: UInt8(ascii: ","), decimalComma: false, bom: false, numericColumns: numericColumns)
        case "excel-pl": return CSVDialect(separator: UInt8(ascii: ";"), decimalComma: true, bom: true, numericColumns: numericColumns)
        default: return nil
        }
    }

    public static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Rewrites complete RFC 4180 rows (each ending with \n) into this dialect.
    public func transcode(_ rows: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        var field: [UInt8] = []
        var col = 0
        var inQuotes = false
        var i = 0
        let n = rows.count
        func emit() {
            if col > 0 { out.append(separator) }
            var f = field
            if decimalComma && numericColumns.contains(col) && !f.isEmpty
                && f.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D }) {
                f = f.map { $0 == 0x2E ? UInt8(ascii: ",") : $0 }
            }
            let needs = f.contains { $0 == separator || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            if needs {
                out.append(0x22)
                for b in f { if b == 0x22 { out.append(0x22) }; out.append(b) }
                out.append(0x22)
            } else {
                out.append(contentsOf: f)
            }
            field.removeAll(keepingCapacity: true)
            col += 1
        }
        while i < n {
            let b = rows[i]
            if inQuotes {
                if b == 0x22 {
                    if i + 1 < n && rows[i + 1] == 0x22 { field.append(0x22); i += 2; continue }
                    inQuotes = false
                } else {
                    field.append(b)
                }
            } else if b == 0x22 {
                inQuotes = true
            } else if b == 0x2C {
                emit()
            } else if b == 0x0A {
                emit()
                out.append(0x0D); out.append(0x0A)
                col = 0
            } else {
                field.append(b)
            }
            i += 1
        }
        if !field.isEmpty || col > 0 { emit(); out.append(0x0D); out.append(0x0A) }
    }
}
