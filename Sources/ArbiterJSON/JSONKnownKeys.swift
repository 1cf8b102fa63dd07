/// Object keys a reader returns as shared literals instead of building a string for each: for
/// a caller that reads many documents of one protocol, comparing a key's bytes with the
/// protocol's member names costs less than creating a string for the key and releasing it after
/// the document. The vocabulary is the caller's; this module only asks it.
///
/// A lookup is best written as code (a switch on the length, then `same` for each spelling)
/// rather than a table: a static table pays a lazy-initialisation check on every key.
public struct JSONKnownKeys: Sendable {
    /// The known key spelled by `bytes[start..<end]`, if any, as a literal. The reader asks only
    /// about keys shorter than 16 bytes, all ASCII, with no escapes.
    public typealias Lookup = @Sendable (_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String?

    let lookup: Lookup

    /// A vocabulary answered by `lookup`.
    public init(_ lookup: @escaping Lookup) { self.lookup = lookup }

    /// Whether the bytes at `p` spell `key` (the caller matched the length); for lookups.
    @inlinable @inline(__always)
    public static func same(_ p: UnsafePointer<UInt8>, _ key: StaticString) -> Bool {
        let k = key.utf8Start
        for i in 0..<key.utf8CodeUnitCount where p[i] != k[i] { return false }
        return true
    }
}
