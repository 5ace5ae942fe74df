import Foundation

/// stdout/stderr helpers: terminal detection, unbuffered error output.
enum Terminal {
    static let stdoutIsTTY = isatty(1) == 1
    static let stderrIsTTY = isatty(2) == 1
    /// Colour only on a terminal, and never when NO_COLOR is set.
    static var colorStdout: Bool { stdoutIsTTY && ProcessInfo.processInfo.environment["NO_COLOR"] == nil }

    static func stderr(_ s: String) {
        FileHandle.standardError.write(Data(s.utf8))
    }

    static func stdout(_ s: String) {
        FileHandle.standardOutput.write(Data(s.utf8))
    }
}
