import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The folder part of a file path ("out/a.jsonl" -> "out", "/a" -> "/", "a" -> ""), as plain
/// string work. Foundation's `NSString.deletingLastPathComponent` traps on a one-character path
/// such as "a" or "-" on this platform (swift-corelibs-foundation), so no caller uses it.
public func folderOf(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "" }
    if slash == path.startIndex { return "/" }
    var folder = path[..<slash]
    while folder.count > 1, folder.hasSuffix("/") { folder = folder.dropLast() }
    return String(folder)
}


/// True when `path` names something other than a regular file or a folder: a device such as
/// /dev/null, a FIFO, a terminal. Such an output is written in place; it is never replaced by
/// renaming a finished temporary file over it (run as root, `-o /dev/null` turned /dev/null into
/// a regular file, and every program that wrote to it afterwards filled that file instead).
public func isSpecialFile(_ path: String) -> Bool {
    var st = stat()
    guard stat(path, &st) == 0 else { return false }
    let kind = st.st_mode & S_IFMT
    return kind != S_IFREG && kind != S_IFDIR
}

/// Copies the bytes of the file at `source` into `target` (opened for writing, not created or
/// truncated: for a special file such as /dev/null or a FIFO). Returns nil, or why it failed.
public func copyContents(of source: String, into target: String) -> String? {
    let inFD = open(source, O_RDONLY | O_CLOEXEC)
    if inFD < 0 { return "\(source): \(String(cString: strerror(errno)))" }
    defer { close(inFD) }
    let outFD = open(target, O_WRONLY | O_CLOEXEC)
    if outFD < 0 { return "\(target): \(String(cString: strerror(errno)))" }
    defer { close(outFD) }
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(inFD, $0.baseAddress, $0.count) }
        if n == 0 { return nil }
        if n < 0 {
            if errno == EINTR { continue }
            return "\(source): \(String(cString: strerror(errno)))"
        }
        var done = 0
        while done < n {
            let w = buffer.withUnsafeBytes { write(outFD, $0.baseAddress! + done, n - done) }
            if w < 0 {
                if errno == EINTR { continue }
                return "\(target): \(String(cString: strerror(errno)))"
            }
            done += w
        }
    }
}

/// Makes `path` an empty file to be written later (created, or emptied), so a run fails at once,
/// not after an hour of work, when it cannot write there. A special file is left as it is (and a
/// FIFO not opened: that would wait for its reader). False, with errno set, when it cannot.
/// (FileManager.createFile writes a temporary file and renames it over `path`.)
public func startFile(_ path: String) -> Bool {
    if isSpecialFile(path) { return true }
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    if fd < 0 { return false }
    close(fd)
    return true
}

/// Writes `data` to `path`: through a temporary file renamed over it (readers never see half a
/// file), or, for a special file such as /dev/null or a FIFO, in place.
public func writeFile(_ data: Data, to path: String) throws {
    try data.write(to: URL(fileURLWithPath: path), options: isSpecialFile(path) ? [] : .atomic)
}
