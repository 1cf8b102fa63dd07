import ArbiterYAML

/// An `exportVariables` set: variable definitions other policies import by name.
public struct ExportVariables: Sendable {
    /// `name`.
    public var name: Located<String>
    /// `definitions`, in source order.
    public var definitions: [VariableDefinition]
    /// Where the `exportVariables` mapping starts.
    public var mark: YAMLMark
}
