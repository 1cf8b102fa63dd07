import Atomics
import CoreMetrics
import Synchronization

/// Every metric the daemon exports: the decision path's (`decisions`), reloads, the snapshot,
/// connections and the audit log, and the Prometheus text of a scrape.
///
/// Values that exist elsewhere as state (open connections, audit queue depth and drops) are
/// read when scraped rather than updated as they change, so keeping them costs the request
/// path nothing. The executable supplies the backend's own text (`backendText`, swift-
/// prometheus's registry) and this type appends its lock-free histograms to it.
public final class ServerMetrics: Sendable {
    /// The decision path's handles, shared with `EngineDecisionService`.
    public let decisions: DecisionMetrics
    /// `cerbos_dev_compiler_compile_duration`: milliseconds per policy compile.
    public let compileDuration = AtomicHistogram(
        name: "cerbos_dev_compiler_compile_duration", help: "Time to compile the policy set (milliseconds)",
        bounds: [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000])
    /// `arbiter_reload_duration`: milliseconds from the start of a reload to its publication or
    /// rejection.
    public let reloadDuration = AtomicHistogram(
        name: "arbiter_reload_duration", help: "Time from the start of a policy reload to its publication or rejection (milliseconds)",
        bounds: [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000], scale: 1_000_000)

    private let reloadSuccesses: Counter
    private let reloadFailures: Counter
    private let generation: Gauge
    private let policyCount: Gauge
    private let indexEntries: Gauge
    private let openConnections: Gauge
    private let refusedPeers: Counter
    private let auditDepth: Gauge
    private let auditDropped: Counter
    private let auditErrors: Counter
    /// Totals already added to the counters above that mirror state read at scrape time.
    private let seenRefused = ManagedAtomic<UInt64>(0)
    private let seenDropped = ManagedAtomic<UInt64>(0)
    private let seenFailed = ManagedAtomic<UInt64>(0)
    private let reloadStart = ManagedAtomic<UInt64>(0)
    private let backendText: (@Sendable (inout [UInt8]) -> Void)?
    private let auditLog = Mutex<AuditLog?>(nil)

    /// Creates every handle from `factory`; `backendText` appends the backend's exposition
    /// (nil for a backend that is not scraped).
    public init(factory: any MetricsFactory = MetricsSystem.factory, backendText: (@Sendable (inout [UInt8]) -> Void)? = nil) {
        decisions = DecisionMetrics(factory: factory)
        reloadSuccesses = Counter(label: "arbiter_reloads_total", dimensions: [("result", "success")], factory: factory)
        reloadFailures = Counter(label: "arbiter_reloads_total", dimensions: [("result", "failure")], factory: factory)
        generation = Gauge(label: "arbiter_snapshot_generation", factory: factory)
        policyCount = Gauge(label: "arbiter_policy_count", factory: factory)
        indexEntries = Gauge(label: "cerbos_dev_index_entry_count", factory: factory)
        openConnections = Gauge(label: "arbiter_open_connections", factory: factory)
        refusedPeers = Counter(label: "arbiter_refused_peers_total", factory: factory)
        auditDepth = Gauge(label: "arbiter_audit_queue_depth", factory: factory)
        auditDropped = Counter(label: "arbiter_audit_dropped_total", factory: factory)
        auditErrors = Counter(label: "cerbos_dev_audit_error_count", factory: factory)
        self.backendText = backendText
    }

    /// Reads the audit log's counters at each scrape from now on.
    public func observe(_ log: AuditLog) { auditLog.withLock { $0 = log } }

    /// A reload began (`ReloadHooks.willReload`).
    public func reloadStarted() { reloadStart.store(DecisionMetrics.now(), ordering: .relaxed) }

    /// A reload ended (`ReloadHooks.didReload`): its result, durations and the snapshot now served.
    public func reloadFinished(_ record: ReloadRecord, policyCount count: Int) {
        (record.outcome == .success ? reloadSuccesses : reloadFailures).increment(by: 1)
        compileDuration.record(UInt64(max(0, record.durationMilliseconds.rounded())))
        let start = reloadStart.load(ordering: .relaxed)
        if start != 0 { reloadDuration.record(DecisionMetrics.now() &- start) }
        generation.record(Int64(record.generation))
        if record.outcome == .success {
            policyCount.record(Int64(count))
            indexEntries.record(Int64(count))
        }
    }

    /// The Prometheus text exposition (format 0.0.4) of every metric, state read now.
    public func exposition() -> [UInt8] {
        openConnections.record(Int64(ListenerCounters.openConnections))
        Self.catchUp(refusedPeers, total: ListenerCounters.refusedPeers, seen: seenRefused)
        if let log = auditLog.withLock({ $0 }) {
            let stats = log.stats
            auditDepth.record(Int64(stats.depth))
            Self.catchUp(auditDropped, total: stats.dropped, seen: seenDropped)
            Self.catchUp(auditErrors, total: stats.failed, seen: seenFailed)
        }
        var out: [UInt8] = []
        out.reserveCapacity(8192)
        backendText?(&out)
        for h in decisions.histograms + [compileDuration, reloadDuration] { h.emit(into: &out) }
        return out
    }

    /// Adds to `counter` what `total` grew by since the last scrape. `seen` only moves forward,
    /// by compare-and-exchange, so concurrent scrapes add each increment exactly once.
    private static func catchUp(_ counter: Counter, total: UInt64, seen: ManagedAtomic<UInt64>) {
        var before = seen.load(ordering: .relaxed)
        while total > before {
            let (exchanged, current) = seen.compareExchange(expected: before, desired: total, ordering: .relaxed)
            if exchanged { return counter.increment(by: Int64(total - before)) }
            before = current
        }
    }
}
