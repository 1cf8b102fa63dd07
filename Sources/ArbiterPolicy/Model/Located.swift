import ArbiterYAML

/// A decoded value together with the position of the YAML node it came from.
public struct Located<Value: Sendable>: Sendable {
    /// The value.
    public var value: Value
    /// Where its node starts (1-based line and column).
    public var mark: YAMLMark

    /// Creates a located value.
    public init(_ value: Value, mark: YAMLMark) {
        self.value = value
        self.mark = mark
    }
}

extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}
