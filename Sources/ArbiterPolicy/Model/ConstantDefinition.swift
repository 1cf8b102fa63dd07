import ArbiterYAML
import CEL

/// A named JSON-like value: a constant definition.
public struct ConstantDefinition: Sendable {
    /// The constant name and where it is written.
    public var name: Located<String>
    /// The value: null, bool, double, string, list or map, as in protobuf's `Value`.
    public var value: Value
    /// Where the value starts.
    public var valueMark: YAMLMark

    /// Creates a definition.
    public init(name: Located<String>, value: Value, valueMark: YAMLMark) {
        self.name = name
        self.value = value
        self.valueMark = valueMark
    }
}
