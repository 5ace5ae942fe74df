import Foundation

/// The SpreadsheetML parts of a workbook, written by hand (ECMA-376): a few fixed files and
/// small sheets. The big sheet is streamed by `WorkbookWriter`.
enum XML {
    static let header = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    static let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let rNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    /// Escapes text for an element; drops characters XML 1.0 cannot hold.
    static func appendEscaped(_ s: String, into out: inout [UInt8]) {
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
            case 0x09, 0x0A, 0x0D: out.append(b)
            case 0x00 ..< 0x20: continue
            default: out.append(b)
            }
        }
    }

    static func escaped(_ s: String) -> String {
        var b: [UInt8] = []
        appendEscaped(s, into: &b)
        return String(decoding: b, as: UTF8.self)
    }

    static func number(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }

    static func inlineCell(_ ref: String, _ s: String, style: Int) -> String {
        "<c r=\"\(ref)\"" + (style == 0 ? "" : " s=\"\(style)\"") + " t=\"inlineStr\"><is><t xml:space=\"preserve\">" + escaped(s) + "</t></is></c>"
    }

    enum Cell {
        case text(String, Int)
        case number(Double, Int)
        /// No cell at all (not an empty text).
        case empty

        /// A date YYYY-MM-DD as Excel's day number, shown as a date (style 9); other text as it is.
        static func date(_ iso: String) -> Cell {
            let p = iso.split(separator: "-").compactMap { Int($0) }
            guard p.count == 3 else { return iso.isEmpty ? .empty : .text(iso, 0) }
            var c = DateComponents()
            c.year = p[0]; c.month = p[1]; c.day = p[2]
            var cal = Calendar(identifier: .gregorian)
            cal.timeZone = TimeZone(identifier: "UTC")!
            var b = DateComponents()
            b.year = 1899; b.month = 12; b.day = 30
            guard let d = cal.date(from: c), let base = cal.date(from: b),
                  let days = cal.dateComponents([.day], from: base, to: d).day else { return .text(iso, 0) }
            return .number(Double(days), 9)
        }
    }

    static func sheetStart(frozen: Bool) -> String {
        header + "<worksheet xmlns=\"\(ns)\" xmlns:r=\"\(rNS)\">"
            + (frozen ? "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
                + "<selection pane=\"bottomLeft\" activeCell=\"A2\" sqref=\"A2\"/></sheetView></sheetViews>"
                : "<sheetViews><sheetView workbookViewId=\"0\"/></sheetViews>")
    }

    static let pageSetup = "<pageMargins left=\"0.5\" right=\"0.5\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>"
        + "<pageSetup paperSize=\"9\" orientation=\"landscape\"/>"

    /// A small sheet from rows of cells.
    static func sheet(_ rows: [[Cell]], widths: [Int]) -> String {
        var s = sheetStart(frozen: false) + "<cols>"
        for (i, w) in widths.enumerated() { s += "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(w)\" customWidth=\"1\"/>" }
        s += "</cols><sheetData>\n"
        for (ri, row) in rows.enumerated() {
            let r = ri + 1
            if row.isEmpty { continue }
            s += "<row r=\"\(r)\">"
            for (ci, c) in row.enumerated() {
                let ref = WorkbookWriter.columnName(ci) + String(r)
                switch c {
                case .text(let t, let st): s += inlineCell(ref, t, style: st)
                case .number(let v, let st): s += "<c r=\"\(ref)\"" + (st == 0 ? "" : " s=\"\(st)\"") + "><v>" + number(v) + "</v></c>"
                case .empty: break
                }
            }
            s += "</row>\n"
        }
        return s + "</sheetData>" + pageSetup + "</worksheet>"
    }

    static let contentTypes = header + """
    <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
    <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
    <Default Extension="xml" ContentType="application/xml"/>\
    <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
    <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
    <Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
    <Override PartName="/xl/worksheets/sheet3.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
    <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
    <Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>\
    </Types>
    """

    static let rootRels = header + """
    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
    <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
    <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>\
    </Relationships>
    """

    static let app = header + """
    <Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Kryteria</Application></Properties>
    """

    static func workbook(sheets: [String], filter: String) -> String {
        var s = header + "<workbook xmlns=\"\(ns)\" xmlns:r=\"\(rNS)\"><bookViews><workbookView/></bookViews><sheets>"
        for (i, n) in sheets.enumerated() { s += "<sheet name=\"\(escaped(n))\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>" }
        s += "</sheets><definedNames><definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"0\" hidden=\"1\">"
        s += escaped("'\(sheets[0])'!$" + filter.replacingOccurrences(of: ":", with: ":$").replacingOccurrences(of: #"([A-Z]+)(\d+)"#, with: "$1\\$$2", options: .regularExpression))
        s += "</definedName></definedNames></workbook>"
        return s
    }

    static let workbookRels = header + """
    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
    <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
    <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>\
    <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet3.xml"/>\
    <Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
    </Relationships>
    """

    /// Styles: 0 plain, 1 header (bold, grey), 2 złoty, 3 integer, 4 green, 5 red, 6 amber, 7 grey, 8 percent, 9 date.
    static let styles = header + """
    <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
    <numFmts count="2"><numFmt numFmtId="164" formatCode="#,##0.00\\ &quot;zł&quot;"/><numFmt numFmtId="165" formatCode="yyyy\\-mm\\-dd"/></numFmts>\
    <fonts count="6">\
    <font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
    <font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
    <font><sz val="11"/><color rgb="FF1A7F37"/><name val="Calibri"/><family val="2"/></font>\
    <font><sz val="11"/><color rgb="FFB42318"/><name val="Calibri"/><family val="2"/></font>\
    <font><sz val="11"/><color rgb="FF9A6700"/><name val="Calibri"/><family val="2"/></font>\
    <font><sz val="11"/><color rgb="FF6E7781"/><name val="Calibri"/><family val="2"/></font>\
    </fonts>\
    <fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>\
    <fill><patternFill patternType="solid"><fgColor rgb="FFE8EBEF"/><bgColor indexed="64"/></patternFill></fill></fills>\
    <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
    <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
    <cellXfs count="10">\
    <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
    <xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>\
    <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
    <xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
    <xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
    <xf numFmtId="0" fontId="3" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
    <xf numFmtId="0" fontId="4" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
    <xf numFmtId="0" fontId="5" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
    <xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
    <xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
    </cellXfs>\
    <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
    </styleSheet>
    """
}
