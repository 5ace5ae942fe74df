import Foundation

/// Prints an HTML page to PDF with a headless Chromium, when one is installed.
public enum PDFPrinter {
    public enum Failure: Error, CustomStringConvertible {
        case noBrowser
        case failed(String)
        public var description: String {
            switch self {
            case .noBrowser:
                return "PDF needs a headless Chromium and none was found (looked for chromium, chromium-browser, google-chrome on PATH); "
                    + "install it (Debian: apt-get install chromium) or use --format html and print the page from a browser / "
                    + "PDF wymaga przeglądarki Chromium (apt-get install chromium); zamiast tego użyj --format html"
            case .failed(let why): return "chromium could not print the PDF: \(why)"
            }
        }
    }

    /// The first Chromium found on PATH (or KRYTERIA_CHROMIUM).
    public static func findBrowser() -> String? {
        let env = ProcessInfo.processInfo.environment
        if let p = env["KRYTERIA_CHROMIUM"], !p.isEmpty { return FileManager.default.isExecutableFile(atPath: p) ? p : nil }
        for dir in (env["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            for name in ["chromium", "chromium-browser", "google-chrome"] {
                let p = String(dir) + "/" + name
                if FileManager.default.isExecutableFile(atPath: p) { return p }
            }
        }
        return nil
    }

    /// Writes `html` to a temporary file and prints it to `pdfPath` (A4, the page's own CSS).
    public static func print(html: String, to pdfPath: String) throws {
        guard let browser = findBrowser() else { throw Failure.noBrowser }
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("kryteria-\(UUID().uuidString).html")
        try Data(html.utf8).write(to: tmp)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("kryteria-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let out = URL(fileURLWithPath: pdfPath).standardizedFileURL.path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: browser)
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=" + profile.path,
                       "--no-pdf-header-footer", "--print-to-pdf=" + out, tmp.absoluteString]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        if p.terminationStatus != 0 || !FileManager.default.fileExists(atPath: out) {
            let tail = String(decoding: errData, as: UTF8.self).split(separator: "\n").suffix(3).joined(separator: " | ")
            throw Failure.failed("exit status \(p.terminationStatus): \(tail)")
        }
    }
}
