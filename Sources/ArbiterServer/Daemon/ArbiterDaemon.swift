#if canImport(Glibc)
import Glibc
#endif
import ArbiterJSON
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization
import UnixSignals

/// The whole `arbiter serve` daemon: first compile, socket, policy watcher, systemd
/// notifications and watchdog, run as one `ServiceGroup` with graceful shutdown.
///
/// Order of start-up, which systemd relies on: the SIGHUP handler is installed first, then the
/// policies are compiled (a failure exits unless `startWithoutPolicies`), then the socket is
/// bound (or adopted from socket activation), and `READY=1` is sent once it accepts connections.
public final class ArbiterDaemon<Decisions: DecisionService>: Sendable {
    /// The configuration in force.
    public let configuration: ServerConfiguration
    /// The snapshot cell, shared with anything else that needs to read policies.
    public let store = PolicyStore<Decisions.Snapshot>()

    private let identity: ServerIdentity
    private let decisions: Decisions
    private let logger: Logger
    private let compile: SnapshotCompiler<Decisions.Snapshot>
    private let handleTerminationSignals: Bool
    private let frontEnds: [FrontEndFactory<Decisions>]
    private let metrics: ServerMetrics?
    private let tracing: ServerTracing?
    private let observability: [any Service]
    private let group = Mutex<ServiceGroup?>(nil)
    private let shutdownRequested = Atomic<Bool>(false)

    /// Creates a daemon. With `handleTerminationSignals` false, SIGTERM/SIGINT are left alone
    /// and only `shutdown()` stops it (tests). `frontEnds` build the listeners served beside the
    /// JSON-RPC socket (the HTTP API); each decides from the same store. `metrics` are kept
    /// (reloads, snapshot, audit) and served (`server.metricsListenAddr`, the HTTP API's
    /// `/_cerbos/metrics`) when given; the decisions' own are the service's to record.
    /// `tracing` gets a span per reload; `observability` are the backends' services (a span
    /// exporter), run and shut down with the daemon.
    public init(
        configuration: ServerConfiguration, identity: ServerIdentity, decisions: Decisions, logger: Logger,
        handleTerminationSignals: Bool = true, frontEnds: [FrontEndFactory<Decisions>] = [],
        metrics: ServerMetrics? = nil, tracing: ServerTracing? = nil, observability: [any Service] = [],
        compile: @escaping SnapshotCompiler<Decisions.Snapshot>
    ) {
        self.tracing = tracing
        self.observability = observability
        self.frontEnds = frontEnds
        self.metrics = configuration.metricsEnabled ? metrics : nil
        self.configuration = configuration
        self.identity = identity
        self.decisions = decisions
        self.logger = logger
        self.compile = compile
        self.handleTerminationSignals = handleTerminationSignals
    }

    /// Runs until graceful shutdown; throws `DaemonStartupError` or `SocketSetupError` when it
    /// cannot start (the CLI turns these into a non-zero exit with the diagnostics).
    public func run() async throws {
        let config = configuration
        let issues = config.validate()
        if !issues.isEmpty { throw ConfigurationError(issues) }
        let notifier = SystemdNotifier(logger: logger)
        let hangupFD = try HangupSignal.install()
        let store = self.store
        let started = Atomic<Bool>(false)
        let metrics = self.metrics
        let hooks = ReloadHooks(
            willReload: { _ in
                metrics?.reloadStarted()
                if started.load(ordering: .relaxed) { notifier.reloading() }
            },
            didReload: { record, count in
                metrics?.reloadFinished(record, policyCount: count)
                guard started.load(ordering: .relaxed) else { return }
                let current = store.current()
                let line = SystemdNotifier.statusLine(policyCount: count, generation: current.generation, lastReload: record,
                                                      degradedReason: current.degradedReason)
                notifier.ready(status: line)
            },
            watchHealthChanged: { _ in notifier.status(SystemdNotifier.statusLine(store.current())) }
        )
        var watchOptions = PolicyWatcher<Decisions.Snapshot>.Options(
            watchForChanges: config.watchForChanges, debounce: config.reloadDebounce, maxDelay: config.reloadMaxDelay, hangupFD: hangupFD)
        watchOptions.tracing = tracing
        let watcher = try PolicyWatcher(
            directory: config.policyDirectory, store: store, options: watchOptions,
            hooks: hooks, logger: logger, compile: compile
        )
        watcher.beginWatching()
        notifier.status("compiling policies in \(config.policyDirectory)")
        let first = await watcher.reload(trigger: "startup")
        if first.outcome == .failure, !config.startWithoutPolicies {
            notifier.status("first policy compile failed")
            throw DaemonStartupError(diagnostics: first.diagnostics, directory: config.policyDirectory)
        }

        let socket: ListeningSocket
        let activatedSockets = try SystemdSockets.take()
        if let activated = activatedSockets.jsonRPC {
            socket = activated
            logger.info("using the socket passed by systemd socket activation")
        } else {
            let gid = try config.socketGroup.map { try ListeningSocket.groupID($0) }
            socket = try ListeningSocket.bind(path: config.socketPath, mode: config.socketMode, group: gid, logger: logger)
        }
        var dispatcher = RPCDispatcher(
            service: decisions, store: store, identity: identity,
            jsonOptions: JSONReader.Options(maxDepth: config.maxJSONDepth), logger: logger
        )
        dispatcher.requestLimits = config.requestLimits
        let recorder: DecisionRecorder?
        do {
            recorder = try DecisionRecorder.make(config.audit, logger: logger)
        } catch {
            close(socket.descriptor)
            if socket.ownsPath, let path = socket.path { unlink(path) }
            throw error
        }
        dispatcher.recorder = recorder
        if let recorder { metrics?.observe(recorder.log) }
        let server = SocketServer(
            socket: socket, dispatcher: dispatcher,
            limits: .init(maxFrameSize: config.maxFrameSize, frameTimeout: .nanoseconds(Self.nanoseconds(config.frameTimeout))),
            peerPolicy: PeerPolicy(allowedUIDs: Set(config.allowedUIDs), allowedGIDs: Set(config.allowedGIDs)),
            logger: logger,
            onListening: {
                started.store(true, ordering: .relaxed)
                notifier.ready(status: SystemdNotifier.statusLine(store.current()))
            }
        )
        var services: [any Service] = [watcher, server] + decisions.backgroundServices(logger: logger) + observability
        let context = FrontEndContext(configuration: config, store: store, identity: identity, decisions: decisions,
                                      logger: logger, activatedSockets: activatedSockets, recorder: recorder, metrics: metrics)
        do {
            for makeFrontEnd in frontEnds + [{ try MetricsEndpoint.service($0) }] {
                if let frontEnd = try makeFrontEnd(context) { services.append(frontEnd) }
            }
        } catch {
            // The JSON-RPC socket is bound but its server never runs: release it as the server would.
            close(socket.descriptor)
            if socket.ownsPath, let path = socket.path { unlink(path) }
            throw error
        }
        if let interval = notifier.watchdogInterval() {
            services.append(WatchdogService(notifier: notifier, interval: interval))
        }
        services.append(StoppingNotifierService(notifier: notifier))

        var groupConfig = ServiceGroupConfiguration(
            services: services,
            gracefulShutdownSignals: handleTerminationSignals ? [.sigterm, .sigint] : [],
            logger: logger
        )
        groupConfig.maximumGracefulShutdownDuration = config.shutdownGracePeriod
        // No cancellation deadline: past it ServiceLifecycle calls fatalError, so a stop that is
        // merely slow (a loaded 2-core machine starving the cooperative pool) became a crash with a
        // core dump. The supervisor already bounds a stop: systemd's TimeoutStopSec and the pod's
        // terminationGracePeriodSeconds end with SIGKILL.
        groupConfig.maximumCancellationDuration = nil
        let serviceGroup = ServiceGroup(configuration: groupConfig)
        group.withLock { $0 = serviceGroup }
        if shutdownRequested.load(ordering: .relaxed) { await serviceGroup.triggerGracefulShutdown() }
        // The listeners have drained and answered every request they read by the time the group
        // returns, so closing the audit log here flushes the entry of every answered request.
        do {
            try await serviceGroup.run()
        } catch {
            await recorder?.close()
            throw error
        }
        await recorder?.close()
    }

    /// Starts graceful shutdown, as SIGTERM would.
    public func shutdown() async {
        shutdownRequested.store(true, ordering: .relaxed)
        if let g = group.withLock({ $0 }) { await g.triggerGracefulShutdown() }
    }

    static func nanoseconds(_ d: Duration) -> Int64 {
        d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000
    }
}

/// The first compile failed and the daemon is not configured to start without policies.
public struct DaemonStartupError: Error, Sendable, CustomStringConvertible {
    /// The compile diagnostics.
    public var diagnostics: [String]
    /// The policy directory.
    public var directory: String
    /// Creates the error.
    public init(diagnostics: [String], directory: String) {
        self.diagnostics = diagnostics
        self.directory = directory
    }
    /// A summary line followed by the diagnostics.
    public var description: String {
        "cannot start: the policies in \(directory) do not compile:\n" + diagnostics.joined(separator: "\n")
    }
}

/// Sends `STOPPING=1` as soon as graceful shutdown begins (it is shut down first).
struct StoppingNotifierService: Service {
    let notifier: SystemdNotifier

    func run() async throws {
        try? await gracefulShutdown()
        notifier.stopping()
    }
}
