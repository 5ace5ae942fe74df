import Foundation
import XCTest

/// `kryteria serve` as its administrator starts it: what stops it from starting is said in the
/// chosen language (Polish by default), with the system's reason, and the exit status is 2.
/// (The service itself is tested through a real server and client in KryteriaServerTests.)
final class ServeCLITests: XCTestCase {
    /// Under `timeout`, so that a server that starts when it should not cannot hang the suite.
    func serve(_ args: [String]) throws -> RunResult { try kryteria(["serve"] + args, timeout: 60) }

    func testWrongArgumentsAndTokenFileInTheChosenLanguage() throws {
        let port = try serve(["--port", "99999"])
        XCTAssertEqual(port.status, 2, port.stderr)
        XCTAssertTrue(port.stderr.contains("--port: oczekiwano liczby 0…65535, jest 99999"), port.stderr)
        let portEn = try serve(["--port", "99999", "--lang", "en"])
        XCTAssertEqual(portEn.status, 2)
        XCTAssertTrue(portEn.stderr.contains("--port: expected 0…65535, found 99999"), portEn.stderr)

        let dir = try temporaryFolder(self)
        let missing = dir.appendingPathComponent("token.txt").path
        let token = try serve(["--token-file", missing])
        XCTAssertEqual(token.status, 2)
        XCTAssertEqual(token.stderr, "kryteria serve: nie można odczytać --token-file \(missing): nie ma takiego pliku ani folderu\n")
        let empty = dir.appendingPathComponent("empty.txt")
        try write(" \n", empty)
        let blank = try serve(["--token-file", empty.path, "--lang", "en"])
        XCTAssertEqual(blank.status, 2)
        XCTAssertEqual(blank.stderr, "kryteria serve: --token-file \(empty.path) is empty\n")
    }

    /// A decision log that cannot be written stops the start, with the system's reason.
    func testADecisionLogThatCannotBeWrittenIsSaid() throws {
        let dir = try temporaryFolder(self)
        let file = dir.appendingPathComponent("plik")
        try write("x", file)
        let r = try serve(["--port", "0", "--decision-log", file.path + "/decyzje.jsonl"])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertEqual(r.stderr, "kryteria serve: nie można zapisać --decision-log \(file.path)/decyzje.jsonl: część ścieżki nie jest folderem\n")
    }

    /// A port another program listens on: the server does not start, and says so in words.
    func testAPortInUseIsSaidInWords() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && listen(fd, 1) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        XCTAssertTrue(bound)
        let port = Int(UInt16(bigEndian: addr.sin_port))
        let r = try serve(["--port", "\(port)"])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("kryteria serve: nie można nasłuchiwać na 127.0.0.1:\(port): adres jest już w użyciu"), r.stderr)
        XCTAssertFalse(r.out.contains("listening"), r.out)
        let en = try serve(["--port", "\(port)", "--lang", "en"])
        XCTAssertEqual(en.status, 2)
        XCTAssertTrue(en.stderr.contains("kryteria serve: cannot listen on 127.0.0.1:\(port): Address already in use"), en.stderr)
    }
}
