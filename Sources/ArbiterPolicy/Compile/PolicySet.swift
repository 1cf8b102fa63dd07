import CEL

/// An immutable, compiled set of policies with the indexes the engine queries (spec §2.2).
///
/// A reload builds a new `PolicySet` and swaps it in. `PolicySetBuilder` collects the tables
/// and constructs the set in one go, so every property is a `let` (a class so that handing it
/// around costs one reference count, not one per table).
/// Every lookup the engine makes per (version, kind, scope, action, role) goes through hash
/// maps keyed by exact strings, then a small per-policy action index.
public final class PolicySet: Sendable {
    struct KindKey: Hashable, Sendable { let version: String; let name: String; let scope: String }
    struct VersionScope: Hashable, Sendable { let version: String; let scope: String }

    /// Everything a set holds, filled by `PolicySetBuilder` and frozen by `PolicySet.init(_:)`.
    struct Tables {
        var resourcePolicies: [KindKey: CompiledResourcePolicy] = [:]
        var principalPolicies: [KindKey: CompiledPrincipalPolicy] = [:]
        var principalVersionScopes: Set<VersionScope> = []
        var rolePolicies: [VersionScope: [String: CompiledRolePolicy]] = [:]
        var roleParents: [String: [String: [String]]] = [:]
        var scopeModes: [String: ScopePermissionMode] = [:]
        var resourceScopes: Set<String> = []
        var principalScopes: Set<String> = []
        var variableLayout = EvaluationBindings.defaultLayout
        var ruleCount = 0
        var readsRuntime = true
        var runtimeReadOutsideResourcePolicies = true
        var schemas = SchemaRegistry.empty
        var attributeSchemas: [KindKey: AttributeSchemas] = [:]
        var paramsCount = 0
        var derivedRoleCount = 0
    }

    let resourcePolicies: [KindKey: CompiledResourcePolicy]
    let principalPolicies: [KindKey: CompiledPrincipalPolicy]
    let principalVersionScopes: Set<VersionScope>
    let rolePolicies: [VersionScope: [String: CompiledRolePolicy]]
    let roleParents: [String: [String: [String]]]
    let scopeModes: [String: ScopePermissionMode]

    /// Scopes of every resource and role policy (one set for all kinds, as Cerbos has it).
    public let resourceScopes: Set<String>
    /// Scopes of every principal policy.
    public let principalScopes: Set<String>
    /// The slot layout of the environment the expressions were compiled in.
    public let variableLayout: VariableLayout
    /// The slots of Cerbos's identifiers in `variableLayout`, resolved once.
    public let bindingSlots: [Int]
    /// Number of rule ids handed out (sizes per-request condition caches).
    public let ruleCount: Int
    /// Whether some expression can read `runtime.effectiveDerivedRoles`; when none can, the
    /// engine skips building that list for every scope it walks.
    public let readsRuntime: Bool
    /// Whether some principal or role policy can read `runtime`; with `readsRuntime` and
    /// `CompiledResourcePolicy.readsRuntime` it tells the engine when no expression a request
    /// can reach reads it.
    public let runtimeReadOutsideResourcePolicies: Bool
    /// The compiled attribute schemas of the store (`_schemas/`).
    public let schemas: SchemaRegistry
    /// The schemas of each resource kind and version, from its root policy.
    let attributeSchemas: [KindKey: AttributeSchemas]
    /// Number of parameter blocks handed out (sizes per-request variable caches).
    public let paramsCount: Int
    /// Number of derived-role ids handed out.
    public let derivedRoleCount: Int

    /// An empty set: every check is `DENY` / `NO_MATCH`.
    public convenience init() { self.init(Tables()) }

    /// Freezes the tables a builder filled.
    init(_ tables: Tables) {
        resourcePolicies = tables.resourcePolicies
        principalPolicies = tables.principalPolicies
        principalVersionScopes = tables.principalVersionScopes
        rolePolicies = tables.rolePolicies
        roleParents = tables.roleParents
        scopeModes = tables.scopeModes
        resourceScopes = tables.resourceScopes
        principalScopes = tables.principalScopes
        variableLayout = tables.variableLayout
        bindingSlots = EvaluationBindings.slots(in: tables.variableLayout)
        ruleCount = tables.ruleCount
        readsRuntime = tables.readsRuntime
        runtimeReadOutsideResourcePolicies = tables.runtimeReadOutsideResourcePolicies
        schemas = tables.schemas
        attributeSchemas = tables.attributeSchemas
        paramsCount = tables.paramsCount
        derivedRoleCount = tables.derivedRoleCount
    }

    /// The resource policy for a sanitised kind at exactly this version and scope.
    public func resourcePolicy(kind: String, version: String, scope: String) -> CompiledResourcePolicy? {
        resourcePolicies[KindKey(version: version, name: kind, scope: scope)]
    }

    /// The principal policy for a principal id at exactly this version and scope.
    public func principalPolicy(principal: String, version: String, scope: String) -> CompiledPrincipalPolicy? {
        principalPolicies[KindKey(version: version, name: principal, scope: scope)]
    }

    /// Whether any principal policy (any principal) exists at this version and scope.
    public func hasPrincipalPolicy(version: String, scope: String) -> Bool {
        principalVersionScopes.contains(VersionScope(version: version, scope: scope))
    }

    /// The role policy of `role` at this version and scope.
    public func rolePolicy(role: String, version: String, scope: String) -> CompiledRolePolicy? {
        rolePolicies[VersionScope(version: version, scope: scope)]?[role]
    }

    /// Whether any role policy exists at this version and scope.
    public func hasRolePolicies(version: String, scope: String) -> Bool {
        rolePolicies[VersionScope(version: version, scope: scope)] != nil
    }

    /// Role policies at this version and scope, by role.
    public func rolePolicies(version: String, scope: String) -> [String: CompiledRolePolicy]? {
        rolePolicies[VersionScope(version: version, scope: scope)]
    }

    /// The scope-permission mode of a scope (OVERRIDE_PARENT unless a policy says otherwise).
    public func scopePermissions(of scope: String) -> ScopePermissionMode {
        scopeModes[scope] ?? .overrideParent
    }

    /// The role-policy parents by role in `scope`, nil when no role policy there has any.
    public func roleParents(in scope: String) -> [String: [String]]? {
        guard let parents = roleParents[scope], !parents.isEmpty else { return nil }
        return parents
    }

    /// `roles` followed by their role-policy ancestors in `scope`, without duplicates
    /// (Cerbos resolves parent roles only within the request's own scope, spec §2.5).
    public func addingParentRoles(to roles: [String], scope: String) -> [String] {
        guard let parents = roleParents[scope] else { return roles }
        return Self.addingParentRoles(to: roles, parents: parents)
    }

    /// `roles` followed by their ancestors in `parents`, without duplicates.
    public static func addingParentRoles(to roles: [String], parents: [String: [String]]) -> [String] {
        guard roles.contains(where: { parents[$0] != nil }) else { return roles }
        var result = roles
        var seen = Set(roles)
        var i = 0
        while i < result.count {
            for parent in parents[result[i]] ?? [] where seen.insert(parent).inserted { result.append(parent) }
            i += 1
        }
        return result
    }

    /// The schemas that the root resource policy of a sanitised kind at `version` names, nil when it names none.
    public func attributeSchemas(kind: String, version: String) -> AttributeSchemas? {
        attributeSchemas.isEmpty ? nil : attributeSchemas[KindKey(version: version, name: kind, scope: "")]
    }

    /// Every resource policy, for tools and tests.
    public var allResourcePolicies: [CompiledResourcePolicy] { Array(resourcePolicies.values) }
}
