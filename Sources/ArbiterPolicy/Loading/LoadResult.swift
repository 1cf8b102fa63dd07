/// The outcome of loading a policy directory or file set.
public struct LoadResult: Sendable {
    /// Enabled policies that passed parsing and per-policy validation, in file order, without the later
    /// copies of duplicate definitions. Set-level and compile-stage diagnostics may still concern them:
    /// the set is only usable when ``isValid``.
    public var policies: [Policy]
    /// Policies with `disabled: true`; they take no part in the set.
    public var disabledPolicies: [Policy]
    /// Every problem found, sorted by file, line, column and message, without duplicates.
    public var diagnostics: [Diagnostic]
    /// How many files were read as policy candidates.
    public var fileCount: Int
    /// Policy files that held no document at all (empty, or only comments). Cerbos skips them;
    /// a reload uses this to notice a file caught between truncation and its new contents.
    public var emptyFiles: [String] = []

    /// Creates a result.
    public init(policies: [Policy], disabledPolicies: [Policy], diagnostics: [Diagnostic], fileCount: Int) {
        self.policies = policies
        self.disabledPolicies = disabledPolicies
        self.diagnostics = diagnostics
        self.fileCount = fileCount
    }

    /// True when nothing at all was reported.
    public var isValid: Bool { diagnostics.isEmpty }

    /// The diagnostics found at `stage` or earlier steps (for example `.index` leaves out compile checks).
    public func diagnostics(upTo stage: Diagnostic.Stage) -> [Diagnostic] {
        diagnostics.filter { $0.stage <= stage }
    }
}
