/// Names and keys that identify a policy in a set.
extension Policy {
    /// Cerbos's policy key: `resource.<kind>.v<version>[/<scope>]`, `principal.…`, `role.…`,
    /// `derived_roles.<name>`, `export_variables.<name>`, `export_constants.<name>`.
    public var key: String {
        switch kind {
        case let .resource(p): return PolicyNaming.scopedKey("resource", p.resource.value, p.version.value, scope)
        case let .principal(p): return PolicyNaming.scopedKey("principal", p.principal.value, p.version.value, scope)
        case let .role(p): return PolicyNaming.scopedKey("role", p.role.value, p.effectiveVersion, scope)
        case let .derivedRoles(p): return "derived_roles." + p.name.value
        case let .exportVariables(p): return "export_variables." + p.name.value
        case let .exportConstants(p): return "export_constants." + p.name.value
        }
    }

    /// The policy's scope; empty when unscoped or for kinds without scopes.
    public var scope: String {
        switch kind {
        case let .resource(p): return p.scope?.value ?? ""
        case let .principal(p): return p.scope?.value ?? ""
        case let .role(p): return p.scope?.value ?? ""
        case .derivedRoles, .exportVariables, .exportConstants: return ""
        }
    }

    /// A word for the kind, as used in messages.
    public var kindName: String {
        switch kind {
        case .resource: return "resourcePolicy"
        case .principal: return "principalPolicy"
        case .role: return "rolePolicy"
        case .derivedRoles: return "derivedRoles"
        case .exportVariables: return "exportVariables"
        case .exportConstants: return "exportConstants"
        }
    }

    /// The `variables` block of the body, if the kind has one.
    public var variablesBlock: Variables? {
        switch kind {
        case let .resource(p): return p.variables
        case let .principal(p): return p.variables
        case let .role(p): return p.variables
        case let .derivedRoles(p): return p.variables
        case .exportVariables, .exportConstants: return nil
        }
    }

    /// The `constants` block of the body, if the kind has one.
    public var constantsBlock: Constants? {
        switch kind {
        case let .resource(p): return p.constants
        case let .principal(p): return p.constants
        case let .role(p): return p.constants
        case let .derivedRoles(p): return p.constants
        case .exportVariables, .exportConstants: return nil
        }
    }

    /// Local variables as Cerbos sees them: the deprecated top-level ones followed by `variables.local`.
    /// Names defined twice are reported by the loader; here both stay so nothing is silently dropped.
    public var effectiveLocalVariables: [VariableDefinition] {
        topLevelVariables + (variablesBlock?.local ?? [])
    }
}

/// Cerbos's naming conventions for keys, default versions and default rule names.
public enum PolicyNaming {
    /// The version a role policy gets when it has none.
    public static let defaultVersion = "default"

    /// `rule-NNN` for the 1-based `index`.
    public static func defaultRuleName(index: Int) -> String {
        let digits = String(index)
        return "rule-" + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }

    /// `<prefix>.<name>.v<version>[/<scope>]` with the name sanitised by Cerbos's rule
    /// (`PolicyNamer.sanitized`), so `album:object` and `album-object` name the same policy.
    public static func scopedKey(_ prefix: String, _ name: String, _ version: String, _ scope: String) -> String {
        let base = prefix + "." + PolicyNamer.sanitized(name) + ".v" + version
        return scope.isEmpty ? base : base + "/" + scope
    }

    /// The parent scopes of `scope`, nearest first, ending with the root scope `""`.
    public static func ancestors(of scope: String) -> [String] {
        guard !scope.isEmpty else { return [] }
        var result: [String] = []
        var current = Substring(scope)
        while let dot = current.lastIndex(of: "."), dot != current.startIndex {
            current = current[..<dot]
            result.append(String(current))
        }
        result.append("")
        return result
    }
}
