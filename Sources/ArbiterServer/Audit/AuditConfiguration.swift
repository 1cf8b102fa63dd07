/// The `audit` section of the configuration (Cerbos's keys): whether decisions and accesses are
/// logged, where, and which entries and metadata keys are left out.
public struct AuditConfiguration: Sendable, Hashable {
    /// Where entries go.
    public enum Backend: String, Sendable, Hashable {
        /// `audit.file.path`, rotated by size and count.
        case file
        /// One JSON line per entry on standard output (journald under systemd).
        case stdout
    }

    /// `audit.enabled`: nothing is logged unless true.
    public var enabled = false
    /// `audit.accessLogsEnabled`: one entry per call, whatever its method.
    public var accessLogsEnabled = false
    /// `audit.decisionLogsEnabled`: one entry per CheckResources or PlanResources decision.
    public var decisionLogsEnabled = false
    /// `audit.backend`.
    public var backend: Backend = .file
    /// `audit.file.path`.
    public var filePath: String?
    /// `audit.file.logRotation.maxFileSizeMB`: the file is rotated before it passes this size.
    public var maxFileSizeMB = 100
    /// `audit.file.logRotation.maxFileCount`: rotated files kept besides the current one.
    public var maxFileCount = 10
    /// `audit.bufferSize` (Arbiter's): most entries waiting for the writer; more are dropped
    /// and counted.
    public var bufferSize = 10_000
    /// `audit.decisionLogFilters.checkResources.ignoreAllowAll`: a CheckResources decision
    /// whose every action was allowed is not logged.
    public var ignoreAllowAll = false
    /// `audit.decisionLogFilters.planResources.ignoreAll`: no PlanResources decision is logged.
    public var planIgnoreAll = false
    /// `audit.decisionLogFilters.planResources.ignoreAlwaysAllow`: a plan whose filter is
    /// `KIND_ALWAYS_ALLOWED` is not logged.
    public var planIgnoreAlwaysAllow = false
    /// `audit.includeMetadataKeys`: when not empty, only these metadata keys (lower case) are kept.
    public var includeMetadataKeys: [String] = []
    /// `audit.excludeMetadataKeys`: these metadata keys (lower case) are dropped.
    public var excludeMetadataKeys: [String] = []

    /// Everything off.
    public init() {}

    /// Whether any entry would ever be written.
    public var isActive: Bool { enabled && (accessLogsEnabled || decisionLogsEnabled) }

    /// Whether a metadata key goes into entries. Cerbos compares keys case-insensitively (they
    /// are HTTP header or gRPC metadata names) and lets exclusion win over inclusion.
    public func keepsMetadataKey(_ key: String) -> Bool {
        let k = key.lowercased()
        if excludeMetadataKeys.contains(where: { $0.lowercased() == k }) { return false }
        return includeMetadataKeys.isEmpty || includeMetadataKeys.contains(where: { $0.lowercased() == k })
    }
}
