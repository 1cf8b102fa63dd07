import Logging
import Synchronization

/// Caps how often one kind of log line is written: at most `burst` lines of a kind per
/// `interval`. Lines past that are dropped and counted, and the next line of that kind that is
/// written carries the count (`dropped`), so a flood shows up as a number rather than vanishing
/// or filling the disk. One limiter is shared by every connection (`shared`): a thousand peers
/// sending bad frames cost a few lines per interval, not one line per frame.
public final class LogRateLimiter: Sendable {
    /// The process-wide limiter used by the server's per-connection and per-request warnings.
    public static let shared = LogRateLimiter()

    /// Lines of one kind written per interval.
    public let burst: Int
    /// The window length.
    public let interval: Duration

    private struct Window {
        var start: ContinuousClock.Instant
        var written = 0
        var dropped = 0
    }

    /// Kinds are the constant messages of the call sites, so this table stays small.
    private let windows = Mutex<[String: Window]>([:])

    /// Creates a limiter (default: 5 lines per kind every 10 s).
    public init(burst: Int = 5, interval: Duration = .seconds(10)) {
        self.burst = max(1, burst)
        self.interval = interval
    }

    /// Whether a line of `kind` may be written at `now`: nil to drop it, otherwise how many
    /// lines of that kind were dropped since the last one written.
    public func admit(_ kind: String, at now: ContinuousClock.Instant = .now) -> Int? {
        windows.withLock { table in
            var w = table[kind] ?? Window(start: now)
            if now - w.start >= interval {
                w.start = now
                w.written = 0
            }
            guard w.written < burst else {
                w.dropped += 1
                table[kind] = w
                return nil
            }
            let dropped = w.dropped
            w.written += 1
            w.dropped = 0
            table[kind] = w
            return dropped
        }
    }

    /// Logs `message` at `level` unless its kind (the message text) is over its rate; adds
    /// `dropped=N` when lines of the kind were dropped since the last one written.
    public func log(_ logger: Logger, _ level: Logger.Level, _ message: Logger.Message, metadata: Logger.Metadata = [:]) {
        guard logger.logLevel <= level, let dropped = admit(message.description) else { return }
        var metadata = metadata
        if dropped > 0 { metadata["dropped"] = "\(dropped)" }
        logger.log(level: level, message, metadata: metadata)
    }
}
