extension Engine {
    /// CheckResources's verdict (`WalkVerdict`): the effect one walk, pass or action ended in,
    /// NO_MATCH included, with the policy and scope that decided it.
    struct Decision: WalkVerdict {
        enum Kind { case noMatch, allow, deny }
        var kind: Kind
        /// nil: the main key of the pass that decided (`byPrincipal`).
        var policy: String?
        var scope: String
        /// Whether the principal pass decided (its key is then the principal policy's).
        var byPrincipal = false

        static var noMatch: Decision { Decision(kind: .noMatch, policy: nil, scope: "") }

        var allowsEverywhere: Bool { kind == .allow }

        /// A check's verdicts are concrete: anything but NO_MATCH decides.
        var decidesEverywhere: Bool { kind != .noMatch }

        /// The first role's verdict stands unless it is NO_MATCH or a later role allows; so the
        /// first DENY is the one reported when no role allows (spec §2.3).
        mutating func addRole(_ role: Decision) {
            if kind == .noMatch || role.kind == .allow { self = role }
        }

        func before(resource: Decision) -> Decision { kind == .noMatch ? resource : self }
    }
}
