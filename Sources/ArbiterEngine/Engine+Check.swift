import ArbiterPolicy
import CEL

extension Engine {
    /// The outcome of one policy pass for one role (`EffectInfo` with NO_MATCH).
    struct Decision {
        enum Kind { case noMatch, allow, deny }
        var kind: Kind
        var policy: String
        var scope: String
    }

    /// Checks one resource for every requested action (spec §2.3).
    public func check(_ input: CheckInput, now: Timestamp) -> CheckOutput {
        let principalScope = effectiveScope(input.principal.scope)
        let principalVersion = effectiveVersion(input.principal.policyVersion)
        let resourceScope = effectiveScope(input.resource.scope)
        let resourceVersion = effectiveVersion(input.resource.policyVersion)
        let kind = PolicyNamer.sanitized(input.resource.kind)
        let set = policySet

        var output = CheckOutput(requestId: input.requestId, resourceId: input.resource.id, actions: [],
                                 effectiveDerivedRoles: [], outputs: [], evaluationErrors: [], validationErrors: [])
        func denyAll(_ policy: String) {
            output.actions = input.actions.map { ($0, ActionEffect(effect: .deny, policy: policy)) }
        }

        let principalChain = scopeChain(principalScope, in: set.principalScopes)
        let resourceChain = scopeChain(resourceScope, in: set.resourceScopes)
        if principalChain.isEmpty && resourceChain.isEmpty {
            denyAll(PolicyNamer.noMatch)
            return output
        }
        let principalExists = principalChain.contains { set.hasPrincipalPolicy(version: principalVersion, scope: $0) }
        let resourceExists = resourceChain.contains { scope in
            if set.resourcePolicy(kind: kind, version: resourceVersion, scope: scope) != nil { return true }
            return set.rolePolicies(version: resourceVersion, scope: scope)?.values.contains { $0.covers(kind: kind) } ?? false
        }
        if !principalExists && !resourceExists {
            denyAll(PolicyNamer.noMatch)
            return output
        }
        // Keys are only reported when a policy exists in the chain (spec §2.2).
        let principalKey = principalExists ? PolicyNamer.principalPolicyKey(
            principal: input.principal.id, version: principalVersion, scope: principalChain[0]) : PolicyNamer.noMatch
        let resourceKey = resourceExists ? (set.resourcePolicy(kind: kind, version: resourceVersion, scope: resourceChain[0])?.key
            ?? PolicyNamer.resourcePolicyKey(kind: input.resource.kind, version: resourceVersion, scope: resourceChain[0]))
            : PolicyNamer.noMatch

        let principalValue = Value.object(PrincipalObject(input.principal, scope: PolicyNamer.normalisedScope(input.principal.scope)))
        let resourceValue = Value.object(ResourceObject(input.resource, scope: PolicyNamer.normalisedScope(input.resource.scope)))
        let requestValue = Value.object(RequestObject(principal: principalValue, resource: resourceValue,
                                                      auxData: .object(AuxDataObject(input.auxData))))
        let bindings = EvaluationBindings(layout: set.variableLayout, slots: set.bindingSlots, request: requestValue, principal: principalValue, resource: resourceValue,
                                          globals: globals, now: now)
        var run = ActionRun(engine: self, input: input, kind: kind, resourceVersion: resourceVersion,
                            resourceScope: resourceScope,
                            evaluation: CheckEvaluation(bindings: bindings, strict: configuration.strictEvaluation))
        run.allRoles = set.addingParentRoles(to: input.principal.roles, scope: resourceScope)
        let principalLevels = run.levels(principalChain, principal: true)
        let resourceLevels = run.levels(resourceChain, principal: false)
        let expandedRoles = input.principal.roles.map { set.addingParentRoles(to: [$0], scope: resourceScope) }

        output.actions.reserveCapacity(input.actions.count)
        for action in input.actions {
            var result = Decision(kind: .noMatch, policy: PolicyNamer.noMatch, scope: "")
            passes: for pass in 0..<2 {
                let principalPass = pass == 0
                let levels = principalPass ? principalLevels : resourceLevels
                let mainKey = principalPass ? principalKey : resourceKey
                result.kind = .noMatch
                for i in input.principal.roles.indices {
                    // Principal rows carry role `*`: one iteration covers every role.
                    if i > 0 && principalPass { break }
                    let roleResult = run.decide(action: action, roles: expandedRoles[i], principalPass: principalPass, levels: levels,
                                                policy: mainKey)
                    if result.kind == .noMatch { result = roleResult }
                    if roleResult.kind == .allow {
                        result = roleResult
                        break
                    }
                }
                if result.kind != .noMatch { break passes }
            }
            let effect: Effect = result.kind == .allow ? .allow : .deny
            output.actions.append((action, ActionEffect(effect: effect, policy: result.policy, scope: result.scope)))
        }
        output.effectiveDerivedRoles = run.effectiveDerivedRoles.sorted()
        output.outputs = run.evaluation.outputs
        output.evaluationErrors = run.evaluation.errors.sorted()
        return output
    }
}
