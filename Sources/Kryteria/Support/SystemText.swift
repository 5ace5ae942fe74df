import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The system's errors in the user's language: the C library's `strerror` and Foundation's
/// descriptions are English, and a consultant reads "brak uprawnień" where the system says
/// "Permission denied". Errors outside the list keep the system's own words.
public enum SystemText {
    /// An `errno` value.
    public static func error(_ code: Int32, _ language: Language) -> String {
        if language == .pl, let pl = polish[code] { return pl }
        return String(cString: strerror(code))
    }

    /// A Foundation error (file reading and writing): its POSIX cause when it has one.
    public static func error(_ error: Error, _ language: Language) -> String {
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return self.error(Int32(ns.code), language) }
        if let under = ns.userInfo[NSUnderlyingErrorKey] as? NSError, under.domain == NSPOSIXErrorDomain {
            return self.error(Int32(under.code), language)
        }
        if ns.domain == NSCocoaErrorDomain {
            switch ns.code {
            case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return self.error(ENOENT, language)
            case NSFileReadNoPermissionError, NSFileWriteNoPermissionError: return self.error(EACCES, language)
            case NSFileWriteOutOfSpaceError: return self.error(ENOSPC, language)
            case NSFileWriteVolumeReadOnlyError: return self.error(EROFS, language)
            default: break
            }
        }
        return ns.localizedDescription
    }

    private static let polish: [Int32: String] = [
        ENOENT: "nie ma takiego pliku ani folderu",
        EACCES: "brak uprawnień",
        EPERM: "operacja niedozwolona",
        ENOSPC: "brak miejsca na dysku",
        EDQUOT: "przekroczony przydział miejsca na dysku",
        EISDIR: "to jest folder, nie plik",
        ENOTDIR: "część ścieżki nie jest folderem",
        EROFS: "system plików tylko do odczytu",
        EEXIST: "plik już istnieje",
        EMFILE: "za dużo otwartych plików",
        ENFILE: "za dużo otwartych plików w systemie",
        EIO: "błąd wejścia/wyjścia",
        EPIPE: "odbiorca zamknął potok",
        ENAMETOOLONG: "za długa nazwa pliku",
        EBUSY: "zasób jest zajęty",
        EINVAL: "niepoprawny argument",
        EADDRINUSE: "adres jest już w użyciu (działa tam inny program?)",
        EADDRNOTAVAIL: "tego adresu nie ma na tym komputerze",
    ]
}
