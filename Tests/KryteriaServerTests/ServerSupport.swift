import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

/// The repository root, found from this file's path.
let repoRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// The built `kryteria` executable: $KRYTERIA_BIN, else next to the test bundle, else .build/debug.
let kryteriaBinary: String? = {
    let fm = FileManager.default
    if let env = ProcessInfo.processInfo.environment["KRYTERIA_BIN"], fm.isExecutableFile(atPath: env) { return env }
    var dirs: [URL] = []
    for b in [Bundle.main] + Bundle.allBundles {
        dirs.append(b.bundleURL)
        dirs.append(b.bundleURL.deletingLastPathComponent())
    }
    for d in dirs {
        var u = d
        for _ in 0..<4 {
            let c = u.appendingPathComponent("kryteria").path
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: c, isDirectory: &isDir), !isDir.boolValue, fm.isExecutableFile(atPath: c) { return c }
            u.deleteLastPathComponent()
        }
    }
    let p = repoRoot + "/.build/debug/kryteria"
    return fm.isExecutableFile(atPath: p) ? p : nil
}()

/// A real `kryteria serve` process on a free loopback port (--port 0; the port is read
/// from its "listening on" line).
final class ServerProcess {
    let process = Process()
    private(set) var port = 0
    private let errFile: URL
    private let outPipe = Pipe()

    init(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        guard let bin = kryteriaBinary else {
            XCTFail("cannot find the kryteria executable (set KRYTERIA_BIN)", file: file, line: line)
            throw XCTSkip("no binary")
        }
        errFile = FileManager.default.temporaryDirectory.appendingPathComponent("kryteria-serve-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: errFile.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: bin)
        process.arguments = ["serve", "--port", "0"] + args
        process.currentDirectoryURL = URL(fileURLWithPath: repoRoot)
        process.standardOutput = outPipe
        process.standardError = try FileHandle(forWritingTo: errFile)
        try process.run()
        // wait for "kryteria serve: listening on http://127.0.0.1:PORT"
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let d = outPipe.fileHandleForReading.availableData
            if d.isEmpty { break }
            text += String(decoding: d, as: UTF8.self)
            if let r = text.range(of: #"listening on http://[0-9.]+:(\d+)"#, options: .regularExpression) {
                port = Int(text[r].split(separator: ":").last!)!
                break
            }
        }
        if port == 0 {
            process.terminate()
            XCTFail("the server did not start: \(text) \(stderr)", file: file, line: line)
            throw XCTSkip("server did not start")
        }
    }

    var base: String { "http://127.0.0.1:\(port)" }
    var pid: Int32 { process.processIdentifier }
    var stderr: String { (try? String(contentsOf: errFile, encoding: .utf8)) ?? "" }

    /// Sends SIGTERM and waits; the exit status.
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: errFile)
        return process.terminationStatus
    }

    /// Peak resident memory (VmHWM) in KiB.
    var peakRSSKiB: Int {
        let s = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        for line in s.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? 0
        }
        return 0
    }
}

struct HTTPAnswer {
    var status: Int
    var headers: [String: String]
    var body: Data
    var text: String { String(decoding: body, as: UTF8.self) }
    var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any]) ?? [:] }
    var error: [String: Any] { json["error"] as? [String: Any] ?? [:] }
    func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }
}

let session: URLSession = {
    let c = URLSessionConfiguration.ephemeral
    c.timeoutIntervalForRequest = 120
    c.httpMaximumConnectionsPerHost = 16
    return URLSession(configuration: c)
}()

/// One real HTTP request over loopback.
func http(_ method: String, _ url: String, body: Data? = nil, headers: [String: String] = [:]) async throws -> HTTPAnswer {
    var req = URLRequest(url: URL(string: url)!)
    req.httpMethod = method
    req.httpBody = body
    // URLSession sends the system's languages by default; a form's server sends what its user chose
    req.setValue("pl", forHTTPHeaderField: "Accept-Language")
    for (k, v) in headers { req.setValue(v, forHTTPHeaderField: k) }
    return try await withCheckedThrowingContinuation { c in
        session.dataTask(with: req) { data, response, error in
            if let error { c.resume(throwing: error); return }
            let r = response as! HTTPURLResponse
            var h: [String: String] = [:]
            for (k, v) in r.allHeaderFields { h["\(k)"] = "\(v)" }
            c.resume(returning: HTTPAnswer(status: r.statusCode, headers: h, body: data ?? Data()))
        }.resume()
    }
}

func fileData(_ relative: String) throws -> Data {
    try Data(contentsOf: URL(fileURLWithPath: repoRoot + "/" + relative))
}

/// A request by curl with no Accept-Language header at all; (status, body).
func curl(_ args: [String]) throws -> (Int, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["curl", "-s", "-w", "\n%{http_code}"] + args
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let d = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    let nl = d.lastIndex(of: "\n")!
    return (Int(d[d.index(after: nl)...]) ?? 0, String(d[..<nl]))
}

/// Runs the CLI and returns its stdout.
func cli(_ args: [String]) throws -> Data {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: kryteriaBinary!)
    p.arguments = args
    p.currentDirectoryURL = URL(fileURLWithPath: repoRoot)
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    let d = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return d
}

/// A copy of Rules/ in a fresh temporary folder, removed when the test ends.
func rulesCopy(_ test: XCTestCase) throws -> URL {
    let u = FileManager.default.temporaryDirectory.appendingPathComponent("kryteria-serve-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: u) }
    let rules = u.appendingPathComponent("Rules")
    try FileManager.default.copyItem(atPath: repoRoot + "/Rules", toPath: rules.path)
    return rules
}

func write(_ s: String, _ url: URL) throws {
    try s.write(to: url, atomically: true, encoding: .utf8)
}

/// Waits until `check` holds (polling), up to `seconds`.
func eventually(_ seconds: Double = 10, _ check: () async throws -> Bool) async rethrows -> Bool {
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
        if try await check() { return true }
        try? await Task.sleep(nanoseconds: 50_000_000)
    }
    return false
}
