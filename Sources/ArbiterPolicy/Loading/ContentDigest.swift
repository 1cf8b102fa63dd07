/// A 128-bit digest of a file's bytes plus its length, to tell an unchanged policy file from a
/// changed one without keeping its bytes.
///
/// Two independent 64-bit hashes (FNV-1a and SipHash through `Hasher`): an accidental match of
/// both, with the same length, is far less likely than a bit flip in memory. `Hasher` is seeded
/// per process, so digests are only compared within one process.
public struct ContentDigest: Hashable, Sendable {
    let fnv: UInt64
    let sip: Int
    let count: Int

    /// The digest of `bytes`.
    public init(_ bytes: [UInt8]) {
        var fnv: UInt64 = 0xcbf2_9ce4_8422_2325
        var hasher = Hasher()
        bytes.withUnsafeBufferPointer { buffer in
            for byte in buffer { fnv = (fnv ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
            hasher.combine(bytes: UnsafeRawBufferPointer(buffer))
        }
        self.fnv = fnv
        sip = hasher.finalize()
        count = bytes.count
    }
}
