import ArbiterYAML
import CEL

extension CompileSession {
    private static func mode(_ value: ScopePermissions?) -> ScopePermissionMode {
        (value ?? .unspecified).effectiveForResourceOrPrincipal == .requireParentalConsentForAllows
            ? .requireParentalConsentForAllows : .overrideParent
    }

    private static func effect(_ effect: Effect) -> RuleEffect { effect == .allow ? .allow : .deny }

    /// The derived roles of an imported set, compiled once per session.
    mutating func derivedRoles(named name: String) -> [CompiledDerivedRole] {
        if let done = reusedDerivedRoles(named: name) { return done }
        guard let (set, policy) = derivedRoleSets[name] else { return [] }
        let saved = currentFile
        currentFile = policy.file
        let before = runtimeReads
        var roles: [CompiledDerivedRole] = []
        defer {
            currentFile = saved
            if runtimeReads > before { derivedRoleSetsReadingRuntime.insert(name) }
            record(derivedRoleSet: name, roles: roles, readsRuntime: runtimeReads > before)
        }
        let scope = paramScope(variables: set.variables, localVariables: policy.effectiveLocalVariables, constants: set.constants)
        for def in set.definitions {
            let (ok, condition) = self.condition(def.condition, scope: scope)
            guard ok else { continue }
            roles.append(CompiledDerivedRole(name: def.name.value, parentRoles: def.parentRoles.map(\.value),
                                             condition: condition, params: scope.params,
                                             originKey: "derived_roles." + name))
        }
        compiledDerivedRoles[name] = roles
        return roles
    }

    mutating func compileResourcePolicy(_ p: ResourcePolicy, policy: Policy) -> CompiledResourcePolicy? {
        let scope = p.scope?.value ?? ""
        let mode = Self.mode(p.scopePermissions?.value)
        let runtimeReadsBefore = runtimeReads
        let params = paramScope(variables: p.variables, localVariables: policy.effectiveLocalVariables, constants: p.constants)
        var ok = params.ok
        var available: [String: CompiledDerivedRole] = [:]
        for name in p.importDerivedRoles {
            for role in derivedRoles(named: name.value) where available[role.name] == nil { available[role.name] = role }
        }
        let key = PolicyNamer.resourcePolicyKey(kind: p.resource.value, version: p.version.value, scope: scope)
        var referenced: [CompiledDerivedRole] = []
        var rules: [CompiledRule] = []
        for (i, rule) in p.rules.enumerated() {
            let name = rule.name?.value ?? PolicyNamer.defaultResourceRuleName(index: i)
            let (condOK, condition) = self.condition(rule.condition, scope: params)
            let (aOK, activated) = output(rule.output?.effectiveRuleActivated, scope: params)
            let (nOK, notMet) = output(rule.output?.conditionNotMet, scope: params)
            guard condOK, aOK, nOK else { ok = false; continue }
            var derived: [CompiledDerivedRole] = []
            for ref in rule.derivedRoles {
                guard let role = available[ref.value] else { continue }
                derived.append(role)
                if !referenced.contains(where: { $0.name == role.name }) { referenced.append(role) }
            }
                        rules.append(CompiledRule(name: name, outputSource: key + "#" + name, actions: ActionMatcher(rule.actions.map(\.value)),
                                      roles: RoleMatcher(rule.roles.map(\.value)), derivedRoles: derived, effect: Self.effect(rule.effect),
                                      condition: condition, ruleActivated: activated, conditionNotMet: notMet))
        }
        guard ok else { return nil }
        let schemas = p.schemas.map {
            SchemaReferences(principalSchema: $0.principalSchema?.ref.value, resourceSchema: $0.resourceSchema?.ref.value)
        }
        // Its own expressions, or an imported derived-role set's, may read `runtime`.
        let readsRuntime = runtimeReads > runtimeReadsBefore
            || p.importDerivedRoles.contains { derivedRoleSetsReadingRuntime.contains($0.value) }
        return CompiledResourcePolicy(kind: p.resource.value, version: p.version.value, scope: scope, scopePermissions: mode,
                                      rules: rules, derivedRoles: referenced, params: params.params, schemas: schemas,
                                      readsRuntime: readsRuntime)
    }

    mutating func compilePrincipalPolicy(_ p: PrincipalPolicy, policy: Policy) -> CompiledPrincipalPolicy? {
        let scope = p.scope?.value ?? ""
        let mode = Self.mode(p.scopePermissions?.value)
        let params = paramScope(variables: p.variables, localVariables: policy.effectiveLocalVariables, constants: p.constants)
        var ok = params.ok
        let key = PolicyNamer.principalPolicyKey(principal: p.principal.value, version: p.version.value, scope: scope)
        var rules: [CompiledRule] = []
        for rule in p.rules {
            let resource = rule.resource.value
            let pattern = GlobPattern(GlobPattern.isGlob(resource) ? resource : PolicyNamer.sanitized(resource))
            for (j, action) in rule.actions.enumerated() {
                let name = action.name?.value ?? PolicyNamer.defaultPrincipalRuleName(resource: resource, index: j)
                let (condOK, condition) = self.condition(action.condition, scope: params)
                let (aOK, activated) = output(action.output?.effectiveRuleActivated, scope: params)
                let (nOK, notMet) = output(action.output?.conditionNotMet, scope: params)
                guard condOK, aOK, nOK else { ok = false; continue }
                                rules.append(CompiledRule(name: name, outputSource: key + "#" + name, actions: ActionMatcher([action.action.value]),
                                          roles: RoleMatcher(["*"]), resource: pattern, effect: Self.effect(action.effect), condition: condition,
                                          ruleActivated: activated, conditionNotMet: notMet))
            }
        }
        guard ok else { return nil }
        return CompiledPrincipalPolicy(principal: p.principal.value, version: p.version.value, scope: scope,
                                       scopePermissions: mode, rules: rules, params: params.params)
    }

    mutating func compileRolePolicy(_ p: RolePolicy, policy: Policy) -> CompiledRolePolicy? {
        let params = paramScope(variables: p.variables, localVariables: policy.effectiveLocalVariables, constants: p.constants)
        var ok = params.ok
        var rules: [CompiledRolePolicy.Rule] = []
        for rule in p.rules {
            let (condOK, condition) = self.condition(rule.condition, scope: params)
            let (aOK, activated) = output(rule.output?.effectiveRuleActivated, scope: params)
            let (nOK, notMet) = output(rule.output?.conditionNotMet, scope: params)
            guard condOK, aOK, nOK else { ok = false; continue }
            rules.append(CompiledRolePolicy.Rule(resource: rule.resource.value, allowActions: rule.allowActions.map(\.value),
                                                 condition: condition, name: rule.name?.value ?? "",
                                                 ruleActivated: activated, conditionNotMet: notMet))
        }
        guard ok else { return nil }
        return CompiledRolePolicy(role: p.role.value, version: p.effectiveVersion, scope: p.scope?.value ?? "",
                                  parentRoles: p.parentRoles.map(\.value), rules: rules, params: params.params)
    }
}
