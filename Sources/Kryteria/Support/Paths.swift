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
