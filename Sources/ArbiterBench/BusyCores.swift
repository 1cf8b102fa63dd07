#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// `--busy-core`: spinning threads that keep all cores but one busy for the whole run, so the
/// socket figures are also read on a machine whose CPUs never idle (issue 21.1). On a 2-core
/// machine that is one spinner at normal priority: the client and the server then share what
/// the scheduler gives them beside it, and wake-up latency of idle cores drops out of the floor.
final class BusyCores: Sendable {
    private let stopFlag = Atomic<Bool>(false)
    private let spinners = Mutex<[pthread_t]>([])

    /// Starts `count` spinners (default: one fewer than the online CPUs, at least one).
    init(count: Int = max(1, cpuCount() - 1)) throws {
        for _ in 0..<count {
            let t = try startThread { [self] in spin() }
            spinners.withLock { $0.append(t) }
        }
    }

    private func spin() {
        var n: UInt64 = 0
        // Checking the flag every iteration keeps the loop short; the relaxed load costs a few
        // cycles and the spinner's purpose is to burn them.
        while !stopFlag.load(ordering: .relaxed) { n &+= 1 }
        withExtendedLifetime(n) {}
    }

    /// Stops and joins the spinners.
    func stop() {
        stopFlag.store(true, ordering: .relaxed)
        for t in spinners.withLock({ s -> [pthread_t] in defer { s = [] }; return s }) { pthread_join(t, nil) }
    }
}

/// The 1-, 5- and 15-minute load averages from `/proc/loadavg`, as printed beside each figure.
func loadAverage() -> String {
    guard let text = readFile("/proc/loadavg").map({ String(decoding: $0, as: UTF8.self) }) else { return "unknown" }
    return text.split(separator: " ").prefix(3).joined(separator: " ")
}
