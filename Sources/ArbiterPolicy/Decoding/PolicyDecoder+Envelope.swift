import ArbiterYAML

/// The policy envelope: `apiVersion`, `description`, `disabled`, `metadata`, `variables`, `$schema`, and the kind.
extension PolicyDecoder {
    static let apiVersion = "api.cerbos.dev/v1"
    static let kindKeys = ["resourcePolicy", "principalPolicy", "rolePolicy", "derivedRoles", "exportVariables", "exportConstants"]

    /// Decodes a document; nil when it is not a mapping or names no policy kind (both reported).
    func policy(_ root: YAMLNode) -> Policy? {
        guard root.mapping != nil else {
            report(root.mark, "", "invalid document: contents are not valid YAML or JSON", .parse)
            return nil
        }
        var apiVersion: Located<String>?
        var apiVersionKeyMark: YAMLMark?
        var description: String?
        var disabled = false
        var metadata: PolicyMetadata?
        var topLevel: [VariableDefinition] = []
        var topLevelMark: YAMLMark?
        var jsonSchema: String?
        var kinds: [(key: String, mark: YAMLMark, kind: Policy.Kind?)] = []

        fields(root, "") { key, pair, path in
            switch key {
            case "apiVersion": apiVersion = self.string(pair.value, path); apiVersionKeyMark = pair.key.mark
            case "description": description = self.string(pair.value, path)?.value
            case "disabled": disabled = self.bool(pair.value, path) ?? false
            case "metadata": metadata = self.metadata(pair.value, path)
            case "variables":
                topLevelMark = pair.key.mark
                topLevel = self.variableMap(pair.value, path)
            case "$schema": jsonSchema = self.string(pair.value, path)?.value
            case "resourcePolicy": kinds.append((key, pair.key.mark, self.resourcePolicy(pair.value, path).map(Policy.Kind.resource)))
            case "principalPolicy": kinds.append((key, pair.key.mark, self.principalPolicy(pair.value, path).map(Policy.Kind.principal)))
            case "rolePolicy": kinds.append((key, pair.key.mark, self.rolePolicy(pair.value, path).map(Policy.Kind.role)))
            case "derivedRoles": kinds.append((key, pair.key.mark, self.derivedRoles(pair.value, path).map(Policy.Kind.derivedRoles)))
            case "exportVariables": kinds.append((key, pair.key.mark, self.exportVariables(pair.value, path).map(Policy.Kind.exportVariables)))
            case "exportConstants": kinds.append((key, pair.key.mark, self.exportConstants(pair.value, path).map(Policy.Kind.exportConstants)))
            default: return false
            }
            return true
        }

        if apiVersion?.value != Self.apiVersion {
            violation(apiVersionKeyMark ?? root.mark, "apiVersion", "must equal `\(Self.apiVersion)`")
        }
        guard let first = kinds.first else {
            violation(root.mark, "policyType", "exactly one field is required in oneof")
            return nil
        }
        for extra in kinds.dropFirst() {
            report(extra.mark, extra.key, "only one policy kind is allowed per policy; \(first.key) is already set", .validation)
        }
        guard let kind = first.kind else { return nil }
        if let topLevelMark {
            switch kind {
            case .exportVariables:
                report(topLevelMark, "variables", "export variables policies do not support the deprecated top-level variables field", .validation)
            case .exportConstants:
                report(topLevelMark, "variables", "export constants policies do not support the deprecated top-level variables field", .validation)
            default: break
            }
        }
        return Policy(file: file, apiVersion: apiVersion, description: description, disabled: disabled, metadata: metadata,
                      topLevelVariables: topLevel, topLevelVariablesMark: topLevelMark, jsonSchema: jsonSchema, kind: kind, mark: root.mark)
    }
}
