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
        let principalScope = effectiveScope(principal.scope)
        let principalVersion = effectiveVersion(principal.policyVersion)
        let resourceScope = effectiveScope(resource.scope)
        let resourceVersion = effectiveVersion(resource.policyVersion)
        let kind = PolicyNamer.sanitized(resource.kind)
        let set = policySet

        var output = CheckOutput(requestId: requestId, resourceId: resource.id, actions: [],
                                 effectiveDerivedRoles: [], outputs: [], evaluationErrors: [], validationErrors: [])
        func denyAll(_ policy: String) {
            output.actions = actions.map { ($0, ActionEffect(effect: .deny, policy: policy)) }
        }

        let principalChain = scopeChain(principalScope, in: set.principalScopes)
        let resourceChain = scopeChain(resourceScope, in: set.resourceScopes)
        if principalChain.isEmpty && resourceChain.isEmpty {
            denyAll(PolicyNamer.noMatch)
            return output
        }
        let principalExists = principalChain.contains { set.hasPrincipalPolicy(version: principalVersion, scope: $0) }
        let resourceLevels = ActionRun.levels(resourceChain, principal: false, set: set, kind: kind,
                                              resourceVersion: resourceVersion, principalID: principal.id)
        let resourceExists = resourceLevels.contains { level in
            level.resourcePolicy != nil || (level.rolePolicies?.values.contains { $0.covers(kind: kind) } ?? false)
        }
        if !principalExists && !resourceExists {
            denyAll(PolicyNamer.noMatch)
            return output
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
        let resourceKey = resourceExists ? (resourceLevels[0].resourcePolicy?.key
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

        let context = RequestContext(principal: principal, resource: resource, auxData: auxData)
        let bindings = EvaluationBindings(template: bindingTemplate, request: .object(RequestObject(context: context)),
                                          principal: .object(PrincipalObject(context: context)),
                                          resource: .object(ResourceObject(context: context)), now: now)
        let roles = principal.roles
        // Without role policies in the resource scope (the common case) each role stands alone:
        // slices of the request's array stand in for per-role arrays.
        let parents = set.roleParents(in: resourceScope)
        let expandedRoles = parents.map { p in roles.map { PolicySet.addingParentRoles(to: [$0], parents: p) } }
        var run = ActionRun(set: set, kind: kind, allRoles: parents.map { PolicySet.addingParentRoles(to: roles, parents: $0) } ?? roles,
                            evaluation: CheckEvaluation(bindings: bindings, strict: configuration.strictEvaluation))

        output.actions.reserveCapacity(actions.count)
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
            output.actions.append((action, ActionEffect(effect: effect, policy: policy, scope: result.scope)))
        }
        // Sorted in place: `sorted()` would copy into a new buffer.
        run.effectiveDerivedRoles.sort()
        output.effectiveDerivedRoles = run.effectiveDerivedRoles
        output.outputs = run.evaluation.outputs
        output.evaluationErrors = run.evaluation.sortedErrors()
        return output
    }
}
