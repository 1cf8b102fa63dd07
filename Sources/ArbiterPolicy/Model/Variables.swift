import ArbiterYAML
import CEL

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

/// A policy's `variables` block: local definitions and imported exportVariables sets.
public struct Variables: Sendable {
    /// `variables.import`.
    public var imports: [Located<String>]
    /// `variables.local`, in source order.
    public var local: [VariableDefinition]
    /// Where the block starts.
    public var mark: YAMLMark

    /// Creates a block.
    public init(imports: [Located<String>] = [], local: [VariableDefinition] = [], mark: YAMLMark) {
        self.imports = imports
        self.local = local
        self.mark = mark
    }
}

/// A policy's `constants` block: local definitions and imported exportConstants sets.
public struct Constants: Sendable {
    /// `constants.import`.
    public var imports: [Located<String>]
    /// `constants.local`, in source order.
    public var local: [ConstantDefinition]
    /// Where the block starts.
    public var mark: YAMLMark

    /// Creates a block.
    public init(imports: [Located<String>] = [], local: [ConstantDefinition] = [], mark: YAMLMark) {
        self.imports = imports
        self.local = local
        self.mark = mark
    }
}
