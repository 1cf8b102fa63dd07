/// One problem in a configuration file or flag.
public struct ConfigurationIssue: Sendable, Hashable, CustomStringConvertible {
    /// The dotted key, e.g. `server.socket.mode`.
    public var key: String
    /// `file:line:column` when the problem comes from a file.
    public var location: String?
    /// What is wrong and what is accepted.
    public var message: String

    /// Creates an issue.
    public init(key: String, location: String? = nil, message: String) {
        self.key = key
        self.location = location
        self.message = message
    }

    /// `file:line:col: key: message`.
    public var description: String {
        (location.map { "\($0): " } ?? "") + (key.isEmpty ? message : "\(key): \(message)")
    }
}

/// A configuration that cannot be used; startup stops with these issues.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// Every problem found, in file order.
    public var issues: [ConfigurationIssue]
    /// Creates the error.
    public init(_ issues: [ConfigurationIssue]) { self.issues = issues }
    /// One issue per line.
    public var description: String {
        "invalid configuration:\n" + issues.map { "  \($0)" }.joined(separator: "\n")
    }
}
