import CEL

/// The informational `metadata` block of a policy.
public struct PolicyMetadata: Sendable {
    /// `sourceFile`.
    public var sourceFile: String?
    /// `annotations`, in source order.
    public var annotations: [(key: String, value: String)]
    /// `hash` (a uint64 in Cerbos, kept as written).
    public var hash: String?
    /// `storeIdentifier`, or the deprecated misspelled `storeIdentifer`.
    public var storeIdentifier: String?
    /// Whether the misspelled `storeIdentifer` key was used.
    public var usedMisspelledStoreIdentifier: Bool
    /// `sourceAttributes.attributes`, JSON-like values.
    public var sourceAttributes: [(key: String, value: Value)]

    /// Creates an empty metadata block.
    public init() {
        annotations = []
        usedMisspelledStoreIdentifier = false
        sourceAttributes = []
    }
}
