import ArbiterPolicy
import CEL

extension Engine {
    /// The outcome of one policy pass for one role (`EffectInfo` with NO_MATCH).
    struct Decision {
        enum Kind { case noMatch, allow, deny }
        var kind: Kind
        /// nil: the main key of the pass that decided.
        var policy: String?
        var scope: String
    }

    /// Checks one resource for every requested action (spec §2.3).
    public func check(_ input: CheckInput, now: Timestamp) -> CheckOutput {
        check(requestId: input.requestId, principal: input.principal, resource: input.resource, actions: input.actions,
              auxData: input.auxData, now: now)
    }

    /// `check(_:now:)` on the parts of an input, so CheckResources borrows the request's
    /// principal and resources instead of copying them into a `CheckInput` per resource.
    func check(requestId: String, principal: Principal, resource: Resource, actions: [String], auxData: AuxData?,
               now: Timestamp) -> CheckOutput {
        var output = CheckOutput(requestId: requestId, resourceId: resource.id, actions: [],
                                 effectiveDerivedRoles: [], outputs: [], evaluationErrors: [], validationErrors: [])
        output.actions.reserveCapacity(actions.count)
        let details = decide(principal: principal, resource: resource, actions: actions, auxData: auxData, now: now,
                             collectDetails: true) { output.actions.append(($0, $1)) }
        output.effectiveDerivedRoles = details.effectiveDerivedRoles
        output.outputs = details.outputs
        output.evaluationErrors = details.evaluationErrors
        return output
    }

    /// What a check reports besides the action effects.
    struct CheckDetails {
        var effectiveDerivedRoles: [String] = []
        var outputs: [OutputEntry] = []
        var evaluationErrors: [EvaluationError] = []
    }

    /// Decides every action of one resource, handing each effect to `record` in action order.
    /// Without `collectDetails` the effective derived roles and evaluation errors are not
    /// collected (a CheckResources response without `includeMeta` reports neither), which saves
    /// their lists and the error records per request; outputs are always collected.
    func decide(principal: Principal, resource: Resource, actions: [String], auxData: AuxData?, now: Timestamp,
                collectDetails: Bool, record: (String, ActionEffect) -> Void) -> CheckDetails {
        let principalScope = effectiveScope(principal.scope)
        let principalVersion = effectiveVersion(principal.policyVersion)
        let resourceScope = effectiveScope(resource.scope)
        let resourceVersion = effectiveVersion(resource.policyVersion)
        let kind = PolicyNamer.sanitized(resource.kind)
        let set = policySet

        func denyAll(_ policy: String) -> CheckDetails {
            for action in actions { record(action, ActionEffect(effect: .deny, policy: policy)) }
            return CheckDetails()
        }

        let principalChain = scopeChain(principalScope, in: set.principalScopes)
        let memo = resourceChains[ResourceChainKey(kind: kind, version: resourceVersion, scope: resourceScope)]
        let resourceChain = memo?.chain ?? scopeChain(resourceScope, in: set.resourceScopes)
        if principalChain.isEmpty && resourceChain.isEmpty {
            return denyAll(PolicyNamer.noMatch)
        }
        let principalExists = principalChain.contains { set.hasPrincipalPolicy(version: principalVersion, scope: $0) }
        let resourceLevels = memo?.levels ?? ActionRun.levels(resourceChain, principal: false, set: set, kind: kind,
                                                              resourceVersion: resourceVersion, principalID: principal.id)
        let resourceExists = memo != nil || resourceLevels.contains { level in
            level.resourcePolicy != nil || (level.rolePolicies?.values.contains { $0.covers(kind: kind) } ?? false)
        }
        if !principalExists && !resourceExists {
            return denyAll(PolicyNamer.noMatch)
        }
        // Without a principal policy for this principal in the chain the principal pass cannot
        // match: an empty walk gives the same NO_MATCH without building the levels.
        let hasPrincipalRows = principalChain.contains {
            set.principalPolicy(principal: principal.id, version: resourceVersion, scope: $0) != nil
        }
        let principalLevels = hasPrincipalRows ? ActionRun.levels(principalChain, principal: true, set: set, kind: kind,
                                                                  resourceVersion: resourceVersion,
                                                                  principalID: principal.id) : []
        // Keys are only reported when a policy exists in the chain (spec §2.2). The principal key
        // is formatted only when a principal row decides, which few requests reach.
        let resourceKey = resourceExists ? (memo?.key ?? resourceLevels[0].resourcePolicy?.key
            ?? PolicyNamer.resourcePolicyKey(kind: resource.kind, version: resourceVersion, scope: resourceChain[0]))
            : PolicyNamer.noMatch
        var principalKey: String?
        func principalKeyValue() -> String {
            if let principalKey { return principalKey }
            let key = principalExists ? PolicyNamer.principalPolicyKey(
                principal: principal.id, version: principalVersion, scope: principalChain[0]) : PolicyNamer.noMatch
            principalKey = key
            return key
        }

        let scratch = CheckScratch.acquire(for: self)
        defer { scratch.release() }
        scratch.context.assign(principal: principal, resource: resource, auxData: auxData)
        let bindings = scratch.bindings
        bindings.reset(now: now)
        let roles = principal.roles
        // Without role policies in the resource scope (the common case) each role stands alone:
        // slices of the request's array stand in for per-role arrays.
        let parents = set.roleParents(in: resourceScope)
        let expandedRoles = parents.map { p in roles.map { PolicySet.addingParentRoles(to: [$0], parents: p) } }
        var run = ActionRun(set: set, kind: kind, allRoles: parents.map { PolicySet.addingParentRoles(to: roles, parents: $0) } ?? roles,
                            evaluation: CheckEvaluation(bindings: bindings, strict: configuration.strictEvaluation,
                                                        collectErrors: collectDetails),
                            collectDerivedRoles: collectDetails)

        for action in actions {
            var result = Decision(kind: .noMatch, policy: PolicyNamer.noMatch, scope: "")
            var fromPrincipalPass = false
            passes: for pass in 0..<2 {
                let principalPass = pass == 0
                let levels = principalPass ? principalLevels : resourceLevels
                result.kind = .noMatch
                for i in roles.indices {
                    // Principal rows carry role `*`: one iteration covers every role.
                    if i > 0 && principalPass { break }
                    let roleResult = run.decide(action: action, roles: expandedRoles?[i][...] ?? roles[i...i],
                                                principalPass: principalPass, levels: levels)
                    if result.kind == .noMatch || roleResult.kind == .allow {
                        result = roleResult
                        fromPrincipalPass = principalPass
                    }
                    if roleResult.kind == .allow { break }
                }
                if result.kind != .noMatch { break passes }
            }
            let effect: Effect = result.kind == .allow ? .allow : .deny
            let policy = result.policy ?? (fromPrincipalPass ? principalKeyValue() : resourceKey)
            record(action, ActionEffect(effect: effect, policy: policy, scope: result.scope))
        }
        // Sorted in place: `sorted()` would copy into a new buffer.
        run.effectiveDerivedRoles.sort()
        return CheckDetails(effectiveDerivedRoles: run.effectiveDerivedRoles, outputs: run.evaluation.outputs,
                            evaluationErrors: run.evaluation.sortedErrors())
    }
}
