import ArbiterYAML

/// An `exportConstants` set: constant definitions other policies import by name.
public struct ExportConstants: Sendable {
    /// `name`.
    public var name: Located<String>
    /// `definitions`, in source order.
    public var definitions: [ConstantDefinition]
    /// Where the `exportConstants` mapping starts.
    public var mark: YAMLMark
}
