/// Content digests for callers outside the library (the HTTP service's decision log).
public enum Digest {
    /// The SHA-256 of `bytes`, as lowercase hex.
    public static func sha256Hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var h = SHA256()
        h.update(bytes)
        return h.finish()
    }
}
