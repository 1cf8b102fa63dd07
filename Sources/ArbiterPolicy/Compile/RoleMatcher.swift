/// The roles a rule names: exact names plus the few glob entries (spec §2.7).
public struct RoleMatcher: Sendable {
    /// True when the rule lists `*`.
    public let matchesAny: Bool
    /// Exact names, in a plain array when there are few: comparing a handful of short strings
    /// is cheaper than hashing the probe for a set lookup on every rule a request reaches.
    private let fewExact: [String]
    private let exact: Set<String>
    private let globs: [GlobPattern]

    private static let linearLimit = 4

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
        fewExact = exact.count <= Self.linearLimit ? Array(exact) : []
        self.exact = exact.count <= Self.linearLimit ? [] : exact
        self.globs = globs
    }

    /// The exact (non-glob) role names, for hosts that intern them.
    public var exactNames: [String] { fewExact.isEmpty ? Array(exact) : fewExact }
    /// Whether some entry is a glob (matched by pattern, not by name).
    public var hasGlobs: Bool { !globs.isEmpty }

    /// Whether no role is listed at all.
    public var isEmpty: Bool { !matchesAny && fewExact.isEmpty && exact.isEmpty && globs.isEmpty }

    /// Whether `role` is covered.
    public func matches(_ role: String) -> Bool {
        matchesAny || matchesExact(role) || globs.contains { $0.matches(role) }
    }

    @inline(__always) private func matchesExact(_ role: String) -> Bool {
        for name in fewExact where name == role { return true }
        return !exact.isEmpty && exact.contains(role)
    }

    /// Whether any of `roles` is covered.
    public func matchesAny(of roles: [String]) -> Bool { matchesAny(of: roles[...]) }

    /// Whether any of `roles` is covered.
    public func matchesAny(of roles: ArraySlice<String>) -> Bool {
        if matchesAny { return true }
        for role in roles where matchesExact(role) || globs.contains(where: { $0.matches(role) }) { return true }
        return false
    }
}
