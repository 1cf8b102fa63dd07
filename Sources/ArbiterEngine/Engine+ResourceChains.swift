import ArbiterPolicy

extension Engine {
    /// A resource kind at a version and requested scope, exactly as a request names them
    /// (kind sanitised, scope normalised).
    struct ResourceChainKey: Hashable, Sendable {
        let kind: String
        let version: String
        let scope: String
    }

    /// The resource side of a request resolved ahead of time: the scope chain and the policies
    /// of each of its levels. `resourceExists` holds by construction (the chain starts at a
    /// resource policy).
    struct ResourceChain: Sendable {
        let chain: [String]
        let levels: [ActionRun.Level]
        let key: String
        /// For every action some level's policy names exactly: per level, the indices of the
        /// rules covering it (`RequestPlan.rows(for:)`), so no request computes them.
        let rowsByAction: [String: [[Int]]]

        /// `sharedRows` holds the tables of the chains built before: a chain whose table equals
        /// one of them shares its storage (chains of kinds written alike have equal tables).
        init(chain: [String], levels: [ActionRun.Level], key: String,
             sharedRows: inout Set<[String: [[Int]]]>) {
            self.chain = chain
            self.levels = levels
            self.key = key
            var rows: [String: [[Int]]] = [:]
            for level in levels {
                for rule in level.resourcePolicy?.rules ?? [] {
                    for action in rule.actions.exactActions where rows[action] == nil {
                        rows[action] = levels.map { $0.resourcePolicy?.ruleIndices(for: action) ?? [] }
                    }
                }
            }
            if let shared = sharedRows.firstIndex(of: rows) {
                rows = sharedRows[shared]
            } else {
                sharedRows.insert(rows)
            }
            rowsByAction = rows
        }
    }

    /// The resolved chain of every resource policy, requested at its own kind, version and
    /// scope. A request that names such a policy (nearly all do) finds its chain with one
    /// lookup instead of a scope-set probe, a mode, policy and role-policy lookup per level and
    /// a freshly allocated level list. Other requests resolve their chain per request as before.
    static func resolveResourceChains(_ set: PolicySet, lenientScopeSearch: Bool) -> [ResourceChainKey: ResourceChain] {
        var memo: [ResourceChainKey: ResourceChain] = [:]
        var sharedLevels: [ResourceChainKey: ActionRun.Level] = [:]
        var sharedRows = Set<[String: [[Int]]]>()
        for policy in set.allResourcePolicies {
            // Only policies the request-time lookup finds under these names are memoised, so
            // a hit resolves exactly what the per-request path would.
            guard set.resourcePolicy(kind: policy.kind, version: policy.version, scope: policy.scope) === policy else {
                continue
            }
            let chain = scopeChain(policy.scope, in: set.resourceScopes, lenient: lenientScopeSearch)
            guard chain.first == policy.scope else { continue }
            // A level depends only on its kind, version and scope, so chains share their
            // common ancestors' levels. The principal id only matters for principal levels.
            let levels = chain.map { scope in
                let levelKey = ResourceChainKey(kind: policy.kind, version: policy.version, scope: scope)
                if let level = sharedLevels[levelKey] { return level }
                let level = ActionRun.levels([scope], principal: false, set: set, kind: policy.kind,
                                             resourceVersion: policy.version, principalID: "")[0]
                sharedLevels[levelKey] = level
                return level
            }
            guard let key = levels.first?.resourcePolicy?.key else { continue }
            memo[ResourceChainKey(kind: policy.kind, version: policy.version, scope: policy.scope)] =
                ResourceChain(chain: chain, levels: levels, key: key, sharedRows: &sharedRows)
        }
        return memo
    }
}
