/// A successfully compiled policy set, as returned by the caller's compile closure.
public struct CompiledPolicies<Snapshot: Sendable>: Sendable {
    /// The immutable snapshot to publish.
    public var snapshot: Snapshot
    /// How many policies it holds (Health, STATUS=).
    public var policyCount: Int
    /// Rendered warnings, shown by Health.
    public var warnings: [String]

    /// Creates the result.
    public init(snapshot: Snapshot, policyCount: Int, warnings: [String] = []) {
        self.snapshot = snapshot
        self.policyCount = policyCount
        self.warnings = warnings
    }
}

/// A compile that found problems in the policies; the previous snapshot stays in service.
public struct PolicyCompileFailure: Error, Sendable, CustomStringConvertible {
    /// Rendered diagnostics, one per problem.
    public var diagnostics: [String]
    /// Creates the failure.
    public init(diagnostics: [String]) { self.diagnostics = diagnostics }
    /// The diagnostics, one per line.
    public var description: String { diagnostics.joined(separator: "\n") }
}

/// The caller-supplied compile step: read the policy directory and build a snapshot. Throw
/// `PolicyCompileFailure` for policy problems; any other error is reported by its description.
public typealias SnapshotCompiler<Snapshot: Sendable> = @Sendable (_ directory: String) async throws -> CompiledPolicies<Snapshot>

/// Callbacks around each reload, used for systemd notifications and logs.
public struct ReloadHooks: Sendable {
    /// Called before compiling (systemd `RELOADING=1`).
    public var willReload: @Sendable (_ trigger: String) -> Void
    /// Called after publishing or rejecting (systemd `READY=1`, `STATUS=`).
    public var didReload: @Sendable (_ record: ReloadRecord, _ policyCount: Int) -> Void

    /// Creates hooks; both default to doing nothing.
    public init(
        willReload: @escaping @Sendable (String) -> Void = { _ in },
        didReload: @escaping @Sendable (ReloadRecord, Int) -> Void = { _, _ in }
    ) {
        self.willReload = willReload
        self.didReload = didReload
    }
}
