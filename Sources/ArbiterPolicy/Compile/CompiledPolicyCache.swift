import CEL

/// The compiled policies of one build, kept so that the next build reuses every policy whose
/// inputs did not change instead of compiling it again (`PolicyCompiler.compile(_:sources:reusing:)`).
///
/// A compiled policy depends on its own file and on the files of the sets it imports: exported
/// variables and constants, and for a resource policy the derived-roles sets with their own
/// imports. Each entry records those files with their digests (`SourceStamp`); an entry is
/// reused only when the same names resolve to the same files with the same bytes. Nothing else
/// reaches a compiled policy: scope chains, duplicates and scope permissions are decided by the
/// set checks and the `PolicySetBuilder`, which run on the whole set every time.
///
/// Reused objects may be serving in a published set, so they are never changed: they keep the
/// ids their first build gave them, and the next build hands out new ids above the counters it
/// continues from (`counters`). Ids left unused by dropped policies are holes the engine's
/// sparse caches tolerate; when holes outnumber live rules the cache asks for a full rebuild.
public struct CompiledPolicyCache: Sendable {
    /// A compiled resource, principal or role policy.
    enum Item: Sendable {
        case resource(CompiledResourcePolicy)
        case principal(CompiledPrincipalPolicy)
        case role(CompiledRolePolicy)
    }

    /// One compiled policy with the inputs it was compiled from.
    struct Entry: Sendable {
        let inputs: [SourceStamp]
        let item: Item
        /// Whether its expressions (or, for a resource policy, its imported derived roles') name `runtime`.
        let readsRuntime: Bool
    }

    /// The compiled roles of one derived-roles set with the inputs they were compiled from.
    struct DerivedRoleSetEntry: Sendable {
        let inputs: [SourceStamp]
        let roles: [CompiledDerivedRole]
        let readsRuntime: Bool
    }

    /// The id counters of the build that filled the cache; the next build continues from them.
    struct Counters: Sendable {
        var rules = 0
        var params = 0
        var derivedRoles = 0
    }

    var policies: [String: Entry] = [:]
    var derivedRoleSets: [String: DerivedRoleSetEntry] = [:]
    var counters = Counters()
    var liveRules = 0
    let layout: VariableLayout

    init(layout: VariableLayout) { self.layout = layout }

    /// How many compiled policies the cache holds.
    public var count: Int { policies.count }

    /// Whether reusing is still worth it: false once unused rule ids outnumber the rules in use,
    /// so that a full rebuild compacts them.
    public var isCompact: Bool { counters.rules - liveRules <= max(liveRules, 4096) }
}

/// One input of a compiled policy: the file a name resolved to and its digest (both empty when
/// the name resolved to nothing, which is an input too).
struct SourceStamp: Hashable, Sendable {
    let name: String
    let file: String
    let digest: ContentDigest?
}
