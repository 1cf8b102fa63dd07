/// A resource policy at one (kind, version, scope), with an action index over its rules.
/// A class so the engine's lookups share one reference instead of copying every field. Every
/// property is a `let`: the policy-set builder registers a policy by making a copy whose rules,
/// derived roles and parameters carry their ids (`registered(rules:derivedRoles:params:)`), so a
/// published policy never changes.
public final class CompiledResourcePolicy: Sendable {
    /// The sanitised resource kind.
    public let kind: String
    /// The policy version.
    public let version: String
    /// The policy scope (`""` is the root).
    public let scope: String
    /// `resource.<kind>.v<version>[/<scope>]`.
    public let key: String
    /// How this scope combines with its parents.
    public let scopePermissions: ScopePermissionMode
    /// Rules in policy order.
    public let rules: [CompiledRule]
    /// Derived roles imported and referenced by the rules, for `effectiveDerivedRoles`.
    public let derivedRoles: [CompiledDerivedRole]
    /// The policy's variables and constants.
    public let params: CompiledParams
    /// The root policy's schema references (`principalSchema`, `resourceSchema`), kept for the
    /// schema-validation issue.
    public let schemas: SchemaReferences?
    /// Whether an expression of this policy (conditions, outputs, variables) or of a derived-role
    /// set it imports names `runtime`; true unless the compiler saw them all.
    public let readsRuntime: Bool
    /// Per exact action named by some rule: the rules covering it, exact and glob, in policy
    /// order; built once so a request for a known action allocates and matches no globs.
    private let actionRules: [String: [Int]]
    /// The rules with a glob action, in policy order.
    private let globActionRules: [Int]

    /// Creates an unregistered policy and indexes its rules by action.
    public convenience init(kind: String, version: String, scope: String, scopePermissions: ScopePermissionMode,
                            rules: [CompiledRule], derivedRoles: [CompiledDerivedRole], params: CompiledParams,
                            schemas: SchemaReferences? = nil, readsRuntime: Bool = true) {
        self.init(kind: PolicyNamer.sanitized(kind), version: version, scope: scope,
                  key: PolicyNamer.resourcePolicyKey(kind: kind, version: version, scope: scope),
                  scopePermissions: scopePermissions, rules: rules, derivedRoles: derivedRoles, params: params,
                  schemas: schemas, readsRuntime: readsRuntime)
    }

    private init(kind: String, version: String, scope: String, key: String, scopePermissions: ScopePermissionMode,
                 rules: [CompiledRule], derivedRoles: [CompiledDerivedRole], params: CompiledParams,
                 schemas: SchemaReferences?, readsRuntime: Bool) {
        self.kind = kind
        self.version = version
        self.scope = scope
        self.key = key
        self.scopePermissions = scopePermissions
        self.rules = rules
        self.derivedRoles = derivedRoles
        self.params = params
        self.schemas = schemas
        self.readsRuntime = readsRuntime
        var exact: [String: [Int]] = [:]
        var globs: [Int] = []
        for (i, rule) in rules.enumerated() {
            for action in rule.actions.exactActions { exact[action, default: []].append(i) }
            if !rule.actions.globActions.isEmpty { globs.append(i) }
        }
        globActionRules = globs
        var index: [String: [Int]] = [:]
        for (action, indices) in exact {
            index[action] = Self.matchingRules(action, exact: indices, globs: globs, rules: rules)
        }
        actionRules = index
    }

    /// This policy with its rules, derived roles and parameters replaced by their registered
    /// copies (same order, so the action index is unchanged in shape).
    func registered(rules: [CompiledRule], derivedRoles: [CompiledDerivedRole], params: CompiledParams)
        -> CompiledResourcePolicy {
        CompiledResourcePolicy(kind: kind, version: version, scope: scope, key: key, scopePermissions: scopePermissions,
                               rules: rules, derivedRoles: derivedRoles, params: params, schemas: schemas,
                               readsRuntime: readsRuntime)
    }

    private static func matchingRules(_ action: String, exact: [Int], globs: [Int], rules: [CompiledRule]) -> [Int] {
        if globs.isEmpty { return exact }
        var result = exact
        for i in globs where rules[i].actions.globActions.contains(where: { $0.matches(action) }) {
            if !exact.contains(i) { result.append(i) }
        }
        if !exact.isEmpty { result.sort() }
        return result
    }

    /// Indices of the rules covering `action`, in policy order, without scanning unrelated rules.
    public func ruleIndices(for action: String) -> [Int] {
        actionRules[action] ?? Self.matchingRules(action, exact: [], globs: globActionRules, rules: rules)
    }
}

/// The schema references of a resource policy (spec §1.2); validation is a later issue.
public struct SchemaReferences: Sendable, Hashable {
    /// `cerbos:///...` reference of the principal schema.
    public let principalSchema: String?
    /// `cerbos:///...` reference of the resource schema.
    public let resourceSchema: String?

    /// Creates the references.
    public init(principalSchema: String?, resourceSchema: String?) {
        self.principalSchema = principalSchema
        self.resourceSchema = resourceSchema
    }
}
