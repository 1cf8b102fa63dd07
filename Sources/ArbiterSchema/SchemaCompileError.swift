/// Why a schema could not be compiled: where (the schema URI with a JSON pointer fragment) and what.
public struct SchemaCompileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The location of the offending keyword, such as `cerbos:///a.json#/properties/x/pattern`.
    public var location: String
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(location: String, message: String, unresolvedURI: String? = nil) {
        self.location = location
        self.message = message
        self.unresolvedURI = unresolvedURI
    }

    /// The document a `$ref` named that the resolver did not have, when that is the problem
    /// (callers word missing documents their own way).
    public var unresolvedURI: String?

    public var description: String { "\(location): \(message)" }
}

/// One failed assertion: the instance location (a JSON pointer, empty for the root) and a
/// message in the wording of santhosh-tekuri/jsonschema, the validator Cerbos uses.
public struct SchemaValidationError: Sendable, Hashable, CustomStringConvertible {
    /// JSON pointer into the validated value, empty for the value itself.
    public var instanceLocation: String
    /// What failed.
    public var message: String

    /// Creates an error.
    public init(instanceLocation: String, message: String) {
        self.instanceLocation = instanceLocation
        self.message = message
    }

    public var description: String { "\(instanceLocation.isEmpty ? "/" : instanceLocation): \(message)" }
}
