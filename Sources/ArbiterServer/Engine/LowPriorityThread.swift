import Glibc

/// Runs reload compiles on a thread of their own with a raised nice value, so that on a
/// machine with few cores a compile yields the CPU to the event loops and decisions keep
/// their latency while it runs. A thread per reload: reloads are rare, and a niced thread
/// cannot lower its nice value again without privileges, so no pooled thread is niced.
enum LowPriorityThread {
    /// The nice value of a compile thread (0 is the daemon's own; 19 is the lowest priority).
    static let niceness: Int32 = 10

    private final class Work: Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    /// The result of `body`, computed on a new thread at `niceness`; inline when no thread can be started.
    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
            let work = Unmanaged.passRetained(Work { continuation.resume(returning: body()) })
            var thread = pthread_t()
            let rc = pthread_create(&thread, nil, { raw in
                let work = Unmanaged<Work>.fromOpaque(raw!).takeRetainedValue()
                // On Linux the nice value is per thread, and `who` 0 names the calling thread.
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, LowPriorityThread.niceness)
                work.body()
                return nil
            }, work.toOpaque())
            if rc == 0 {
                pthread_detach(thread)
            } else {
                work.takeRetainedValue().body()
            }
        }
    }
}
