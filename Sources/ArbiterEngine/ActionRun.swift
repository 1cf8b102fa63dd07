import ArbiterPolicy
import CEL

/// CheckResources's walker (`PolicyWalk`): each row is evaluated, so the first scope with a
/// DENY (or an OVERRIDE_PARENT scope with an ALLOW) ends the walk, and verdicts are effects.
/// Holds one request's evaluation state.
struct ActionRun: PolicyWalk {
    typealias Rows = ScopeStep
    typealias Verdict = Engine.Decision

    let kind: String
    var evaluation: CheckEvaluation
    /// Principal roles plus their role-policy ancestors in the resource scope.
    let allRoles: [String]
    /// Distinct derived roles activated so far, in activation order (a handful at most, so an
    /// array scan instead of a hashed set).
    var effectiveDerivedRoles: [String] = []
    private var processedLevels: UInt64 = 0
    /// Levels (a bit per index) probed for role policies of `allRoles`, and those where none
    /// of them has one: there `rolePolicyRows` would scan the level's policies for each role
    /// and action and find nothing, so the request probes once instead.
    private var rolePoliciesProbed: UInt64 = 0
    private var rolePoliciesAbsent: UInt64 = 0
    /// Whether `effectiveDerivedRoles` is collected (only reported with meta).
    let collectDerivedRoles: Bool
    /// Whether each resource scope's derived roles are activated when the walk first reaches
    /// it. Needed only to report them or to bind `runtime`: when neither, skipping it saves
    /// evaluating the conditions of derived roles no reached row asks about (and their errors).
    /// Conditions are pure and `now` is fixed, so the rows' outcomes do not change.
    private let activatesDerivedRoles: Bool

    /// Shares `runtime` role lists between requests; nil builds one per activating scope.
    let roleLists: CheckScratch?
    /// `set.readsRuntime` and `set.ruleCount`, read once per engine: each read of a policy-set
    /// property from this module costs a dynamic exclusivity check.
    private let readsRuntime: Bool
    private let ruleCount: Int

    /// The engine's role masks, and `allRoles` as one.
    let roleIndex: RoleIndex
    private let allRoleBits: UInt64
    /// Per resource level, the indices of the resource policy's rules covering the action being
    /// decided (`RequestPlan.rows(for:)`); nil computes them per level.
    var actionRows: [[Int]]?
    /// The verdict of the chain being walked, and whether it is the principal pass's.
    private var chain = Engine.Decision.noMatch
    private var chainByPrincipal = false

    init(engine: Engine, kind: String, allRoles: [String], allRoleBits: UInt64, evaluation: CheckEvaluation,
         collectDerivedRoles: Bool = true, roleLists: CheckScratch? = nil, activatesDerivedRoles: Bool = true) {
        self.kind = kind
        self.allRoles = allRoles
        self.allRoleBits = allRoleBits
        self.evaluation = evaluation
        self.collectDerivedRoles = collectDerivedRoles
        self.roleLists = roleLists
        self.activatesDerivedRoles = activatesDerivedRoles || collectDerivedRoles
        roleIndex = engine.roleIndex
        readsRuntime = engine.readsRuntime
        ruleCount = engine.ruleCount
    }

    /// One scope of a chain with everything the walk needs there, looked up once per request
    /// (or once per engine, for memoised resource chains). A class, so walking the levels for
    /// every action and role retains one reference instead of copying five fields.
    final class Level: Sendable {
        let scope: String
        let mode: ScopePermissionMode
        let resourcePolicy: CompiledResourcePolicy?
        let rolePolicies: [String: CompiledRolePolicy]?
        let principalPolicy: CompiledPrincipalPolicy?
        /// The role policies as a list when there are few: a request's handful of roles is
        /// matched by comparing strings instead of hashing each into the dictionary.
        let fewRolePolicies: [CompiledRolePolicy]?
        /// `rolePolicies != nil`, as a flag: testing the optional dictionary on every walk of
        /// the level retained and released it.
        let hasRolePolicies: Bool

        init(scope: String, mode: ScopePermissionMode, resourcePolicy: CompiledResourcePolicy?,
             rolePolicies: [String: CompiledRolePolicy]?, principalPolicy: CompiledPrincipalPolicy?) {
            self.scope = scope
            self.mode = mode
            self.resourcePolicy = resourcePolicy
            self.rolePolicies = rolePolicies
            self.principalPolicy = principalPolicy
            hasRolePolicies = rolePolicies != nil
            fewRolePolicies = rolePolicies.flatMap { $0.count <= 8 ? Array($0.values) : nil }
        }

        /// The role policy of `role` in this scope.
        @inline(__always) func rolePolicy(_ role: String) -> CompiledRolePolicy? {
            guard let few = fewRolePolicies else { return rolePolicies?[role] }
            let length = role.utf8.count
            for policy in few where policy.role.utf8.count == length && policy.role == role { return policy }
            return nil
        }
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

    // MARK: verdicts (the first scope that decides ends the walk)

    /// A DENY or ALLOW of the scope that ended the walk (`PolicyWalk.walk` stops there).
    @inline(__always)
    mutating func addScope(_ rows: ScopeStep, at level: Level) {
        if let deny = rows.deny {
            chain = Engine.Decision(kind: .deny, policy: deny, scope: level.scope, byPrincipal: chainByPrincipal)
        } else if rows.hasAllow {
            chain = Engine.Decision(kind: .allow, policy: nil, scope: level.scope, byPrincipal: chainByPrincipal)
        }
    }

    @inline(__always)
    mutating func beginChain(principalPass: Bool) {
        chain = .noMatch
        chainByPrincipal = principalPass
    }

    @inline(__always)
    func endChain() -> Engine.Decision { chain }

    /// Activates the level's derived roles on the request's first visit, when needed.
    @inline(__always)
    mutating func reach(_ level: Level, index: Int) {
        if activatesDerivedRoles && processedLevels & (1 << min(index, 63)) == 0 {
            activateDerivedRoles(level, index: index)
        }
    }

    /// Whether some role of `allRoles` (which holds every role and ancestor a pass walks) has
    /// a role policy in `level`; found on the request's first visit to the level, so a level
    /// without any is not scanned per role and action.
    @inline(__always)
    mutating func rolePoliciesMayApply(_ level: Level, index: Int) -> Bool {
        guard level.hasRolePolicies else { return false }
        guard index < 64 else { return true }
        let bit: UInt64 = 1 << UInt64(index)
        if rolePoliciesProbed & bit == 0 {
            rolePoliciesProbed |= bit
            if !allRoles.contains(where: { level.rolePolicy($0) != nil }) { rolePoliciesAbsent |= bit }
        }
        return rolePoliciesAbsent & bit == 0
    }

    /// The rules covering the action: from `actionRows` (the request plan's table) when set.
    @inline(__always)
    func resourceRuleIndices(_ policy: CompiledResourcePolicy, action: String, index: Int) -> [Int] {
        actionRows?[index] ?? policy.ruleIndices(for: action)
    }

    /// What the rows of one scope produced: rows are evaluated, so an ALLOW or DENY holds
    /// for the one resource checked.
    struct ScopeStep: ScopeRows {
        var hasAllow = false
        /// Set when a DENY activated; the inner value overrides the reported policy.
        var deny: String?? = nil

        @inline(__always) mutating func dropAllows() { hasAllow = false }

        var decidesEverywhere: Bool {
            @inline(__always) get { deny != nil || hasAllow }
        }
    }

    // MARK: derived roles (spec §2.6)

    private mutating func activateDerivedRoles(_ level: Level, index: Int) {
        guard processedLevels & (1 << min(index, 63)) == 0 else { return }
        processedLevels |= 1 << min(index, 63)
        var active: [String] = []
        // The per-scope list only feeds `runtime`; most policy sets never read it.
        let feedsRuntime = readsRuntime
        // Up to 64 roles the activated ones are a bit mask, whose sorted names the thread has
        // usually built before: that saves the list allocation per request.
        var mask: UInt64 = 0
        var useMask = false
        if let policy = level.resourcePolicy {
            let derivedRoles = policy.derivedRoles
            useMask = roleLists != nil && derivedRoles.count <= 64
            for (i, role) in derivedRoles.enumerated() where roleIndex.derivedRole(role, activatableBy: allRoles[...], bits: allRoleBits) {
                if derivedRoleHolds(role).satisfied {
                    if feedsRuntime {
                        if useMask {
                            mask |= 1 << UInt64(i)
                        } else {
                            // Sized once per level instead of regrowing per activated role.
                            if active.isEmpty { active.reserveCapacity(derivedRoles.count) }
                            active.append(role.name)
                        }
                    }
                    if collectDerivedRoles && !effectiveDerivedRoles.contains(role.name) {
                        if effectiveDerivedRoles.isEmpty { effectiveDerivedRoles.reserveCapacity(derivedRoles.count) }
                        effectiveDerivedRoles.append(role.name)
                    }
                }
            }
            if feedsRuntime && mask != 0, let roleLists { active = roleLists.derivedRoleNames(policy, mask: mask) }
        }
        guard feedsRuntime else { return }
        if !useMask && active.count > 1 { active.sort() }
        evaluation.bindings.effectiveDerivedRoles = active
    }

    private mutating func derivedRoleHolds(_ role: CompiledDerivedRole) -> CheckEvaluation.ConditionOutcome {
        defer { evaluation.reportLimits(origin: role.originKey + "#" + role.name) }
        return evaluation.cachedOutcome(id: ruleCount + role.id, params: role.params, condition: role.condition)
    }

    // MARK: rows (evaluated; an activated DENY stops the scope)

    mutating func principalRule(_ rule: CompiledRule, policy: CompiledPrincipalPolicy, action: String,
                                rows step: inout ScopeStep) -> Bool {
        apply(rule, params: policy.params, originKey: policy.key, action: action, rows: &step)
    }

    mutating func resourceRule(_ rule: CompiledRule, params: CompiledParams, policy: CompiledResourcePolicy, level: Level,
                               action: String, rows step: inout ScopeStep) -> Bool {
        apply(rule, params: params, originKey: policy.key, action: action, rows: &step)
    }

    mutating func derivedRoleRule(_ rule: CompiledRule, role: CompiledDerivedRole, params: CompiledParams,
                                  policy: CompiledResourcePolicy, level: Level, action: String,
                                  rows step: inout ScopeStep) -> Bool {
        evaluation.use(params)
        let holds = derivedRoleHolds(role)
        if holds.errored && evaluation.strict {
            step.deny = .some(policy.key)
            return true
        }
        guard holds.satisfied else { return false }
        return apply(rule, params: params, originKey: policy.key, action: action, rows: &step)
    }

    /// Evaluates one row; returns true when the scope walk must stop (an activated DENY).
    private mutating func apply(_ rule: CompiledRule, params: CompiledParams, originKey: String, action: String,
                                rows step: inout ScopeStep) -> Bool {
        // Limit errors of the row, its variables and outputs are logged as this rule's.
        defer { evaluation.reportLimits(origin: rule.outputSource) }
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

    /// The synthetic row `DENY if none([cond])`, with the outputs swapped back (spec §2.5).
    mutating func rolePolicyRule(_ rule: CompiledRolePolicy.Rule, policy: CompiledRolePolicy, action: String,
                                 rows step: inout ScopeStep) -> Bool {
        // Formatted only for an output or a limit error: most rules have neither.
        var src: String { policy.key + "#" + rule.name }
        defer { evaluation.reportLimits(origin: src) }
        guard rule.condition != nil else {
            if let out = rule.ruleActivated { evaluation.emit(out, src: src, action: action, params: policy.params) }
            return false
        }
        let outcome = evaluation.cachedOutcome(id: rule.id, params: policy.params, condition: rule.condition)
        if outcome.errored && evaluation.strict {
            step.deny = .some(policy.key)
            return true
        }
        if outcome.satisfied {
            if let out = rule.ruleActivated { evaluation.emit(out, src: src, action: action, params: policy.params) }
            return false
        }
        if let out = rule.conditionNotMet { evaluation.emit(out, src: src, action: action, params: policy.params) }
        step.deny = .some(policy.key)
        return true
    }

    mutating func rolePolicyGrantsNothing(_ policy: CompiledRolePolicy, rows step: inout ScopeStep) -> Bool {
        step.deny = .some(policy.key)
        return true
    }
}
