import CEL

/// Collects compiled policies, hands out the dense ids the engine's caches use, and produces an
/// immutable `PolicySet`.
public struct PolicySetBuilder {
    private var set = PolicySet()
    /// Index-build problems (duplicates, conflicting scope permissions).
    public private(set) var errors: [String] = []

    /// Starts an empty builder for expressions compiled against `layout`.
    public init(layout: VariableLayout = EvaluationBindings.defaultLayout) {
        set.variableLayout = layout
    }

    private mutating func register(_ params: inout CompiledParams) {
        params.id = set.paramsCount
        set.paramsCount += 1
    }

    private mutating func register(_ rules: inout [CompiledRule]) {
        for i in rules.indices {
            rules[i].id = set.ruleCount
            set.ruleCount += 1
        }
    }

    private mutating func setMode(_ mode: ScopePermissionMode?, scope: String, origin: String) {
        guard let mode else { return }
        if let existing = set.scopeModes[scope], existing != mode {
            errors.append("\(origin): conflicting scopePermissions in scope \"\(scope)\"")
            return
        }
        set.scopeModes[scope] = mode
    }

    /// Adds a resource policy; its derived roles get their own ids and parameter blocks.
    public mutating func add(_ policy: CompiledResourcePolicy) {
        var policy = policy
        let key = PolicySet.KindKey(version: policy.version, name: policy.kind, scope: policy.scope)
        guard set.resourcePolicies[key] == nil else {
            errors.append("duplicate policy definition \(policy.key)")
            return
        }
        register(&policy.params)
        var derivedIDs: [String: (Int, Int)] = [:]
        for i in policy.derivedRoles.indices {
            register(&policy.derivedRoles[i].params)
            policy.derivedRoles[i].id = set.derivedRoleCount
            set.derivedRoleCount += 1
            derivedIDs[policy.derivedRoles[i].name] = (policy.derivedRoles[i].id, policy.derivedRoles[i].params.id)
        }
        var rules = policy.rules
        if policy.scopePermissions == .requireParentalConsentForAllows { rules = rules.map { $0.rewrittenForParentalConsent() } }
        register(&rules)
        for r in rules.indices {
            rules[r] = rules[r].withDerivedRoleIDs(derivedIDs)
        }
        policy.rules = rules
        set.resourcePolicies[key] = policy
        set.resourceScopes.insert(policy.scope)
        setMode(policy.scopePermissions, scope: policy.scope, origin: policy.key)
    }

    /// Adds a principal policy.
    public mutating func add(_ policy: CompiledPrincipalPolicy) {
        var policy = policy
        let key = PolicySet.KindKey(version: policy.version, name: policy.principal, scope: policy.scope)
        guard set.principalPolicies[key] == nil else {
            errors.append("duplicate policy definition \(policy.key)")
            return
        }
        register(&policy.params)
        if policy.scopePermissions == .requireParentalConsentForAllows {
            policy.rules = policy.rules.map { $0.rewrittenForParentalConsent() }
        }
        register(&policy.rules)
        set.principalPolicies[key] = policy
        set.principalVersionScopes.insert(.init(version: policy.version, scope: policy.scope))
        set.principalScopes.insert(policy.scope)
        setMode(policy.scopePermissions, scope: policy.scope, origin: policy.key)
    }

    /// Adds a role policy; its `parentRoles` feed role expansion in its scope.
    public mutating func add(_ policy: CompiledRolePolicy) {
        var policy = policy
        let vs = PolicySet.VersionScope(version: policy.version, scope: policy.scope)
        guard set.rolePolicies[vs]?[policy.role] == nil else {
            errors.append("duplicate policy definition \(policy.key)")
            return
        }
        register(&policy.params)
        for i in policy.rules.indices {
            policy.rules[i].id = set.ruleCount
            set.ruleCount += 1
        }
        set.rolePolicies[vs, default: [:]][policy.role] = policy
        set.roleParents[policy.scope, default: [:]][policy.role] = policy.parentRoles
        set.resourceScopes.insert(policy.scope)
    }

    /// The finished, immutable set.
    public func build() -> PolicySet { set }
}

extension CompiledRule {
    /// The same rule with its derived roles carrying the ids the builder assigned.
    func withDerivedRoleIDs(_ ids: [String: (Int, Int)]) -> CompiledRule {
        guard !derivedRoles.isEmpty else { return self }
        var copy = self
        copy.setDerivedRoles(derivedRoles.map { role in
            var role = role
            if let (id, paramsID) = ids[role.name] { role.id = id; role.params.id = paramsID }
            return role
        })
        return copy
    }
}
