import ArbiterPolicy

/// The role names resource rules and derived roles list, interned to bits of a mask, so a
/// request's roles are looked up once per thread and each row is matched with an AND instead
/// of comparing strings (several string comparisons per row, most of them unequal, were most
/// of a row's cost; docs/benchmarks.md).
///
/// Exact names only: an unlisted request role has no bit and matches no exact entry, as
/// before; `*` and glob entries are flagged and decided as before. Names hash and compare as
/// Swift strings do, so a bit matches exactly when `RoleMatcher` would. With more than 64
/// distinct names the index is disabled and every match goes through `RoleMatcher`.
/// A class, so each check holds it with one reference.
final class RoleIndex: Sendable {
    /// How one matcher reads against a request's role mask.
    struct Mask: Sendable {
        var bits: UInt64 = 0
        /// The matcher lists `*`: it matches whatever the roles.
        var any = false
        /// The matcher has globs (or was not indexed): ask `RoleMatcher`.
        var byName = true
    }

    private let bitByName: [String: UInt64]
    private let ruleMasks: [Mask]
    private let derivedRoleMasks: [Mask]
    let enabled: Bool

    init(_ set: PolicySet) {
        var names: [String: UInt64] = [:]
        var overflow = false
        func intern(_ matcher: RoleMatcher) {
            for name in matcher.exactNames where names[name] == nil {
                guard names.count < 64 else { overflow = true; return }
                names[name] = 1 << UInt64(names.count)
            }
        }
        let policies = set.allResourcePolicies
        for policy in policies {
            for rule in policy.rules {
                intern(rule.roles)
                for role in rule.derivedRoles { intern(role.parentRoles) }
            }
            for role in policy.derivedRoles { intern(role.parentRoles) }
        }
        enabled = !overflow
        bitByName = overflow ? [:] : names
        func mask(_ matcher: RoleMatcher) -> Mask {
            var m = Mask()
            m.any = matcher.matchesAny
            m.byName = matcher.hasGlobs
            for name in matcher.exactNames { m.bits |= names[name] ?? 0 }
            return m
        }
        var rules = [Mask](repeating: Mask(), count: overflow ? 0 : set.ruleCount)
        var derived = [Mask](repeating: Mask(), count: overflow ? 0 : set.derivedRoleCount)
        if !overflow {
            for policy in policies {
                for rule in policy.rules {
                    if rule.id >= 0 && rule.id < rules.count { rules[rule.id] = mask(rule.roles) }
                    for role in rule.derivedRoles where role.id >= 0 && role.id < derived.count {
                        derived[role.id] = mask(role.parentRoles)
                    }
                }
                for role in policy.derivedRoles where role.id >= 0 && role.id < derived.count {
                    derived[role.id] = mask(role.parentRoles)
                }
            }
        }
        ruleMasks = rules
        derivedRoleMasks = derived
    }

    /// The mask of `roles` (names no matcher lists contribute nothing).
    func bits<C: Collection<String>>(of roles: C) -> UInt64 {
        var bits: UInt64 = 0
        for role in roles { bits |= bitByName[role] ?? 0 }
        return bits
    }

    /// Whether `rule` lists one of `roles`, whose mask is `bits`.
    @inline(__always)
    func rule(_ rule: CompiledRule, matches roles: ArraySlice<String>, bits: UInt64) -> Bool {
        let id = rule.id
        guard enabled, id >= 0, id < ruleMasks.count else { return rule.roles.matchesAny(of: roles) }
        return Self.matches(ruleMasks[id], rule.roles, roles, bits)
    }

    /// Whether `role` is activatable by one of `roles`, whose mask is `bits`.
    @inline(__always)
    func derivedRole(_ role: CompiledDerivedRole, activatableBy roles: ArraySlice<String>, bits: UInt64) -> Bool {
        let id = role.id
        guard enabled, id >= 0, id < derivedRoleMasks.count else { return role.isActivatable(by: roles) }
        return Self.matches(derivedRoleMasks[id], role.parentRoles, roles, bits)
    }

    @inline(__always)
    private static func matches(_ mask: Mask, _ matcher: RoleMatcher, _ roles: ArraySlice<String>, _ bits: UInt64) -> Bool {
        if mask.any || mask.bits & bits != 0 { return true }
        return mask.byName && matcher.matchesAny(of: roles)
    }
}
