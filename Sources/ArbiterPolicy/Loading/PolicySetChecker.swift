import ArbiterYAML

/// The checks that need the whole set: duplicates, imports, ancestor scopes, scope permissions,
/// and the compile-time reference checks that need no CEL (derived roles, redefinitions).
///
/// Every check is one pass with hash lookups, so a tree of ten thousand policies stays linear.
struct PolicySetChecker {
    private let policies: [Policy]
    /// Reads `_schemas/<path>` from the store being loaded; nil when there is no such file.
    private let schemaContents: (String) -> [UInt8]?
    /// The schemas the policies name, compiled by `run()`.
    private(set) var schemas = SchemaRegistry.empty
    var diagnostics: [Diagnostic] = []
    /// The policies left after dropping later duplicate definitions.
    private(set) var uniquePolicies: [Policy] = []

    init(policies: [Policy], schemaContents: @escaping (String) -> [UInt8]?) {
        self.policies = policies
        self.schemaContents = schemaContents
    }

    private mutating func report(_ policy: Policy, _ mark: YAMLMark, _ path: String, _ message: String, _ stage: Diagnostic.Stage) {
        diagnostics.append(Diagnostic(file: policy.file, line: mark.line, column: mark.column, path: path, message: message, stage: stage))
    }

    mutating func run() {
        var firstFileByKey: [String: String] = [:]
        var unique: [Policy] = []
        unique.reserveCapacity(policies.count)
        for policy in policies {
            let key = policy.key
            if let other = firstFileByKey[key] {
                report(policy, policy.mark, "", "duplicate policy definition: \(key) is already defined in \(other)", .index)
                continue
            }
            firstFileByKey[key] = policy.file
            unique.append(policy)
        }
        uniquePolicies = unique

        var derivedRoles: [String: DerivedRoles] = [:]
        var exportedVariables: [String: (set: ExportVariables, file: String)] = [:]
        var exportedConstants: [String: (set: ExportConstants, file: String)] = [:]
        var roleScopes = Set<String>()
        var executableKeys = Set<String>()
        for policy in unique {
            switch policy.kind {
            case let .derivedRoles(d): derivedRoles[d.name.value] = d
            case let .exportVariables(v): exportedVariables[v.name.value] = (v, policy.file)
            case let .exportConstants(c): exportedConstants[c.name.value] = (c, policy.file)
            case .role: roleScopes.insert(policy.scope)
            case .resource, .principal: executableKeys.insert(policy.key)
            }
        }

        var refs: [String] = []
        for policy in unique {
            guard case let .resource(r) = policy.kind, let block = r.schemas else { continue }
            refs += [block.principalSchema?.ref.value, block.resourceSchema?.ref.value].compactMap { $0 }
        }
        schemas = SchemaRegistry(refs: refs, read: schemaContents)

        var scopePermissionsByScope: [String: (value: ScopePermissions, file: String)] = [:]
        for policy in unique {
            checkImports(policy, derivedRoles: derivedRoles, variables: exportedVariables, constants: exportedConstants)
            checkAncestors(policy, executableKeys: executableKeys, roleScopes: roleScopes)
            checkScopePermissions(policy, &scopePermissionsByScope)
            checkDerivedRoleReferences(policy, derivedRoles: derivedRoles)
            checkRedefinitions(policy, variables: exportedVariables, constants: exportedConstants)
            checkSchemaReferences(policy)
            checkVariableReferences(policy, variables: exportedVariables, constants: exportedConstants)
        }
    }

    /// Every schema a resource policy names must load and compile (Cerbos's compile error
    /// "invalid schema", reported at the `ref`).
    private mutating func checkSchemaReferences(_ policy: Policy) {
        guard case let .resource(r) = policy.kind, let block = r.schemas else { return }
        for (what, key, reference) in [("principal", "principalSchema", block.principalSchema), ("resource", "resourceSchema", block.resourceSchema)] {
            guard let ref = reference?.ref, case let .failure(problem) = schemas.entry(for: ref.value) else { continue }
            report(policy, ref.mark, "resourcePolicy.schemas.\(key).ref",
                   "invalid schema: Failed to load \(what) schema \"\(ref.value)\": \(problem)", .compile)
        }
    }

    // MARK: Index checks

    private mutating func checkImports(_ policy: Policy, derivedRoles: [String: DerivedRoles],
                                       variables: [String: (set: ExportVariables, file: String)],
                                       constants: [String: (set: ExportConstants, file: String)]) {
        let base = policy.kindName
        if case let .resource(r) = policy.kind {
            for (i, name) in r.importDerivedRoles.enumerated() where derivedRoles[name.value] == nil {
                report(policy, name.mark, "\(base).importDerivedRoles[\(i)]",
                       "import not found: cannot find derived roles '\(name.value)' imported by policy \(policy.key)", .index)
            }
        }
        for (i, name) in (policy.variablesBlock?.imports ?? []).enumerated() where variables[name.value] == nil {
            report(policy, name.mark, "\(base).variables.import[\(i)]",
                   "import not found: cannot find variables '\(name.value)' imported by policy \(policy.key)", .index)
        }
        for (i, name) in (policy.constantsBlock?.imports ?? []).enumerated() where constants[name.value] == nil {
            report(policy, name.mark, "\(base).constants.import[\(i)]",
                   "import not found: cannot find constants '\(name.value)' imported by policy \(policy.key)", .index)
        }
    }

    /// "No gaps": a policy at scope `a.b` needs policies for the same kind, name and version at `a` and at
    /// the root. For resource policies, a role policy at a missing scope fills the gap, since role policies
    /// act as resource rows in that scope. Role policies themselves need no ancestors.
    private mutating func checkAncestors(_ policy: Policy, executableKeys: Set<String>, roleScopes: Set<String>) {
        let scope = policy.scope
        guard !scope.isEmpty else { return }
        let prefix: String, name: String, version: String, scopeMark: YAMLMark
        let isResource: Bool
        switch policy.kind {
        case let .resource(r):
            (prefix, name, version, scopeMark, isResource) = ("resource", r.resource.value, r.version.value, r.scope?.mark ?? r.mark, true)
        case let .principal(p):
            (prefix, name, version, scopeMark, isResource) = ("principal", p.principal.value, p.version.value, p.scope?.mark ?? p.mark, false)
        default:
            return
        }
        for ancestor in PolicyNaming.ancestors(of: scope) {
            let key = PolicyNaming.scopedKey(prefix, name, version, ancestor)
            if executableKeys.contains(key) { continue }
            if isResource, !ancestor.isEmpty, roleScopes.contains(ancestor) { continue }
            report(policy, scopeMark, "\(policy.kindName).scope",
                   "missing policy definition: missing ancestor policy \"\(key)\" required by \(policy.key)", .index)
        }
    }

    private mutating func checkScopePermissions(_ policy: Policy, _ seen: inout [String: (value: ScopePermissions, file: String)]) {
        let written: Located<ScopePermissions>?
        switch policy.kind {
        case let .resource(r): written = r.scopePermissions
        case let .principal(p): written = p.scopePermissions
        default: return
        }
        let value = (written?.value ?? .unspecified).effectiveForResourceOrPrincipal
        let scope = policy.scope
        guard let first = seen[scope] else {
            seen[scope] = (value, policy.file)
            return
        }
        if first.value != value {
            report(policy, written?.mark ?? policy.mark, "\(policy.kindName).scopePermissions",
                   "conflicting scopePermissions in scope \"\(scope)\": \(value.rawValue) here but \(first.value.rawValue) in \(first.file)", .index)
        }
    }
}
