/// A resource policy at one (kind, version, scope), with an action index over its rules.
/// A class so the engine's lookups share one reference instead of copying every field; ids are
/// assigned once by `PolicySetBuilder` before the set is published, never after, which is why
/// the runtime exclusivity checks on its `var`s are switched off.
public final class CompiledResourcePolicy: @unchecked Sendable {
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
    // The engine reads the properties below on every check. Outside this module a read of a
    // stored class property ignores `@exclusivity(unchecked)`: the reading module emits the
    // dynamic exclusivity check itself (a thread-local access-set insert, ~75 instructions, 23
    // of them per request). The stored values are private and read through getters compiled
    // here, where the attribute holds.
    @exclusivity(unchecked) private var _rules: [CompiledRule]
    /// Rules in policy order.
    public private(set) var rules: [CompiledRule] {
        get { _rules }
        set { _rules = newValue }
    }
    @exclusivity(unchecked) private var _derivedRoles: [CompiledDerivedRole]
    /// Derived roles imported and referenced by the rules, for `effectiveDerivedRoles`.
    public internal(set) var derivedRoles: [CompiledDerivedRole] {
        get { _derivedRoles }
        set { _derivedRoles = newValue }
    }
    @exclusivity(unchecked) private var _params: CompiledParams
    /// The policy's variables and constants.
    public internal(set) var params: CompiledParams {
        get { _params }
        set { _params = newValue }
    }
    /// The root policy's schema references (`principalSchema`, `resourceSchema`), kept for the
    /// schema-validation issue.
    public let schemas: SchemaReferences?
    /// Whether an expression of this policy (conditions, outputs, variables) or of a derived-role
    /// set it imports names `runtime`; true unless the compiler saw them all.
    public let readsRuntime: Bool
    /// Per exact action named by some rule: the rules covering it, exact and glob, in policy
    /// order; built once so a request for a known action allocates and matches no globs.
    @exclusivity(unchecked) private var actionRules: [String: [Int]] = [:]
    @exclusivity(unchecked) private var globActionRules: [Int] = []

    /// Creates a policy and indexes its rules by action.
    public init(kind: String, version: String, scope: String, scopePermissions: ScopePermissionMode,
                rules: [CompiledRule], derivedRoles: [CompiledDerivedRole], params: CompiledParams,
                schemas: SchemaReferences? = nil, readsRuntime: Bool = true) {
        self.kind = PolicyNamer.sanitized(kind)
        self.version = version
        self.scope = scope
        key = PolicyNamer.resourcePolicyKey(kind: kind, version: version, scope: scope)
        self.scopePermissions = scopePermissions
        _rules = rules
        _derivedRoles = derivedRoles
        _params = params
        self.schemas = schemas
        self.readsRuntime = readsRuntime
        index()
    }

    private func index() {
        var exact: [String: [Int]] = [:]
        globActionRules = []
        for (i, rule) in rules.enumerated() {
            for action in rule.actions.exactActions { exact[action, default: []].append(i) }
            if !rule.actions.globActions.isEmpty { globActionRules.append(i) }
        }
        actionRules = [:]
        for action in exact.keys { actionRules[action] = matchingRules(action, exact: exact[action] ?? []) }
    }

    private func matchingRules(_ action: String, exact: [Int]) -> [Int] {
        if globActionRules.isEmpty { return exact }
        var result = exact
        for i in globActionRules where rules[i].actions.globActions.contains(where: { $0.matches(action) }) {
            if !exact.contains(i) { result.append(i) }
        }
        if !exact.isEmpty { result.sort() }
        return result
    }

    /// Swaps in rewritten rules (same order) during building.
    func replaceRules(_ newRules: [CompiledRule]) {
        rules = newRules
        index()
    }

    /// Indices of the rules covering `action`, in policy order, without scanning unrelated rules.
    public func ruleIndices(for action: String) -> [Int] {
        actionRules[action] ?? matchingRules(action, exact: [])
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
