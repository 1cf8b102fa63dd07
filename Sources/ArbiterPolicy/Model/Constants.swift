import ArbiterYAML

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
