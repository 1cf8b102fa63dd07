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

    /// Records the builder's counters. Derived-role sets with a role no policy of this build
    /// registered are dropped: such a role has no id yet, and the build that later gives it one
    /// may fail, which must leave every cached object as it was.
    mutating func finish(counters: CompiledPolicyCache.Counters, liveRules: Int) {
        next.counters = counters
        next.liveRules = liveRules
        next.derivedRoleSets = next.derivedRoleSets.filter { $0.value.roles.allSatisfy { $0.id >= 0 } }
    }
}
