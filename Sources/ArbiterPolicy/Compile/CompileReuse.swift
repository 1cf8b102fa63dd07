import CEL

/// The reuse side of one build: the previous build's cache, the digests of this build's files,
/// and the cache this build fills for the next one.
struct CompileReuse {
    /// The cache to reuse from; nil compiles everything (and still fills `next`).
    let previous: CompiledPolicyCache?
    /// The files of this build with their digests.
    let sources: DecodedFiles
    /// What this build compiled or reused, with the inputs of each.
    var next: CompiledPolicyCache

    init(previous: CompiledPolicyCache?, sources: DecodedFiles, layout: VariableLayout) {
        self.previous = previous
        self.sources = sources
        next = CompiledPolicyCache(layout: layout)
    }

    /// Records the builder's counters and replaces each derived-role set's roles by the copies
    /// the builder registered (`registered` answers nil for a role it did not register). A set
    /// with a role no policy of this build registered is dropped: the next build would have to
    /// give that role an id while policies reused as they are already hold the set's other roles.
    mutating func finish(counters: CompiledPolicyCache.Counters, liveRules: Int,
                         registered: (CompiledDerivedRole) -> CompiledDerivedRole?) {
        next.counters = counters
        next.liveRules = liveRules
        next.derivedRoleSets = next.derivedRoleSets.compactMapValues { entry in
            var roles: [CompiledDerivedRole] = []
            for role in entry.roles {
                guard let copy = registered(role) else { return nil }
                roles.append(copy)
            }
            return CompiledPolicyCache.DerivedRoleSetEntry(inputs: entry.inputs, roles: roles, readsRuntime: entry.readsRuntime)
        }
    }
}
