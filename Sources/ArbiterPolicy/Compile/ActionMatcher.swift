/// A list of action names and globs, matched exactly first and by glob second (spec §2.7).
public struct ActionMatcher: Sendable {
    private let exact: Set<String>
    private let globs: [GlobPattern]

    /// Builds a matcher from the actions as written.
    public init(_ actions: [String]) {
        var exact = Set<String>()
        var globs: [GlobPattern] = []
        for action in actions {
            if GlobPattern.isGlob(action) { globs.append(GlobPattern(action)) } else { exact.insert(action) }
        }
        self.exact = exact
        self.globs = globs
    }

    /// The exact (non-glob) entries.
    public var exactActions: Set<String> { exact }
    /// The glob entries.
    public var globActions: [GlobPattern] { globs }

    /// Whether `action` is covered.
    public func matches(_ action: String) -> Bool {
        exact.contains(action) || globs.contains { $0.matches(action) }
    }
}
