/// The roles a rule names: exact names in a hash set plus the few glob entries (spec §2.7).
public struct RoleMatcher: Sendable {
    /// True when the rule lists `*`.
    public let matchesAny: Bool
    private let exact: Set<String>
    private let globs: [GlobPattern]

    /// Builds a matcher from the roles as written.
    public init(_ roles: [String]) {
        var exact = Set<String>()
        var globs: [GlobPattern] = []
        var any = false
        for role in roles {
            if role == "*" || role == "**" {
                any = true
            } else if GlobPattern.isGlob(role) {
                globs.append(GlobPattern(role))
            } else {
                exact.insert(role)
            }
        }
        matchesAny = any
        self.exact = exact
        self.globs = globs
    }

    /// Whether no role is listed at all.
    public var isEmpty: Bool { !matchesAny && exact.isEmpty && globs.isEmpty }

    /// Whether `role` is covered.
    public func matches(_ role: String) -> Bool {
        matchesAny || exact.contains(role) || globs.contains { $0.matches(role) }
    }

    /// Whether any of `roles` is covered.
    public func matchesAny(of roles: [String]) -> Bool {
        if matchesAny { return true }
        for role in roles where exact.contains(role) || globs.contains(where: { $0.matches(role) }) { return true }
        return false
    }
}
