/// Decides when file-system activity turns into a reload: after a quiet period (`debounce`)
/// so one `git pull` is one reload, but never later than `maxDelay` after the first unserved
/// event so a writer that never pauses still gets reloaded. A forced reload (SIGHUP, inotify
/// overflow) starts at once. Only one reload runs at a time; events during a reload are kept
/// for the next one. Pure: the watcher feeds it times and executes the actions.
public struct ReloadDebounceStateMachine: Sendable {
    /// What the watcher must do now.
    public enum Action: Sendable, Equatable {
        /// Nothing yet; check again at `nextDeadline`.
        case wait
        /// Start a reload; `reason` is for logs and Health.
        case startReload(reason: String)
    }

    /// The quiet period.
    public let debounce: Duration
    /// The upper bound from the first pending event to the reload.
    public let maxDelay: Duration

    private var firstPending: ContinuousClock.Instant?
    private var lastPending: ContinuousClock.Instant?
    private var forcedReason: String?
    private var pendingReason = "inotify"
    private var reloading = false

    /// Creates the machine.
    public init(debounce: Duration = .milliseconds(200), maxDelay: Duration = .seconds(2)) {
        self.debounce = debounce
        self.maxDelay = max(maxDelay, debounce)
    }

    /// Whether a reload is in progress.
    public var isReloading: Bool { reloading }

    /// A file-system event arrived at `now`.
    public mutating func fileSystemEvent(at now: ContinuousClock.Instant) {
        if firstPending == nil { firstPending = now }
        lastPending = now
    }

    /// A reload was demanded (SIGHUP, queue overflow); it starts at the next `poll`, or right
    /// after the running one finishes.
    public mutating func forceReload(reason: String) {
        if forcedReason == nil { forcedReason = reason }
    }

    /// When the watcher should call `poll` next, or nil when nothing is pending.
    public var nextDeadline: ContinuousClock.Instant? {
        guard !reloading else { return nil }
        if forcedReason != nil { return lastPending ?? firstPending ?? .now }
        guard let first = firstPending, let last = lastPending else { return nil }
        return min(last + debounce, first + maxDelay)
    }

    /// Whether a forced reload is waiting (the watcher skips its poll timeout then).
    public var hasForcedReload: Bool { forcedReason != nil && !reloading }

    /// Called at `now`: starts a reload if one is due.
    public mutating func poll(at now: ContinuousClock.Instant) -> Action {
        guard !reloading else { return .wait }
        if let reason = forcedReason {
            return begin(reason: reason)
        }
        guard let first = firstPending, let last = lastPending else { return .wait }
        if now >= last + debounce {
            return begin(reason: pendingReason)
        }
        if now >= first + maxDelay {
            return begin(reason: "\(pendingReason) (maximum delay reached)")
        }
        return .wait
    }

    /// The reload that `poll` started has finished; events that arrived meanwhile stay pending.
    public mutating func reloadFinished() {
        reloading = false
    }

    private mutating func begin(reason: String) -> Action {
        reloading = true
        forcedReason = nil
        firstPending = nil
        lastPending = nil
        return .startReload(reason: reason)
    }
}
