#if canImport(Glibc)
import Glibc
#endif
import CEL
import Logging
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Keeps the `PolicyStore` in step with the policy directory: inotify on the directory, its
/// subdirectories and its parent (symlink swaps), debounced by `ReloadDebounceStateMachine`;
/// SIGHUP and `IN_Q_OVERFLOW` force a full reload. Each reload calls the compile closure in this
/// service's task, never on an event loop, and publishes with one swap; a failed compile keeps
/// the old snapshot and records its diagnostics.
public final class PolicyWatcher<Snapshot: Sendable>: Service, Sendable {
    /// Timing and switches.
    public struct Options: Sendable {
        /// Watch the directory with inotify (`storage.disk.watchForChanges`).
        public var watchForChanges: Bool
        /// Quiet period before a reload.
        public var debounce: Duration
        /// Longest delay from the first change to the reload.
        public var maxDelay: Duration
        /// Descriptor from `HangupSignal.install()`, or -1 to ignore SIGHUP here.
        public var hangupFD: CInt
        /// While some directory cannot be watched, how often the watch set is rebuilt.
        public var watchRetryInterval: Duration
        /// Spans for each reload (`reload`, with `reload.compile` and `reload.publish`); nil: none.
        public var tracing: ServerTracing?

        /// Creates options (200 ms debounce, 2 s maximum delay, 500 ms watch retry).
        public init(watchForChanges: Bool = true, debounce: Duration = .milliseconds(200), maxDelay: Duration = .seconds(2), hangupFD: CInt = -1,
                    watchRetryInterval: Duration = .milliseconds(500)) {
            self.watchForChanges = watchForChanges
            self.debounce = debounce
            self.maxDelay = maxDelay
            self.hangupFD = hangupFD
            self.watchRetryInterval = watchRetryInterval
        }
    }

    private let directory: String
    private let store: PolicyStore<Snapshot>
    private let compile: SnapshotCompiler<Snapshot>
    private let options: Options
    private let hooks: ReloadHooks
    private let logger: Logger
    private let machine: Mutex<ReloadDebounceStateMachine>
    private let watch: DirectoryTreeWatch
    private let watching = Atomic<Bool>(false)
    /// The files the serving snapshot's policies came from (see `refusal(of:)`).
    private let servingFiles = Mutex<Set<String>>([])

    /// Creates a watcher; nothing is watched until `run()`.
    public init(
        directory: String, store: PolicyStore<Snapshot>, options: Options = Options(), hooks: ReloadHooks = ReloadHooks(),
        logger: Logger, compile: @escaping SnapshotCompiler<Snapshot>
    ) throws {
        self.directory = directory
        self.store = store
        self.compile = compile
        self.options = options
        self.hooks = hooks
        self.logger = logger
        self.machine = Mutex(ReloadDebounceStateMachine(debounce: options.debounce, maxDelay: options.maxDelay))
        self.watch = try DirectoryTreeWatch(directory: directory, hangupFD: options.hangupFD)
    }

    /// Asks for a reload as soon as possible (a running reload finishes first).
    public func requestReload(reason: String) {
        machine.withLock { $0.forceReload(reason: reason) }
        watch.wake()
    }

    /// Compiles now and publishes or records the failure. Used for the first load and by `run()`.
    @discardableResult
    public func reload(trigger: String) async -> ReloadRecord {
        await traced("reload") { await performReload(trigger: trigger) }
    }

    /// Runs `body` in a span named `name` when tracing is on.
    private func traced<R>(_ name: StaticString, _ body: () async throws -> R) async rethrows -> R {
        guard let tracing = options.tracing else { return try await body() }
        return try await tracing.span(name, body)
    }

    private func performReload(trigger: String) async -> ReloadRecord {
        hooks.willReload(trigger)
        let started = ContinuousClock.now
        let record: ReloadRecord
        var policyCount = store.current().policyCount
        do {
            // Reading and compiling are one step of the compile closure (it reads incrementally).
            let compiled = try await traced("reload.compile") { try await compile(directory) }
            if let refusal = refusal(of: compiled) { throw refusal }
            let elapsed = Self.milliseconds(ContinuousClock.now - started)
            let r = ReloadRecord(time: Self.wallClock(), outcome: .success, diagnostics: compiled.warnings.map(LogExcerpt.of),
                                 durationMilliseconds: elapsed, trigger: trigger)
            let generation = await traced("reload.publish") { store.publish(compiled.snapshot, policyCount: compiled.policyCount, record: r) }
            policyCount = compiled.policyCount
            servingFiles.withLock { $0 = compiled.policyFiles }
            // The swap dropped the previous snapshot (unless a decision still holds it).
            FreeMemory.release()
            record = store.current().lastReload ?? r
            logger.info("policies loaded", metadata: [
                "generation": "\(generation)", "policies": "\(compiled.policyCount)", "trigger": "\(trigger)",
                "ms": "\(Int(elapsed))",
            ])
        } catch {
            let diagnostics = ((error as? PolicyCompileFailure)?.diagnostics ?? ["\(error)"]).map(LogExcerpt.of)
            let r = ReloadRecord(time: Self.wallClock(), outcome: .failure, diagnostics: diagnostics,
                                 durationMilliseconds: Self.milliseconds(ContinuousClock.now - started), trigger: trigger)
            store.recordFailure(r)
            record = store.current().lastReload ?? r
            let serving = store.current().snapshot != nil
            logger.error(serving ? "policy reload failed; the previous policies stay in service"
                                 : "policy compile failed; no policies are in service", metadata: [
                "trigger": "\(trigger)", "diagnostics": .array(diagnostics.map { .string($0) }),
            ])
        }
        hooks.didReload(record, policyCount)
        return record
    }

    /// A file the serving policies came from that is now empty is far more likely caught between
    /// a truncation and its new contents (an editor, `: > f; cat > f`, a deploy tool) than meant
    /// to drop its policies, and publishing the gap would change decisions (a lost DENY fails
    /// open). Such a compile is refused; deleting the file is how policies are removed.
    private func refusal(of compiled: CompiledPolicies<Snapshot>) -> PolicyCompileFailure? {
        let emptied = servingFiles.withLock { $0.intersection(compiled.emptyFiles) }
        guard !emptied.isEmpty else { return nil }
        return PolicyCompileFailure(diagnostics: emptied.sorted().map {
            "\($0): this file held policies that are in service and is now empty (a write in progress?); "
                + "the previous policies stay in service until it has contents again or is deleted"
        })
    }

    /// Rebuilds the watch set and records whether hot reload is whole; returns whether it is
    /// degraded. On coming back from degraded, changes may have been missed: a reload follows.
    @discardableResult
    private func rebuildWatches() -> Bool {
        let problems = watch.rebuild()
        let reason: String? = problems.isEmpty ? nil : "hot reload degraded, retrying every \(options.watchRetryInterval): "
            + problems.prefix(3).joined(separator: "; ") + (problems.count > 3 ? "; and \(problems.count - 3) more" : "")
        guard store.setDegraded(reason) else { return reason != nil }
        if let reason {
            logger.warning("policy directory not fully watched", metadata: ["reason": "\(reason)"])
        } else {
            logger.info("policy directory watched again; reloading to catch up",
                        metadata: ["directories": "\(watch.watchedDirectoryCount)"])
            machine.withLock { $0.forceReload(reason: "watches re-established (rescan)") }
        }
        hooks.watchHealthChanged(reason)
        return reason != nil
    }

    /// Sets up the inotify watches (once). The daemon calls this before its first compile, so an
    /// edit made while that compile runs, or before the service loop starts, waits in the
    /// inotify queue and triggers a reload instead of being lost.
    public func beginWatching() {
        guard options.watchForChanges, watching.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        rebuildWatches()
        logger.info("watching policy directory", metadata: ["directory": "\(directory)", "directories": "\(watch.watchedDirectoryCount)"])
    }

    public func run() async throws {
        beginWatching()
        let stopping = Atomic<Bool>(false)
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await loop(stopping: stopping)
            } onGracefulShutdown: { [self] in
                stopping.store(true, ordering: .relaxed)
                watch.wake()
            }
        } onCancel: { [self] in
            stopping.store(true, ordering: .relaxed)
            watch.wake()
        }
    }

    /// The wait for events blocks a thread until an event or a deadline, so it runs on a thread
    /// of the watcher's own: on NIO's shared blocking pool (as many threads as cores) it held one
    /// of the two threads of a 2-core machine for the daemon's lifetime, and watchers side by side
    /// (the tests) took them all and never saw their events.
    private func loop(stopping: borrowing Atomic<Bool>) async {
        let waiter = NIOThreadPool(numberOfThreads: 1)
        waiter.start()
        await loop(stopping: stopping, waiter: waiter)
        do { try await waiter.shutdownGracefully() } catch {
            logger.warning("policy watcher: its wait thread did not stop: \(error)")
        }
    }

    private func loop(stopping: borrowing Atomic<Bool>, waiter: NIOThreadPool) async {
        let watch = self.watch
        var retryAt: ContinuousClock.Instant? = store.current().degradedReason == nil ? nil : .now + options.watchRetryInterval
        while !stopping.load(ordering: .relaxed) {
            let timeout: CInt = machine.withLock { m in
                if m.hasForcedReload { return 0 }
                let deadlines = [m.nextDeadline, retryAt].compactMap { $0 }
                guard let deadline = deadlines.min() else { return -1 }
                let ms = Self.milliseconds(deadline - .now)
                return CInt(max(0, min(ms.rounded(.up), 60_000)))
            }
            let batch: DirectoryTreeWatch.Batch
            do {
                batch = try await waiter.runIfActive { watch.waitForEvents(timeoutMilliseconds: timeout) }
            } catch {
                logger.error("policy watcher stopped: \(error)")
                return
            }
            if stopping.load(ordering: .relaxed) { return }
            if options.watchForChanges, batch.structureChanged || batch.hangup || retryAt.map({ .now >= $0 }) == true {
                retryAt = rebuildWatches() ? .now + options.watchRetryInterval : nil
            }
            let now = ContinuousClock.now
            let action = machine.withLock { m -> ReloadDebounceStateMachine.Action in
                if batch.hangup { m.forceReload(reason: "SIGHUP") }
                if batch.overflow { m.forceReload(reason: "inotify queue overflow (full rescan)") }
                if batch.changed { m.fileSystemEvent(at: now) }
                return m.poll(at: now)
            }
            if !batch.names.isEmpty { logger.debug("policy directory changed", metadata: ["entries": "\(batch.names)"]) }
            if case let .startReload(reason) = action {
                await reload(trigger: reason)
                machine.withLock { $0.reloadFinished() }
            }
        }
    }

    static func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }

    static func wallClock() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(seconds: Int64(ts.tv_sec), nanos: Int32(ts.tv_nsec))
    }
}
