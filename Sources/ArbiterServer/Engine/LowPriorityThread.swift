import Glibc

/// Runs reload compiles (and the audit writer) on a thread of their own with a raised nice
/// value, so that on a machine with few cores that work yields the CPU to the event loops and
/// decisions keep their latency while it runs. A thread per reload: reloads are rare, and a niced thread
/// cannot lower its nice value again without privileges, so no pooled thread is niced.
enum LowPriorityThread {
    /// The nice value of a compile thread (0 is the daemon's own; 19 is the lowest priority).
    static let niceness: Int32 = 10

    private final class Work: Sendable {
        let niceness: Int32
        let body: @Sendable () -> Void
        init(niceness: Int32, _ body: @escaping @Sendable () -> Void) {
            self.niceness = niceness
            self.body = body
        }
    }

    /// The result of `body`, computed on a new thread at `niceness`; inline when no thread can be started.
    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
            let work: @Sendable () -> Void = { continuation.resume(returning: body()) }
            if !start(niceness: niceness, work) { work() }
        }
    }

    /// Runs `body` on a new detached thread at `niceness`; false when no thread could be started
    /// (`body` has not run and will not).
    static func start(niceness: Int32, _ body: @escaping @Sendable () -> Void) -> Bool {
        let work = Unmanaged.passRetained(Work(niceness: niceness, body))
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { raw in
            let work = Unmanaged<Work>.fromOpaque(raw!).takeRetainedValue()
            // On Linux the nice value is per thread, and `who` 0 names the calling thread.
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, work.niceness)
            work.body()
            return nil
        }, work.toOpaque())
        guard rc == 0 else {
            work.release()
            return false
        }
        pthread_detach(thread)
        return true
    }
}
