/// A successfully compiled policy set, as returned by the caller's compile closure.
public struct CompiledPolicies<Snapshot: Sendable>: Sendable {
    /// The immutable snapshot to publish.
    public var snapshot: Snapshot
    /// How many policies it holds (Health, STATUS=).
    public var policyCount: Int
    /// Rendered warnings, shown by Health.
    public var warnings: [String]
    /// The files, relative to the directory, that the snapshot's policies came from.
    public var policyFiles: Set<String>
    /// Policy files that held nothing (empty or comments only) when read for this compile.
    /// One of the serving snapshot's `policyFiles` among them fails the reload: see `PolicyWatcher`.
    public var emptyFiles: Set<String>

    /// Creates the result.
    public init(snapshot: Snapshot, policyCount: Int, warnings: [String] = [], policyFiles: Set<String> = [], emptyFiles: Set<String> = []) {
        self.snapshot = snapshot
        self.policyCount = policyCount
        self.warnings = warnings
        self.policyFiles = policyFiles
        self.emptyFiles = emptyFiles
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
    /// Called when hot reload becomes degraded (a reason: watches lost) or whole again (nil);
    /// systemd `STATUS=`.
    public var watchHealthChanged: @Sendable (_ degradedReason: String?) -> Void

    /// Creates hooks; all default to doing nothing.
    public init(
        willReload: @escaping @Sendable (String) -> Void = { _ in },
        didReload: @escaping @Sendable (ReloadRecord, Int) -> Void = { _, _ in },
        watchHealthChanged: @escaping @Sendable (String?) -> Void = { _ in }
    ) {
        self.willReload = willReload
        self.didReload = didReload
        self.watchHealthChanged = watchHealthChanged
    }
}
