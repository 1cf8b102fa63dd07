import ArbiterPolicy

/// Everything `decide` derives from a request's scope, version and kind strings alone: the
/// effective scopes and versions, the sanitised kind, both scope chains with their policies,
/// which policies exist and the resource pass's key. A thread resolves it once per distinct set
/// of those strings and keeps it in its `CheckScratch`, so a request that names the same ones as
/// a recent request (nearly all do) compares five strings instead of normalising and sanitising
/// them and making six to eight hashed lookups.
///
/// Nothing here depends on the principal id or roles; those are looked up per request.
/// A plan is immutable except for its action cache, which only the owning thread touches.
final class RequestPlan: @unchecked Sendable {
    /// The request strings this plan answers, as written.
    let principalScopeAsWritten: String
    let principalVersionAsWritten: String
    let kindAsWritten: String
    let resourceVersionAsWritten: String
    let resourceScopeAsWritten: String

    /// The sanitised kind.
    let kind: String
    let principalVersion: String
    let resourceVersion: String
    let resourceScope: String
    let principalChain: [String]
    let resourceLevels: [ActionRun.Level]
    /// Neither chain has a policy: every action is DENY / NO_MATCH.
    let matchesNothing: Bool
    let principalExists: Bool
    let resourceExists: Bool
    /// The resource pass's key (NO_MATCH when no resource policy exists in the chain).
    let resourceKey: String
    /// Whether some scope of the principal chain holds a principal policy at the resource's
    /// version: only then can one exist for the request's principal.
    let mayHavePrincipalRows: Bool
    /// The engine's memoised chain, when the request names a resource policy exactly.
    let memo: Engine.ResourceChain?
    /// Role-policy parents in the resource scope, nil when there are none.
    let roleParents: [String: [String]]?
    /// Whether some expression a request of this plan can reach may read `runtime`: only then
    /// must the derived roles of each resource scope be activated up front for a request that
    /// does not report them (otherwise a derived role's condition is evaluated only when a row
    /// it could grant is reached).
    let runtimeObservable: Bool
    /// The schemas of the kind's root resource policy at the resource's version (spec §2.10):
    /// they depend only on the kind and version, so the schema hook finds them here instead of
    /// sanitising the kind and hashing three strings per request.
    let attributeSchemas: AttributeSchemas?

    /// Rule indices per resource level for recently requested actions, so a repeated action
    /// compares strings instead of hashing into the chain's action table; inline, so a plan
    /// built for one request allocates nothing for them.
    @exclusivity(unchecked) private var recentActions = InlineArray<4, String>(repeating: "")
    @exclusivity(unchecked) private var recentRows = InlineArray<4, [[Int]]>(repeating: [])
    @exclusivity(unchecked) private var recentCount = 0
    /// The last principal id asked about and whether it has principal rows, and the last roles
    /// expanded with their role-policy parents: consecutive requests of one principal repeat
    /// them. Only names are kept, none of a request's attributes.
    @exclusivity(unchecked) private var lastPrincipal: (id: String, hasRows: Bool)?
    @exclusivity(unchecked) private var lastRoles: ExpandedRoles?

    init(engine: Engine, principal: __shared Principal, resource: __shared Resource) {
        principalScopeAsWritten = principal.scope
        principalVersionAsWritten = principal.policyVersion
        kindAsWritten = resource.kind
        resourceVersionAsWritten = resource.policyVersion
        resourceScopeAsWritten = resource.scope

        let set = engine.policySet
        let principalScope = engine.effectiveScope(principal.scope)
        principalVersion = engine.effectiveVersion(principal.policyVersion)
        resourceScope = engine.effectiveScope(resource.scope)
        resourceVersion = engine.effectiveVersion(resource.policyVersion)
        kind = PolicyNamer.sanitized(resource.kind)

        principalChain = engine.scopeChain(principalScope, in: set.principalScopes)
        memo = engine.resourceChains[Engine.ResourceChainKey(kind: kind, version: resourceVersion, scope: resourceScope)]
        let resourceChain = memo?.chain ?? engine.scopeChain(resourceScope, in: set.resourceScopes)
        matchesNothing = principalChain.isEmpty && resourceChain.isEmpty
        let principalVersion = principalVersion
        principalExists = principalChain.contains { set.hasPrincipalPolicy(version: principalVersion, scope: $0) }
        // The principal id only matters for principal levels.
        let levels = memo?.levels ?? ActionRun.levels(resourceChain, principal: false, set: set, kind: kind,
                                                      resourceVersion: resourceVersion, principalID: "")
        resourceLevels = levels
        let kind = kind
        resourceExists = memo != nil || levels.contains { level in
            level.resourcePolicy != nil || (level.rolePolicies?.values.contains { $0.covers(kind: kind) } ?? false)
        }
        resourceKey = resourceExists ? (memo?.key ?? levels[0].resourcePolicy?.key
            ?? PolicyNamer.resourcePolicyKey(kind: resource.kind, version: resourceVersion, scope: resourceChain[0]))
            : PolicyNamer.noMatch
        let resourceVersion = resourceVersion
        mayHavePrincipalRows = principalChain.contains { set.hasPrincipalPolicy(version: resourceVersion, scope: $0) }
        roleParents = set.roleParents(in: resourceScope)
        runtimeObservable = engine.readsRuntime && (engine.runtimeReadOutsideResourcePolicies
            || levels.contains { $0.resourcePolicy?.readsRuntime ?? false })
        attributeSchemas = set.attributeSchemas(kind: kind, version: resourceVersion)
    }

    /// Whether this plan was resolved from exactly these request strings (equal small strings
    /// compare as two words).
    @inline(__always)
    func answers(_ principal: UnsafePointer<Principal>, _ resource: UnsafePointer<Resource>) -> Bool {
        kindAsWritten == resource.pointee.kind && resourceVersionAsWritten == resource.pointee.policyVersion
            && resourceScopeAsWritten == resource.pointee.scope && principalVersionAsWritten == principal.pointee.policyVersion
            && principalScopeAsWritten == principal.pointee.scope
    }

    /// For each resource level, the indices of the resource policy's rules covering `action`.
    func rows(for action: String) -> [[Int]] {
        let length = action.utf8.count
        for i in 0..<recentCount where recentActions[i].utf8.count == length && recentActions[i] == action {
            return recentRows[i]
        }
        let rows = memo?.rowsByAction[action] ?? resourceLevels.map { $0.resourcePolicy?.ruleIndices(for: action) ?? [] }
        if recentCount < 4 {
            recentActions[recentCount] = action
            recentRows[recentCount] = rows
            recentCount += 1
        }
        return rows
    }

    /// A principal's roles with their role-policy ancestors in the resource scope, and as
    /// `RoleIndex` masks. A class: a check holds it with one reference.
    final class ExpandedRoles {
        let roles: [String]
        /// `roles` followed by their ancestors.
        let all: [String]
        /// Each role with its own ancestors; nil when the scope has no role parents (each role
        /// then stands alone).
        let each: [[String]]?
        let allBits: UInt64
        let eachBits: [UInt64]

        init(roles: [String], all: [String], each: [[String]]?, allBits: UInt64, eachBits: [UInt64]) {
            self.roles = roles
            self.all = all
            self.each = each
            self.allBits = allBits
            self.eachBits = eachBits
        }
    }

    /// `roles` expanded, remembered for the next request of the same roles.
    func expandedRoles(_ roles: [String], index: RoleIndex) -> ExpandedRoles {
        if let lastRoles, lastRoles.roles == roles { return lastRoles }
        let expanded: ExpandedRoles
        if let parents = roleParents {
            let all = PolicySet.addingParentRoles(to: roles, parents: parents)
            let each = roles.map { PolicySet.addingParentRoles(to: [$0], parents: parents) }
            expanded = ExpandedRoles(roles: roles, all: all, each: each, allBits: index.bits(of: all),
                                     eachBits: each.map { index.bits(of: $0) })
        } else {
            expanded = ExpandedRoles(roles: roles, all: roles, each: nil, allBits: index.bits(of: roles),
                                     eachBits: roles.map { index.bits(of: CollectionOfOne($0)) })
        }
        lastRoles = expanded
        return expanded
    }

    /// Whether a principal policy for `principal` exists in the chain at the resource's version
    /// (the principal pass is walked only then).
    func hasPrincipalRows(_ principal: String, set: PolicySet) -> Bool {
        guard mayHavePrincipalRows else { return false }
        if let lastPrincipal, lastPrincipal.id == principal { return lastPrincipal.hasRows }
        let resourceVersion = resourceVersion
        let hasRows = principalChain.contains {
            set.principalPolicy(principal: principal, version: resourceVersion, scope: $0) != nil
        }
        lastPrincipal = (principal, hasRows)
        return hasRows
    }
}
