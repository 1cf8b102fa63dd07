import ArbiterPolicy
import CEL

/// The role-by-role, scope-by-scope walk for one request (the inner loops of spec §2.3).
struct ActionRun {
    let set: PolicySet
    let kind: String
    var evaluation: CheckEvaluation
    /// Principal roles plus their role-policy ancestors in the resource scope.
    let allRoles: [String]
    /// Distinct derived roles activated so far, in activation order (a handful at most, so an
    /// array scan instead of a hashed set).
    var effectiveDerivedRoles: [String] = []
    private var processedLevels: UInt64 = 0
    /// Whether `effectiveDerivedRoles` is collected (only reported with meta).
    let collectDerivedRoles: Bool

    init(set: PolicySet, kind: String, allRoles: [String], evaluation: CheckEvaluation, collectDerivedRoles: Bool = true) {
        self.set = set
        self.kind = kind
        self.allRoles = allRoles
        self.evaluation = evaluation
        self.collectDerivedRoles = collectDerivedRoles
    }

    /// One scope of a chain with everything the walk needs there, looked up once per request.
    struct Level: Sendable {
        let scope: String
        let mode: ScopePermissionMode
        let resourcePolicy: CompiledResourcePolicy?
        let rolePolicies: [String: CompiledRolePolicy]?
        let principalPolicy: CompiledPrincipalPolicy?
    }

    /// Resolves the policies of each scope of `chain` for one request, so every action and role
    /// reuses the lookups.
    static func levels(_ chain: [String], principal: Bool, set: PolicySet, kind: String, resourceVersion: String,
                       principalID: String) -> [Level] {
        chain.map { scope in
            Level(scope: scope, mode: set.scopePermissions(of: scope),
                  resourcePolicy: principal ? nil : set.resourcePolicy(kind: kind, version: resourceVersion, scope: scope),
                  rolePolicies: principal ? nil : set.rolePolicies(version: resourceVersion, scope: scope),
                  // Quirk kept from Cerbos: principal rows are queried with the resource's version.
                  principalPolicy: principal ? set.principalPolicy(principal: principalID, version: resourceVersion, scope: scope) : nil)
        }
    }

    /// Decides one action for one role in one pass, walking `levels` most specific first.
    /// `roles` is one principal role followed by its role-policy ancestors in the resource scope.
    /// The decision's policy is nil when it is the pass's main key.
    mutating func decide(action: String, roles: ArraySlice<String>, principalPass: Bool, levels: [Level]) -> Engine.Decision {
        var decision = Engine.Decision(kind: .noMatch, policy: nil, scope: "")
        for (index, level) in levels.enumerated() {
            let scope = level.scope
            if !principalPass { activateDerivedRoles(level, index: index) }
            var step = ScopeStep()
            if principalPass {
                if let policy = level.principalPolicy { principalRows(action: action, policy: policy, step: &step) }
            } else {
                if let policies = level.rolePolicies { rolePolicyRows(action: action, roles: roles, policies: policies, step: &step) }
                if step.deny == nil, let policy = level.resourcePolicy {
                    resourceRows(action: action, roles: roles, policy: policy, step: &step)
                }
            }
            if let deny = step.deny {
                decision.kind = .deny
                decision.scope = scope
                if let p = deny { decision.policy = p }
                return decision
            }
            if step.hasAllow && level.mode == .overrideParent {
                decision.kind = .allow
                decision.scope = scope
                return decision
            }
        }
        return decision
    }

    /// What the rows of one scope produced.
    struct ScopeStep {
        var hasAllow = false
        /// Set when a DENY activated; the inner value overrides the reported policy.
        var deny: String?? = nil
    }

    // MARK: derived roles (spec §2.6)

    private mutating func activateDerivedRoles(_ level: Level, index: Int) {
        guard processedLevels & (1 << min(index, 63)) == 0 else { return }
        processedLevels |= 1 << min(index, 63)
        var active: [String] = []
        // The per-scope list only feeds `runtime`; most policy sets never read it.
        let feedsRuntime = set.readsRuntime
        if let policy = level.resourcePolicy {
            for role in policy.derivedRoles where role.isActivatable(by: allRoles) {
                if derivedRoleHolds(role).satisfied {
                    if feedsRuntime {
                        // Sized once per level instead of regrowing per activated role.
                        if active.isEmpty { active.reserveCapacity(policy.derivedRoles.count) }
                        active.append(role.name)
                    }
                    if collectDerivedRoles && !effectiveDerivedRoles.contains(role.name) {
                        if effectiveDerivedRoles.isEmpty { effectiveDerivedRoles.reserveCapacity(policy.derivedRoles.count) }
                        effectiveDerivedRoles.append(role.name)
                    }
                }
            }
        }
        guard feedsRuntime else { return }
        if active.count > 1 { active.sort() }
        evaluation.bindings.effectiveDerivedRoles = active
    }

    private mutating func derivedRoleHolds(_ role: CompiledDerivedRole) -> CheckEvaluation.ConditionOutcome {
        evaluation.cachedOutcome(id: set.ruleCount + role.id, params: role.params, condition: role.condition)
    }

    // MARK: rows

    private mutating func principalRows(action: String, policy: CompiledPrincipalPolicy, step: inout ScopeStep) {
        for rule in policy.rules {
            guard rule.resource?.matches(kind) ?? true, rule.actions.matches(action) else { continue }
            if apply(rule, params: policy.params, originKey: policy.key, action: action, step: &step) { return }
        }
    }

    private mutating func resourceRows(action: String, roles: ArraySlice<String>, policy: CompiledResourcePolicy, step: inout ScopeStep) {
        for index in policy.ruleIndices(for: action) {
            let rule = policy.rules[index]
            if rule.roles.matchesAny(of: roles) {
                if apply(rule, params: policy.params, originKey: policy.key, action: action, step: &step) { return }
            }
            for derived in rule.derivedRoles where derived.isActivatable(by: roles) {
                evaluation.use(policy.params)
                let holds = derivedRoleHolds(derived)
                if holds.errored && evaluation.strict {
                    step.deny = .some(policy.key)
                    return
                }
                guard holds.satisfied else { continue }
                if apply(rule, params: policy.params, originKey: policy.key, action: action, step: &step) { return }
            }
        }
    }

    /// Evaluates one row; returns true when the scope walk must stop (an activated DENY).
    private mutating func apply(_ rule: CompiledRule, params: CompiledParams, originKey: String, action: String,
                                step: inout ScopeStep) -> Bool {
        // Cerbos evaluates a policy's variables as soon as any of its rows is reached.
        evaluation.use(params)
        let outcome = evaluation.cachedOutcome(id: rule.id, params: params, condition: rule.condition)
        if outcome.errored && evaluation.strict {
            step.deny = .some(originKey)
            return true
        }
        if outcome.satisfied {
            if let out = rule.ruleActivated { evaluation.emit(out, src: rule.outputSource, action: action, params: params) }
            switch rule.effect {
            case .allow: step.hasAllow = true
            case .deny:
                step.deny = .some(nil)
                return true
            case .noEffect: break
            }
        } else if let out = rule.conditionNotMet {
            evaluation.emit(out, src: rule.outputSource, action: action, params: params)
        }
        return false
    }

    /// Role policies as synthetic DENY rows in front of the resource rows (spec §2.5).
    private mutating func rolePolicyRows(action: String, roles: ArraySlice<String>, policies: [String: CompiledRolePolicy],
                                         step: inout ScopeStep) {
        for role in roles {
            guard let policy = policies[role] else { continue }
            var granted = false
            for rule in policy.rules where rule.resource.matches(kind) && rule.allowActions.matches(action) {
                granted = true
                let src = policy.key + "#" + rule.name
                guard rule.condition != nil else {
                    if let out = rule.ruleActivated { evaluation.emit(out, src: src, action: action, params: policy.params) }
                    continue
                }
                let outcome = evaluation.cachedOutcome(id: rule.id, params: policy.params, condition: rule.condition)
                if outcome.errored && evaluation.strict {
                    step.deny = .some(policy.key)
                    return
                }
                // The synthetic row is `DENY if none([cond])` with the outputs swapped back.
                if outcome.satisfied {
                    if let out = rule.ruleActivated { evaluation.emit(out, src: src, action: action, params: policy.params) }
                } else {
                    if let out = rule.conditionNotMet { evaluation.emit(out, src: src, action: action, params: policy.params) }
                    step.deny = .some(policy.key)
                    return
                }
            }
            if !granted {
                step.deny = .some(policy.key)
                return
            }
        }
    }
}
