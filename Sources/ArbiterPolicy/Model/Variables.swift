import ArbiterYAML

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
