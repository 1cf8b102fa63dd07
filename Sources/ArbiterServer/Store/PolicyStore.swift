import CEL
import Synchronization

/// The one shared mutable cell of the daemon: the current immutable snapshot, its generation,
/// and the outcome of the last reload.
///
/// A decision calls `current()` once and uses what it got from start to end. The lock is held
/// only to copy or swap a reference and a few integers (never while compiling or deciding), so
/// a reload never blocks decisions for longer than a pointer swap.
public final class PolicyStore<Snapshot: Sendable>: Sendable {
    /// What one read of the store returns.
    public struct Current: Sendable {
        /// The snapshot, or nil before the first successful compile.
        public var snapshot: Snapshot?
        /// Incremented on every successful publish; 0 before the first.
        public var generation: UInt64
        /// Number of policies in the snapshot.
        public var policyCount: Int
        /// The most recent reload attempt, successful or not.
        public var lastReload: ReloadRecord?
        /// Why hot reload cannot currently see every change (watches lost), or nil when it can.
        /// Decisions are still served; Health says `DEGRADED`.
        public var degradedReason: String?
    }

    private let state: Mutex<Current>

    /// Creates an empty store.
    public init() {
        state = Mutex(Current(snapshot: nil, generation: 0, policyCount: 0, lastReload: nil))
    }

    /// The snapshot and its metadata, read atomically.
    public func current() -> Current {
        state.withLock { $0 }
    }

    /// Only the snapshot: what a decision needs, without copying (retaining and releasing)
    /// the reload record and its diagnostics as `current()` does.
    public func snapshot() -> Snapshot? {
        state.withLock { $0.snapshot }
    }

    /// The snapshot with its generation, read in one lock so an audit entry names the
    /// generation that really decided.
    public func snapshotWithGeneration() -> (snapshot: Snapshot, generation: UInt64)? {
        state.withLock { s in s.snapshot.map { ($0, s.generation) } }
    }

    /// Publishes a freshly compiled snapshot with one swap; returns the new generation.
    @discardableResult
    public func publish(_ snapshot: Snapshot, policyCount: Int, record: ReloadRecord) -> UInt64 {
        state.withLock { s in
            s.snapshot = snapshot
            s.generation += 1
            s.policyCount = policyCount
            var record = record
            record.generation = s.generation
            s.lastReload = record
            return s.generation
        }
    }

    /// Sets or clears the degraded reason; returns whether it changed.
    @discardableResult
    public func setDegraded(_ reason: String?) -> Bool {
        state.withLock { s in
            guard s.degradedReason != reason else { return false }
            s.degradedReason = reason
            return true
        }
    }

    /// Records a failed reload; the snapshot in service stays as it was.
    public func recordFailure(_ record: ReloadRecord) {
        state.withLock { s in
            var record = record
            record.generation = s.generation
            s.lastReload = record
        }
    }
}

/// The outcome of one reload attempt.
public struct ReloadRecord: Sendable {
    /// Whether the compile succeeded.
    public enum Outcome: String, Sendable {
        case success = "SUCCESS"
        case failure = "FAILURE"
    }

    /// When the reload finished (wall clock).
    public var time: Timestamp
    /// Success or failure.
    public var outcome: Outcome
    /// Compile diagnostics, one rendered message each (warnings on success, errors on failure).
    public var diagnostics: [String]
    /// How long the compile took, in milliseconds.
    public var durationMilliseconds: Double
    /// The generation in service after this reload.
    public var generation: UInt64
    /// Why the reload happened (`startup`, `inotify`, `SIGHUP`, `overflow`...).
    public var trigger: String

    /// Creates a record; `generation` is filled in by the store.
    public init(time: Timestamp, outcome: Outcome, diagnostics: [String], durationMilliseconds: Double, trigger: String) {
        self.time = time
        self.outcome = outcome
        self.diagnostics = diagnostics
        self.durationMilliseconds = durationMilliseconds
        self.generation = 0
        self.trigger = trigger
    }
}
