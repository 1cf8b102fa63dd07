/// A key set that cannot be read, parsed or used; the message is Cerbos's where Cerbos has
/// one (`failed to validate key at idx 0: missing key ID (kid)`, `invalid algorithm (alg)`).
public struct KeySetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
