#if canImport(Glibc)
import Glibc
#endif
import CSystemd
import Logging
import ServiceLifecycle

/// Talks to systemd through libsystemd's `sd_notify`: readiness, reloads, status, watchdog and
/// stopping. Without `NOTIFY_SOCKET` every call is a cheap no-op.
public struct SystemdNotifier: Sendable {
    private let logger: Logger

    /// Creates a notifier.
    public init(logger: Logger) { self.logger = logger }

    /// Whether a notification socket is configured.
    public var isEnabled: Bool { getenv("NOTIFY_SOCKET") != nil }

    /// Sends raw newline-separated `KEY=value` assignments.
    public func send(_ state: String) {
        let rc = sd_notify(0, state)
        if rc < 0 { logger.warning("sd_notify failed", metadata: ["error": "\(String(cString: strerror(-rc)))"]) }
    }

    /// `READY=1` plus a status line.
    public func ready(status: String) { send("READY=1\nSTATUS=\(status)") }

    /// `RELOADING=1` with the monotonic time, as `Type=notify-reload` requires.
    public func reloading() {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        let usec = UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1000
        send("RELOADING=1\nMONOTONIC_USEC=\(usec)")
    }

    /// `STATUS=` alone.
    public func status(_ text: String) { send("STATUS=\(text)") }

    /// `STOPPING=1`.
    public func stopping() { send("STOPPING=1\nSTATUS=stopping") }

    /// The watchdog interval systemd expects pings within, if the watchdog is enabled for us.
    public func watchdogInterval() -> Duration? {
        var usec: UInt64 = 0
        guard sd_watchdog_enabled(0, &usec) > 0, usec > 0 else { return nil }
        return .microseconds(Int64(usec))
    }

    /// One-line summary for `STATUS=`.
    public static func statusLine(policyCount: Int, generation: UInt64, lastReload: ReloadRecord?, degradedReason: String? = nil) -> String {
        var s = "\(policyCount) policies, generation \(generation)"
        if let r = lastReload {
            s += r.outcome == .success ? ", last reload ok" : ", last reload FAILED (\(r.diagnostics.count) problems, previous policies in service)"
            // The first problem, so `systemctl status` names the failing file or test.
            if r.outcome == .failure, let first = r.diagnostics.first?.split(separator: "\n").first {
                s += ": " + (first.count > 160 ? first.prefix(160) + "…" : first)
            }
        }
        if let degradedReason { s += "; DEGRADED: " + degradedReason }
        // STATUS= is one line of the notification datagram: a newline would start a new assignment.
        return String(s.map { $0.isNewline ? " " : $0 })
    }

    /// The status line for the store's current state.
    public static func statusLine<Snapshot>(_ current: PolicyStore<Snapshot>.Current) -> String {
        statusLine(policyCount: current.policyCount, generation: current.generation, lastReload: current.lastReload,
                   degradedReason: current.degradedReason)
    }
}

/// Sends `WATCHDOG=1` at half the interval systemd configured, until shutdown.
public struct WatchdogService: Service {
    private let notifier: SystemdNotifier
    private let interval: Duration

    /// Creates the service for a watchdog interval (`WATCHDOG_USEC`).
    public init(notifier: SystemdNotifier, interval: Duration) {
        self.notifier = notifier
        self.interval = interval
    }

    public func run() async throws {
        let period = interval / 2
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            notifier.send("WATCHDOG=1")
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: period) }
            } catch {
                return
            }
        }
    }
}
