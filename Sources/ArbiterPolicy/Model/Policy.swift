import ArbiterYAML

/// One policy file: the envelope fields and exactly one policy kind.
public struct Policy: Sendable {
    /// The policy kind and its body.
    public enum Kind: Sendable {
        case resource(ResourcePolicy)
        case principal(PrincipalPolicy)
        case role(RolePolicy)
        case derivedRoles(DerivedRoles)
        case exportVariables(ExportVariables)
        case exportConstants(ExportConstants)
    }

    /// The file the policy was read from (relative to the loaded directory).
    public var file: String
    /// `apiVersion`.
    public var apiVersion: Located<String>?
    /// `description`.
    public var description: String?
    /// `disabled`.
    public var disabled: Bool
    /// `metadata`.
    public var metadata: PolicyMetadata?
    /// The deprecated top-level `variables` map, in source order.
    public var topLevelVariables: [VariableDefinition]
    /// Where the deprecated top-level `variables` key is.
    public var topLevelVariablesMark: YAMLMark?
    /// `$schema` (an editor hint, otherwise ignored).
    public var jsonSchema: String?
    /// The policy kind and body.
    public var kind: Kind
    /// Where the document's root mapping starts.
    public var mark: YAMLMark

    /// Creates a policy.
    public init(file: String, apiVersion: Located<String>?, description: String?, disabled: Bool, metadata: PolicyMetadata?,
                topLevelVariables: [VariableDefinition], topLevelVariablesMark: YAMLMark?, jsonSchema: String?, kind: Kind, mark: YAMLMark) {
        self.file = file
        self.apiVersion = apiVersion
        self.description = description
        self.disabled = disabled
        self.metadata = metadata
        self.topLevelVariables = topLevelVariables
        self.topLevelVariablesMark = topLevelVariablesMark
        self.jsonSchema = jsonSchema
        self.kind = kind
        self.mark = mark
    }
}
