import Foundation
import XCTest

/// The repository root, found from this file's path.
let repoRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// The built `kryteria` executable: $KRYTERIA_BIN, else next to the test bundle (the
/// build folder of whatever scratch path `swift test` used), else the default build folders.
let kryteriaBinary: String? = {
    let fm = FileManager.default
    if let env = ProcessInfo.processInfo.environment["KRYTERIA_BIN"], fm.isExecutableFile(atPath: env) { return env }
    var dirs: [URL] = []
    let bundles = [Bundle.main] + Bundle.allBundles + Bundle.allFrameworks
    for b in bundles {
        dirs.append(b.bundleURL)
        dirs.append(b.bundleURL.deletingLastPathComponent())
        if let e = b.executableURL { dirs.append(e.deletingLastPathComponent()) }
    }
    dirs.append(URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent())
    for d in dirs {
        var u = d
        for _ in 0..<4 {
            let candidate = u.appendingPathComponent("kryteria").path
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue, fm.isExecutableFile(atPath: candidate) {
                return candidate
            }
            u.deleteLastPathComponent()
        }
    }
    for c in [".build/debug/kryteria", ".build/release/kryteria"] {
        let p = repoRoot + "/" + c
        if fm.isExecutableFile(atPath: p) { return p }
    }
    return nil
}()

struct RunResult {
    var status: Int32
    var stdout: Data
    var stderr: String
    var out: String { String(decoding: stdout, as: UTF8.self) }
    var lines: [String] { out.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
}

/// Runs the binary with `args` in the repository root; `stdin` is written to its input.
@discardableResult
func kryteria(_ args: [String], stdin: Data? = nil, env extra: [String: String] = [:], timeout: Int? = nil,
              file: StaticString = #filePath, line: UInt = #line) throws -> RunResult {
    guard let bin = kryteriaBinary else {
        XCTFail("cannot find the kryteria executable (set KRYTERIA_BIN)", file: file, line: line)
        throw XCTSkip("no binary")
    }
    let p = Process()
    if let timeout {
        // under coreutils' timeout: stopped after that many seconds, status 124
        p.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        p.arguments = ["\(timeout)", bin] + args
    } else {
        p.executableURL = URL(fileURLWithPath: bin)
        p.arguments = args
    }
    p.currentDirectoryURL = URL(fileURLWithPath: repoRoot)
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    for (k, v) in extra { env[k] = v }
    p.environment = env
    let outPipe = Pipe(), errPipe = Pipe()
    p.standardOutput = outPipe
    p.standardError = errPipe
    let inPipe = Pipe()
    p.standardInput = stdin == nil ? FileHandle.nullDevice : inPipe
    try p.run()
    if let stdin {
        DispatchQueue.global().async {
            inPipe.fileHandleForWriting.write(stdin)
            try? inPipe.fileHandleForWriting.close()
        }
    }
    // read both pipes concurrently so neither fills up
    var errData = Data()
    let g = DispatchGroup()
    g.enter()
    DispatchQueue.global().async {
        errData = errPipe.fileHandleForReading.readDataToEndOfFile()
        g.leave()
    }
    let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
    g.wait()
    p.waitUntilExit()
    return RunResult(status: p.terminationStatus, stdout: outData, stderr: String(decoding: errData, as: UTF8.self))
}

/// A fresh temporary folder, removed when the test ends.
func temporaryFolder(_ test: XCTestCase) throws -> URL {
    let u = FileManager.default.temporaryDirectory.appendingPathComponent("kryteria-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: u) }
    return u
}

/// A deterministic enterprise profile (one line of JSON); `i` varies every field.
func enterprise(_ i: Int, id: String? = nil, employees: [String]? = nil) -> String {
    let forms = ["social_cooperative", "foundation", "association", "nonprofit_company", "commercial_company"]
    let contracts = ["employment", "employment", "cooperative_employment", "civil"]
    let n = 3 + i % 6
    var emps: [String] = []
    for k in 0..<(employees == nil ? n : 0) {
        let fte = [0.5, 1, 0.25, 0.75][(i + k) % 4]
        emps.append("{\"contract\":\"\(contracts[(i * 7 + k) % 4])\",\"fte\":\(fte),\"at_risk\":\((i + k) % 3 == 0),\"disability\":\"none\",\"disability_kinds\":[]}")
    }
    let idText = id ?? "E\(i)"
    let idJSON = "\"" + idText.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        .replacingOccurrences(of: "\n", with: "\\n") + "\""
    return "{\"kind\":\"enterprise\",\"id\":\(idJSON),\"as_of\":\"2024-0\(1 + i % 9)-15\",\"legal_form\":\"\(forms[i % 5])\","
        + "\"paid_activity\":[\"business\"],\"public_control\":\(i % 17 == 0),\"founded_by_legal_persons\":false,"
        + "\"ps_type\":\"\(i % 2 == 0 ? "reintegration" : "social_services")\",\"employees\":[\((employees ?? emps).joined(separator: ","))],"
        + "\"bodies\":[\"consultative_body\"],\"statute\":{\"not_for_profit\":true,\"income_to_statutory_aims\":true,"
        + "\"no_profit_distribution\":true},\"max_monthly_salary\":\(5000 + i % 9000),\"last_report_filed_on\":\"2023-03-01\","
        + "\"status_lost_on\":null,\"founded_on\":\"2015-01-01\"}"
}

func jsonLines(_ n: Int, from: Int = 1) -> String {
    (from ..< from + n).map { enterprise($0) }.joined(separator: "\n") + "\n"
}

func write(_ s: String, _ url: URL) throws {
    try s.write(to: url, atomically: true, encoding: .utf8)
}

func jsonObject(_ line: String) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
}

/// RFC 4180 rows of a CSV text (or of another separator; a byte order mark and CR before LF dropped).
func parseCSV(_ text: String, separator: Character = ",") -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var inQuotes = false
    var chars = text.unicodeScalars.filter { $0 != "\u{FEFF}" && $0 != "\r" }.map(Character.init)
    chars.append("\n")
    var i = 0
    var rowStarted = false
    while i < chars.count {
        let c = chars[i]
        if inQuotes {
            if c == "\"" {
                if i + 1 < chars.count && chars[i + 1] == "\"" { field.append("\""); i += 1 } else { inQuotes = false }
            } else { field.append(c) }
        } else if c == "\"" {
            inQuotes = true; rowStarted = true
        } else if c == separator {
            row.append(field); field = ""; rowStarted = true
        } else if c == "\n" {
            if rowStarted || !field.isEmpty { row.append(field); rows.append(row) }
            row = []; field = ""; rowStarted = false
        } else {
            field.append(c); rowStarted = true
        }
        i += 1
    }
    return rows
}
