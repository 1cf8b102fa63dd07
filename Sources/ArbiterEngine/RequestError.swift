/// A malformed or over-limit request, naming the offending field (JSON-RPC -32602 material).
public struct RequestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// JSON-path-like location, such as `resources[0].actions[2]`; empty for the whole request.
    public var path: String
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}
