import CEL

/// Collects compiled policies, hands out the dense ids the engine's caches use, and produces an
/// immutable `PolicySet`.
public struct PolicySetBuilder {
    private var set = PolicySet()
    /// Index-build problems (duplicates, conflicting scope permissions).
    public private(set) var errors: [String] = []
    /// Rules of the policies added (ids below `ruleCount` may also be holes left by an earlier build).
    private(set) var liveRuleCount = 0

    /// Starts an empty builder for expressions compiled against `layout`.
    public init(layout: VariableLayout = EvaluationBindings.defaultLayout) {
        set.variableLayout = layout
    }

    /// Starts a builder that hands out ids above `counters`, so that policies already added to
    /// the set those counters come from can be added again as they are.
    init(layout: VariableLayout, continuing counters: CompiledPolicyCache.Counters?) {
        self.init(layout: layout)
        guard let counters else { return }
        set.ruleCount = counters.rules
        set.paramsCount = counters.params
        set.derivedRoleCount = counters.derivedRoles
    }

    /// The id counters so far.
    var counters: CompiledPolicyCache.Counters {
        .init(rules: set.ruleCount, params: set.paramsCount, derivedRoles: set.derivedRoleCount)
    }

    private mutating func register(_ params: inout CompiledParams) {
        guard params.id < 0 else { return }
        params.id = set.paramsCount
        set.paramsCount += 1
    }

    private mutating func register(_ rules: [CompiledRule]) {
        for rule in rules {
            rule.id = set.ruleCount
            set.ruleCount += 1
            for role in rule.derivedRoles { register(role) }
        }
    }

    /// Derived roles may be shared by several importing policies; they keep their first id.
    private mutating func register(_ role: CompiledDerivedRole) {
        guard role.id < 0 else { return }
        role.id = set.derivedRoleCount
        set.derivedRoleCount += 1
        register(&role.params)
    }

    private mutating func setMode(_ mode: ScopePermissionMode?, scope: String, origin: String) {
        guard let mode else { return }
        if let existing = set.scopeModes[scope], existing != mode {
            errors.append("\(origin): conflicting scopePermissions in scope \"\(scope)\"")
            return
        }
        set.scopeModes[scope] = mode
    }

    /// Adds a resource policy; its rules and derived roles get the ids the engine caches use.
    public mutating func add(_ policy: CompiledResourcePolicy) {
        let key = PolicySet.KindKey(version: policy.version, name: policy.kind, scope: policy.scope)
        guard set.resourcePolicies[key] == nil else {
            errors.append("duplicate policy definition \(policy.key)")
            return
        }
        // A policy whose parameters have an id was built before and may be serving: it goes in as it is.
        if policy.params.id < 0 {
            register(&policy.params)
            for role in policy.derivedRoles { register(role) }
            if policy.scopePermissions == .requireParentalConsentForAllows {
                policy.replaceRules(policy.rules.map { $0.rewrittenForParentalConsent() })
            }
            register(policy.rules)
        }
        liveRuleCount += policy.rules.count
        set.resourcePolicies[key] = policy
        set.resourceScopes.insert(policy.scope)
        setMode(policy.scopePermissions, scope: policy.scope, origin: policy.key)
    }

    /// Adds a principal policy.
    public mutating func add(_ policy: CompiledPrincipalPolicy) {
        let key = PolicySet.KindKey(version: policy.version, name: policy.principal, scope: policy.scope)
        guard set.principalPolicies[key] == nil else {
            errors.append("duplicate policy definition \(policy.key)")
            return
        }
        if policy.params.id < 0 {
            register(&policy.params)
            if policy.scopePermissions == .requireParentalConsentForAllows {
                policy.rules = policy.rules.map { $0.rewrittenForParentalConsent() }
            }
            register(policy.rules)
        }
        liveRuleCount += policy.rules.count
        set.principalPolicies[key] = policy
        set.principalVersionScopes.insert(.init(version: policy.version, scope: policy.scope))
        set.principalScopes.insert(policy.scope)
        setMode(policy.scopePermissions, scope: policy.scope, origin: policy.key)
    }

    /// Adds a role policy; its `parentRoles` feed role expansion in its scope.
    public mutating func add(_ policy: CompiledRolePolicy) {
        let vs = PolicySet.VersionScope(version: policy.version, scope: policy.scope)
        guard set.rolePolicies[vs]?[policy.role] == nil else {
            errors.append("duplicate policy definition \(policy.key)")
            return
        }
        if policy.params.id < 0 {
            register(&policy.params)
            for i in policy.rules.indices {
                policy.rules[i].id = set.ruleCount
                set.ruleCount += 1
            }
        }
        liveRuleCount += policy.rules.count
        set.rolePolicies[vs, default: [:]][policy.role] = policy
        set.roleParents[policy.scope, default: [:]][policy.role] = policy.parentRoles
        set.resourceScopes.insert(policy.scope)
    }

    /// Whether some expression of the set names `runtime` (true unless the compiler saw every
    /// expression and none does).
    public var readsRuntime: Bool {
        get { set.readsRuntime }
        set { set.readsRuntime = newValue }
    }

    /// Whether some principal or role policy names `runtime` (true unless the compiler saw
    /// every expression).
    public var runtimeReadOutsideResourcePolicies: Bool {
        get { set.runtimeReadOutsideResourcePolicies }
        set { set.runtimeReadOutsideResourcePolicies = newValue }
    }

    /// The finished, immutable set; the builder must not be used afterwards.
    public func build() -> PolicySet { set }
}

