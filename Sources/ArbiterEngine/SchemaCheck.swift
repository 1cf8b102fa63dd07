/// What validating one request's principal and resource attributes found.
public struct SchemaCheck: Sendable {
    /// The violations, sorted by source, path and message.
    public var errors: [ValidationError]
    /// Under `reject`, when there are errors: the policy key every action is denied with
    /// (the most specific resource policy of the chain; the scope is empty). nil otherwise.
    public var rejectedBy: String?

    /// Nothing checked or nothing found.
    public static let passed = SchemaCheck(errors: [], rejectedBy: nil)

    /// Creates a result.
    public init(errors: [ValidationError], rejectedBy: String?) {
        self.errors = errors
        self.rejectedBy = rejectedBy
    }
}
