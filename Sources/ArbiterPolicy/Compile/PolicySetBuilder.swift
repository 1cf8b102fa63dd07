import CEL

/// Collects compiled policies, hands out the dense ids the engine's caches use, and produces an
/// immutable `PolicySet`.
///
/// Compiled objects are immutable, so registering one means making its copy with ids: a rule,
/// derived role or parameter block without an id (-1) gets the next one, and the policy that
/// holds it is rebuilt around the registered copies. A derived role imported by several
/// policies is registered once and every importer refers to the same copy. A policy whose
/// parameters already have an id was registered by an earlier build and may be serving: it goes
/// in as it is.
public struct PolicySetBuilder {
    private var tables = PolicySet.Tables()
    /// Index-build problems (duplicates, conflicting scope permissions).
    public private(set) var errors: [String] = []
    /// Rules of the policies added (ids below `ruleCount` may also be holes left by an earlier build).
    private(set) var liveRuleCount = 0
    /// The registered copy of every derived role registered by this builder, by the unregistered
    /// original (kept alive here so its identifier is not reused).
    private var registeredRoles: [ObjectIdentifier: (original: CompiledDerivedRole, copy: CompiledDerivedRole)] = [:]

    /// Starts an empty builder for expressions compiled against `layout`.
    public init(layout: VariableLayout = EvaluationBindings.defaultLayout) {
        tables.variableLayout = layout
    }

    /// Starts a builder that hands out ids above `counters`, so that policies already added to
    /// the set those counters come from can be added again as they are.
    init(layout: VariableLayout, continuing counters: CompiledPolicyCache.Counters?) {
        self.init(layout: layout)
        guard let counters else { return }
        tables.ruleCount = counters.rules
        tables.paramsCount = counters.params
        tables.derivedRoleCount = counters.derivedRoles
    }

    /// The id counters so far.
    var counters: CompiledPolicyCache.Counters {
        .init(rules: tables.ruleCount, params: tables.paramsCount, derivedRoles: tables.derivedRoleCount)
    }

    private mutating func register(_ params: CompiledParams) -> CompiledParams {
        guard params.id < 0 else { return params }
        defer { tables.paramsCount += 1 }
        return params.registered(id: tables.paramsCount)
    }

    private mutating func register(_ rules: [CompiledRule]) -> [CompiledRule] {
        rules.map { rule in
            let id = tables.ruleCount
            tables.ruleCount += 1
            return rule.registered(id: id, derivedRoles: rule.derivedRoles.map { register($0) })
        }
    }

    /// Derived roles may be shared by several importing policies; they keep their first id.
    private mutating func register(_ role: CompiledDerivedRole) -> CompiledDerivedRole {
        guard role.id < 0 else { return role }
        if let done = registeredRoles[ObjectIdentifier(role)] { return done.copy }
        let id = tables.derivedRoleCount
        tables.derivedRoleCount += 1
        let copy = role.registered(id: id, params: register(role.params))
        registeredRoles[ObjectIdentifier(role)] = (role, copy)
        return copy
    }

    /// The registered copy of a derived role: itself when it has an id, nil when this builder
    /// has not registered it (no policy added here refers to it).
    func registered(_ role: CompiledDerivedRole) -> CompiledDerivedRole? {
        role.id >= 0 ? role : registeredRoles[ObjectIdentifier(role)]?.copy
    }

    private mutating func setMode(_ mode: ScopePermissionMode?, scope: String, origin: String) {
        guard let mode else { return }
        if let existing = tables.scopeModes[scope], existing != mode {
            errors.append("\(origin): conflicting scopePermissions in scope \"\(scope)\"")
            return
        }
        tables.scopeModes[scope] = mode
    }

    /// Adds a resource policy; its rules and derived roles get the ids the engine caches use.
    /// Returns the policy as the set holds it (nil for a duplicate, which is not added).
    @discardableResult
    public mutating func add(_ policy: CompiledResourcePolicy) -> CompiledResourcePolicy? {
        let key = PolicySet.KindKey(version: policy.version, name: policy.kind, scope: policy.scope)
        guard tables.resourcePolicies[key] == nil else {
            errors.append("duplicate policy definition \(policy.key)")
            return nil
        }
        var added = policy
        if policy.params.id < 0 {
            let params = register(policy.params)
            let roles = policy.derivedRoles.map { register($0) }
            var rules = policy.rules
            if policy.scopePermissions == .requireParentalConsentForAllows {
                rules = rules.map { $0.rewrittenForParentalConsent() }
            }
            added = policy.registered(rules: register(rules), derivedRoles: roles, params: params)
        }
        liveRuleCount += added.rules.count
        tables.resourcePolicies[key] = added
        tables.resourceScopes.insert(added.scope)
        setMode(added.scopePermissions, scope: added.scope, origin: added.key)
        return added
    }

    /// Adds a principal policy. Returns the policy as the set holds it (nil for a duplicate).
    @discardableResult
    public mutating func add(_ policy: CompiledPrincipalPolicy) -> CompiledPrincipalPolicy? {
        let key = PolicySet.KindKey(version: policy.version, name: policy.principal, scope: policy.scope)
        guard tables.principalPolicies[key] == nil else {
            errors.append("duplicate policy definition \(policy.key)")
            return nil
        }
        var added = policy
        if policy.params.id < 0 {
            let params = register(policy.params)
            var rules = policy.rules
            if policy.scopePermissions == .requireParentalConsentForAllows {
                rules = rules.map { $0.rewrittenForParentalConsent() }
            }
            added = policy.registered(rules: register(rules), params: params)
        }
        liveRuleCount += added.rules.count
        tables.principalPolicies[key] = added
        tables.principalVersionScopes.insert(.init(version: added.version, scope: added.scope))
        tables.principalScopes.insert(added.scope)
        setMode(added.scopePermissions, scope: added.scope, origin: added.key)
        return added
    }

    /// Adds a role policy; its `parentRoles` feed role expansion in its scope.
    /// Returns the policy as the set holds it (nil for a duplicate).
    @discardableResult
    public mutating func add(_ policy: CompiledRolePolicy) -> CompiledRolePolicy? {
        let vs = PolicySet.VersionScope(version: policy.version, scope: policy.scope)
        guard tables.rolePolicies[vs]?[policy.role] == nil else {
            errors.append("duplicate policy definition \(policy.key)")
            return nil
        }
        var added = policy
        if policy.params.id < 0 {
            let params = register(policy.params)
            let rules = policy.rules.map { rule in
                defer { tables.ruleCount += 1 }
                return rule.registered(id: tables.ruleCount)
            }
            added = policy.registered(rules: rules, params: params)
        }
        liveRuleCount += added.rules.count
        tables.rolePolicies[vs, default: [:]][added.role] = added
        tables.roleParents[added.scope, default: [:]][added.role] = added.parentRoles
        tables.resourceScopes.insert(added.scope)
        return added
    }

    /// Whether some expression of the set names `runtime` (true unless the compiler saw every
    /// expression and none does).
    public var readsRuntime: Bool {
        get { tables.readsRuntime }
        set { tables.readsRuntime = newValue }
    }

    /// Whether some principal or role policy names `runtime` (true unless the compiler saw
    /// every expression).
    public var runtimeReadOutsideResourcePolicies: Bool {
        get { tables.runtimeReadOutsideResourcePolicies }
        set { tables.runtimeReadOutsideResourcePolicies = newValue }
    }

    /// Attaches the store's schemas and binds each root resource policy's `schemas` block.
    mutating func attach(schemas registry: SchemaRegistry, from policies: [Policy]) {
        tables.schemas = registry
        for policy in policies {
            guard case let .resource(r) = policy.kind, policy.scope.isEmpty,
                  let uses = AttributeSchemas(r.schemas, registry: registry) else { continue }
            let key = PolicySet.KindKey(version: r.version.value, name: PolicyNamer.sanitized(r.resource.value), scope: "")
            tables.attributeSchemas[key] = uses
        }
    }

    /// The finished, immutable set.
    public func build() -> PolicySet { PolicySet(tables) }
}
