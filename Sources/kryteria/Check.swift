import ArgumentParser
import Foundation
import Kryteria
import KryteriaDocuments
import KryteriaBatch

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sprawdź profile i pokaż uzasadnienie / check profiles and explain the outcome.",
        discussion: """
        PLIK: plik JSON z jednym profilem albo tablicą profili, plik JSON Lines albo folder takich plików;
        - czyta standardowe wejście.
        Kod wyjścia: 0 każdy profil oceniony; 1 któryś profil niepoprawny lub błędny JSON; 2 złe argumenty,
        plik, którego nie ma, albo reguły, których nie da się wczytać.
        FILE: a JSON file with one profile or an array of profiles, a JSON Lines file, or a folder of
        such files; - reads stdin.
        Exit status: 0 every profile evaluated; 1 some profile invalid or malformed; 2 wrong arguments,
        a file that does not exist, or rules that cannot be loaded.
        """
    )

    @OptionGroup var options: RuleOptions

    @Flag(name: .long, help: "Wynik w JSON (kontrakt) / print the contract's result JSON.")
    var json = false

    @Option(name: .long, help: "text | json | html (karta oceny do druku / a printable decision sheet) | pdf (needs chromium).")
    var format: String = "text"

    @Option(name: [.short, .customLong("output")], help: "Plik wyniku; dla html/pdf folder (plik na profil) albo plik .html/.pdf / the output file; for html/pdf a folder (one file per profile) or one file.")
    var output: String?

    @Argument(help: "Pliki profili / profile files.")
    var files: [String]

    func run() throws {
        guard ["text", "json", "html", "pdf"].contains(format) else {
            Terminal.stderr("kryteria check: --format: " + (options.lang == .en ? "expected text, json, html or pdf, found "
                                                              : "oczekiwano text, json, html albo pdf, jest ") + format + "\n")
            throw ExitCode(ExitStatus.usage)
        }
        let json = self.json || format == "json"
        let engine = options.loadEngine()
        let vocabulary = engine.vocabulary
        let scoring = Set((try? engine.describe())?.rules.filter { $0.scoring == true }.map(\.id) ?? [])
        let opts = options.evaluationOptions
        var sheets: SheetOutput?
        if format == "html" || format == "pdf" {
            do { sheets = try SheetOutput(format: format, output: output, engine: engine, lang: options.lang) } catch {
                Terminal.stderr("kryteria check: \(error)\n")
                throw ExitCode(ExitStatus.usage)
            }
        }
        var index = 0
        var bad = 0, unreadable = 0
        // a folder stands for the JSON and JSON Lines files in it, in name order
        var expanded: [String] = []
        for file in files {
            var isDir: ObjCBool = false
            if file != "-", FileManager.default.fileExists(atPath: file, isDirectory: &isDir), isDir.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: file)) ?? []
                expanded += names.filter { $0.hasSuffix(".json") || $0.hasSuffix(".jsonl") }.sorted()
                    .map { (file as NSString).appendingPathComponent($0) }
            } else {
                expanded.append(file)
            }
        }
        let t = { (pl: String, en: String) in options.lang == .en ? en : pl }
        // every file read before anything is written: a single output file and several profiles are
        // refused before the first sheet is made, and nothing to check is said
        var loaded: [(file: String, records: [ProfileRecord], arrayProblem: RecordReader.ArrayProblem?)] = []
        for file in expanded {
            if file != "-" && !FileManager.default.fileExists(atPath: file) {
                Terminal.stderr("kryteria: \(file): " + t("nie ma takiego pliku", "no such file") + "\n")
                unreadable += 1
                continue
            }
            do {
                let (records, problem) = try ProfileRecord.read(file, language: options.lang)
                loaded.append((file, records, problem))
            } catch {
                Terminal.stderr("\(file): " + SystemText.error(error, options.lang) + "\n")
                bad += 1
            }
        }
        let total = loaded.reduce(0) { $0 + $1.records.count }
        if let one = sheets?.file, total > 1 {
            Terminal.stderr("kryteria check: " + t("-o \(one) mieści jeden profil, a jest ich \(total); dla kilku podaj folder",
                                                   "-o \(one) holds one profile, and there are \(total); give a folder for several") + "\n")
            throw ExitCode(ExitStatus.usage)
        }
        if total == 0 && unreadable == 0 && bad == 0 {
            Terminal.stderr("kryteria check: " + t("brak profili do sprawdzenia w: ", "no profiles to check in: ")
                            + files.joined(separator: ", ") + "\n")
            if loaded.allSatisfy({ $0.arrayProblem == nil }) { throw ExitCode(ExitStatus.usage) }
        }
        // text or JSON to a file with -o (html and pdf write their own files)
        if let output, sheets == nil, output != "-" {
            BatchDocuments.makeFolder(of: output)
            let fd = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            if fd < 0 {
                Terminal.stderr("kryteria check: " + t("nie można zapisać \(output): ", "cannot write \(output): ") + SystemText.error(errno, options.lang) + "\n")
                throw ExitCode(ExitStatus.usage)
            }
            fflush(stdout)
            dup2(fd, 1)
            close(fd)
        }
        for (file, records, arrayProblem) in loaded {
            for rec in records {
                let place = rec.line.map { "\(file):\($0)" } ?? file
                do {
                    let bytes = try engine.evaluateJSON(rec.json, options: opts)
                    let ev = try JSONDecoder().decode(Evaluation.self, from: Data(bytes))
                    if ev.error != nil { bad += 1 }
                    index += 1
                    if let sheets {
                        if let path = try sheets.write(ev, name: rec.name, source: place, index: index) {
                            Terminal.stderr((options.lang == .en ? "decision sheet: " : "karta oceny: ") + path + "\n")
                        }
                    } else if json {
                        Terminal.stdout(String(decoding: bytes, as: UTF8.self) + "\n")
                    } else {
                        if ev.error != nil { Terminal.stdout(place + "\n") }
                        Terminal.stdout(ReportRenderer.render(ev, name: rec.name, language: options.lang,
                                                              color: Terminal.colorStdout, vocabulary: vocabulary, scoring: scoring) + "\n")
                    }
                } catch let e as BatchError {
                    Terminal.stderr("kryteria check: \(e)\n")
                    throw ExitCode(ExitStatus.usage)
                } catch {
                    bad += 1
                    // broken JSON: its place in the file (a JSON Lines record's line 1 is its line in the file)
                    var broken: JSONSyntaxPlace?
                    if case KryteriaError.malformedJSON(let m) = error, var p = JSONSyntaxPlace(m)?.inFile(line: rec.line ?? 1, column: rec.column) {
                        // (only an array element can be empty: blank lines are no records)
                        if rec.json.isEmpty && rec.line != nil { p = .emptyElement(line: p.line, column: p.column, options.lang) }
                        broken = p
                        Terminal.stderr("\(file):\(p.line):\(p.column): " + (options.lang == .en ? "malformed JSON: " : "błędny JSON: ")
                                        + p.text + "\n")
                    } else {
                        Terminal.stderr("\(place): \(error)\n")
                    }
                    if json {
                        // one JSON object per profile, also for one that cannot be read
                        var code = "engine_error", message = "\(error)"
                        if case KryteriaError.malformedJSON(let m) = error { code = "malformed_json"; message = broken?.message(options.lang) ?? m }
                        var obj = "{\"file\":" + JSONText.quote(file)
                        if let line = rec.line { obj += ",\"line\":\(line)" }
                        obj += ",\"error\":{\"code\":\"\(code)\",\"message\":" + JSONText.quote(message) + "}}"
                        Terminal.stdout(obj + "\n")
                    }
                }
            }
            // an array not closed, or text after it: profiles may be missing
            if let p = arrayProblem?.place(options.lang) {
                bad += 1
                Terminal.stderr("\(file):\(p.line):\(p.column): " + (options.lang == .en ? "malformed JSON: " : "błędny JSON: ") + p.text + "\n")
            }
        }
        if unreadable > 0 { throw ExitCode(ExitStatus.usage) }
        if bad > 0 { throw ExitCode(ExitStatus.invalidRecords) }
    }
}

/// A profile read from a file: its JSON bytes, its line (for JSON Lines) and display name.
struct ProfileRecord {
    var json: [UInt8]
    var line: Int?
    var name: String?
    /// The column of the file where the record starts (an element of an array can start mid-line).
    var column = 1

    /// The profiles of a file, and what is broken around the elements of an array of them.
    static func read(_ path: String, language: Language) throws -> ([ProfileRecord], RecordReader.ArrayProblem?) {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        }
        let bytes = Array(data)
        // (a byte order mark before the text is not its first character)
        let text = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        let first = text.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        if first == UInt8(ascii: "[") {
            // the elements as batch splits them, each read by the engine's reader: a broken one is
            // placed in the file by line and column, and the others are still checked
            let reader = try RecordReader(stream: BytesStream(bytes), language: language)
            var records: [ProfileRecord] = []
            while try reader.next({ rec, place in
                let json = Array(rec)
                records.append(ProfileRecord(json: json, line: place.fileLine, name: name(of: json), column: place.fileColumn))
            }) {}
            return (records, reader.arrayProblem)
        }
        // one object, or JSON Lines
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        let nonEmpty = lines.enumerated().filter { !$0.element.allSatisfy { $0 == 0x20 || $0 == 0x0D || $0 == 0x09 } }
        // not one JSON text: JSON Lines when every line starts an object, or one of the first two is a
        // whole object; else one text broken somewhere (a pretty-printed profile with a typo), which
        // the engine's reader then places by line and column
        func startsObject(_ l: ArraySlice<UInt8>) -> Bool { l.first { $0 != 0x20 && $0 != 0x09 } == UInt8(ascii: "{") }
        func wholeObject(_ l: ArraySlice<UInt8>) -> Bool { (try? JSONSerialization.jsonObject(with: Data(l))) is [String: Any] }
        if nonEmpty.count > 1, first != UInt8(ascii: "["), (try? JSONSerialization.jsonObject(with: data)) == nil,
           nonEmpty.allSatisfy({ startsObject($0.element) }) || nonEmpty.prefix(2).contains(where: { wholeObject($0.element) }) {
            return (nonEmpty.map { (i, l) in
                let json = Array(l)
                return ProfileRecord(json: json, line: i + 1, name: name(of: json))
            }, nil)
        }
        return ([ProfileRecord(json: bytes, line: nil, name: name(of: bytes))], nil)
    }

    static func name(of json: [UInt8]) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])?["name"] as? String
    }
}

/// Bytes already in memory, read as a stream (a JSON array of profiles split by `RecordReader`).
final class BytesStream: ByteStream {
    private let bytes: [UInt8]
    private var at = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    func read(into: UnsafeMutableRawPointer, count: Int) throws -> Int {
        let n = min(count, bytes.count - at)
        if n > 0 { bytes.withUnsafeBytes { into.copyMemory(from: $0.baseAddress! + at, byteCount: n) } }
        at += n
        return n
    }
}
