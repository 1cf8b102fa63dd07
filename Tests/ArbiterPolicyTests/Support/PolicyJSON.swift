@testable import ArbiterPolicy

/// Re-encodes a decoded ``Policy`` the way protojson prints Cerbos's `Policy` message:
/// camelCase names, default values omitted, enums as names.
enum PolicyJSON {
    static func encode(_ p: Policy) -> JSONLike {
        var o: [String: JSONLike] = [:]
        put(&o, "apiVersion", p.apiVersion?.value)
        put(&o, "description", p.description)
        if p.disabled { o["disabled"] = .bool(true) }
        if let m = p.metadata { o["metadata"] = metadata(m) }
        if !p.topLevelVariables.isEmpty { o["variables"] = variableMap(p.topLevelVariables) }
        put(&o, "$schema", p.jsonSchema)
        switch p.kind {
        case let .resource(r): o["resourcePolicy"] = resource(r)
        case let .principal(r): o["principalPolicy"] = principal(r)
        case let .role(r): o["rolePolicy"] = role(r)
        case let .derivedRoles(d): o["derivedRoles"] = derived(d)
        case let .exportVariables(v):
            var e: [String: JSONLike] = [:]
            put(&e, "name", v.name.value)
            if !v.definitions.isEmpty { e["definitions"] = variableMap(v.definitions) }
            o["exportVariables"] = .object(e)
        case let .exportConstants(c):
            var e: [String: JSONLike] = [:]
            put(&e, "name", c.name.value)
            if !c.definitions.isEmpty { e["definitions"] = constantMap(c.definitions) }
            o["exportConstants"] = .object(e)
        }
        return .object(o)
    }

    private static func put(_ o: inout [String: JSONLike], _ key: String, _ value: String?) {
        if let value, !value.isEmpty { o[key] = .string(value) }
    }

    private static func strings(_ o: inout [String: JSONLike], _ key: String, _ values: [Located<String>]) {
        if !values.isEmpty { o[key] = .array(values.map { .string($0.value) }) }
    }

    private static func metadata(_ m: PolicyMetadata) -> JSONLike {
        var o: [String: JSONLike] = [:]
        put(&o, "sourceFile", m.sourceFile)
        put(&o, "hash", m.hash)
        put(&o, m.usedMisspelledStoreIdentifier ? "storeIdentifer" : "storeIdentifier", m.storeIdentifier)
        if !m.annotations.isEmpty {
            o["annotations"] = .object(Dictionary(m.annotations.map { ($0.key, JSONLike.string($0.value)) }, uniquingKeysWith: { a, _ in a }))
        }
        if !m.sourceAttributes.isEmpty {
            o["sourceAttributes"] = .object(["attributes": .object(Dictionary(m.sourceAttributes.map { ($0.key, JSONLike(value: $0.value)) }, uniquingKeysWith: { a, _ in a }))])
        }
        return .object(o)
    }

    private static func variableMap(_ defs: [VariableDefinition]) -> JSONLike {
        .object(Dictionary(defs.map { ($0.name.value, JSONLike.string($0.expression.text)) }, uniquingKeysWith: { a, _ in a }))
    }

    private static func constantMap(_ defs: [ConstantDefinition]) -> JSONLike {
        .object(Dictionary(defs.map { ($0.name.value, JSONLike(value: $0.value)) }, uniquingKeysWith: { a, _ in a }))
    }

    private static func variables(_ v: Variables?) -> JSONLike? {
        guard let v else { return nil }
        var o: [String: JSONLike] = [:]
        strings(&o, "import", v.imports)
        if !v.local.isEmpty { o["local"] = variableMap(v.local) }
        return .object(o)
    }

    private static func constants(_ c: Constants?) -> JSONLike? {
        guard let c else { return nil }
        var o: [String: JSONLike] = [:]
        strings(&o, "import", c.imports)
        if !c.local.isEmpty { o["local"] = constantMap(c.local) }
        return .object(o)
    }

    private static func condition(_ c: Condition?) -> JSONLike? {
        guard let c else { return nil }
        switch c.kind {
        case let .match(m): return .object(["match": match(m)])
        case let .script(s): return .object(["script": .string(s.value)])
        }
    }

    private static func match(_ m: Match) -> JSONLike {
        switch m.kind {
        case let .expr(e): return .object(["expr": .string(e.text)])
        case let .all(ms): return .object(["all": .object(["of": .array(ms.map(match))])])
        case let .any(ms): return .object(["any": .object(["of": .array(ms.map(match))])])
        case let .none(ms): return .object(["none": .object(["of": .array(ms.map(match))])])
        }
    }

    private static func output(_ out: RuleOutput?) -> JSONLike? {
        guard let out else { return nil }
        var o: [String: JSONLike] = [:]
        put(&o, "expr", out.expr?.text)
        if out.hasWhen {
            var w: [String: JSONLike] = [:]
            put(&w, "ruleActivated", out.ruleActivated?.text)
            put(&w, "conditionNotMet", out.conditionNotMet?.text)
            o["when"] = .object(w)
        }
        return .object(o)
    }

    private static func scoped(_ o: inout [String: JSONLike], scope: Located<String>?, permissions: Located<ScopePermissions>?,
                               variables v: Variables?, constants c: Constants?) {
        put(&o, "scope", scope?.value)
        if let permissions, permissions.value != .unspecified { o["scopePermissions"] = .string(permissions.value.rawValue) }
        if let v = variables(v) { o["variables"] = v }
        if let c = constants(c) { o["constants"] = c }
    }

    private static func resource(_ r: ResourcePolicy) -> JSONLike {
        var o: [String: JSONLike] = [:]
        put(&o, "resource", r.resource.value)
        put(&o, "version", r.version.value)
        strings(&o, "importDerivedRoles", r.importDerivedRoles)
        scoped(&o, scope: r.scope, permissions: r.scopePermissions, variables: r.variables, constants: r.constants)
        if let s = r.schemas {
            var so: [String: JSONLike] = [:]
            for (key, ref) in [("principalSchema", s.principalSchema), ("resourceSchema", s.resourceSchema)] {
                guard let ref else { continue }
                var ro: [String: JSONLike] = [:]
                put(&ro, "ref", ref.ref.value)
                if let ignore = ref.ignoreWhenActions {
                    var io: [String: JSONLike] = [:]
                    strings(&io, "actions", ignore)
                    ro["ignoreWhen"] = .object(io)
                }
                so[key] = .object(ro)
            }
            o["schemas"] = .object(so)
        }
        if !r.rules.isEmpty {
            o["rules"] = .array(r.rules.map { rule in
                var ro: [String: JSONLike] = [:]
                put(&ro, "name", rule.name?.value)
                strings(&ro, "actions", rule.actions)
                strings(&ro, "roles", rule.roles)
                strings(&ro, "derivedRoles", rule.derivedRoles)
                ro["effect"] = .string(rule.effect.rawValue)
                if let c = condition(rule.condition) { ro["condition"] = c }
                if let out = output(rule.output) { ro["output"] = out }
                return .object(ro)
            })
        }
        return .object(o)
    }

    private static func principal(_ p: PrincipalPolicy) -> JSONLike {
        var o: [String: JSONLike] = [:]
        put(&o, "principal", p.principal.value)
        put(&o, "version", p.version.value)
        scoped(&o, scope: p.scope, permissions: p.scopePermissions, variables: p.variables, constants: p.constants)
        if !p.rules.isEmpty {
            o["rules"] = .array(p.rules.map { rule in
                var ro: [String: JSONLike] = [:]
                put(&ro, "resource", rule.resource.value)
                if !rule.actions.isEmpty {
                    ro["actions"] = .array(rule.actions.map { a in
                        var ao: [String: JSONLike] = [:]
                        put(&ao, "action", a.action.value)
                        put(&ao, "name", a.name?.value)
                        ao["effect"] = .string(a.effect.rawValue)
                        if let c = condition(a.condition) { ao["condition"] = c }
                        if let out = output(a.output) { ao["output"] = out }
                        return .object(ao)
                    })
                }
                return .object(ro)
            })
        }
        return .object(o)
    }

    private static func role(_ r: RolePolicy) -> JSONLike {
        var o: [String: JSONLike] = [:]
        put(&o, "role", r.role.value)
        put(&o, "version", r.version?.value)
        strings(&o, "parentRoles", r.parentRoles)
        scoped(&o, scope: r.scope, permissions: r.scopePermissions, variables: r.variables, constants: r.constants)
        if !r.rules.isEmpty {
            o["rules"] = .array(r.rules.map { rule in
                var ro: [String: JSONLike] = [:]
                put(&ro, "resource", rule.resource.value)
                put(&ro, "name", rule.name?.value)
                strings(&ro, "allowActions", rule.allowActions)
                if let c = condition(rule.condition) { ro["condition"] = c }
                if let out = output(rule.output) { ro["output"] = out }
                return .object(ro)
            })
        }
        return .object(o)
    }

    private static func derived(_ d: DerivedRoles) -> JSONLike {
        var o: [String: JSONLike] = [:]
        put(&o, "name", d.name.value)
        if let v = variables(d.variables) { o["variables"] = v }
        if let c = constants(d.constants) { o["constants"] = c }
        if !d.definitions.isEmpty {
            o["definitions"] = .array(d.definitions.map { def in
                var ro: [String: JSONLike] = [:]
                put(&ro, "name", def.name.value)
                strings(&ro, "parentRoles", def.parentRoles)
                if let c = condition(def.condition) { ro["condition"] = c }
                return .object(ro)
            })
        }
        return .object(o)
    }
}
