import ArbiterYAML

/// A named CEL expression: a variable definition.
public struct VariableDefinition: Sendable {
    /// The variable name and where it is written.
    public var name: Located<String>
    /// The expression.
    public var expression: CELExpression

    /// Creates a definition.
    public init(name: Located<String>, expression: CELExpression) {
        self.name = name
        self.expression = expression
    }
}
