import Crypto

/// Content digests for callers outside the library (the HTTP service's decision log).
public enum Digest {
    /// The SHA-256 of `bytes`, as lowercase hex.
    public static func sha256Hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        hex(SHA256.hash(data: Array(bytes)))
    }

    /// Lowercase hex of a digest.
    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in digest {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
