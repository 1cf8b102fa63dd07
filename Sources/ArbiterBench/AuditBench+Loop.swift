#if canImport(Glibc)
import Glibc
#endif
import ArbiterJSON
import ArbiterServer
import CEL
import Dispatch
import Logging

extension AuditBench {
    /// `--loop-audit off|on N`: the socket bench's CheckResources frame through
    /// `RPCDispatcher.handle` N times in process, with decision logging off or on (entries to
    /// /dev/null through `AuditFileSink`, encoded by the log's writer thread as in the daemon),
    /// untimed. Under `valgrind --tool=callgrind --separate-threads=yes` the two modes' totals,
    /// divided by N, give what logging costs per decision in instructions, by thread: the
    /// deciding thread's share and the writer's. Instruction counts do not move with the
    /// machine's load, which the socket comparison's ratios do.
    static func loop(_ mode: String, _ n: Int) throws {
        guard mode == "off" || mode == "on" else { throw BenchFailure("--loop-audit: mode must be off or on, not \(mode)") }
        try SocketBench.withGeneratedPolicies("arbiter-bench-audit-loop") { policies, _, payload in
            var dispatcher = try SocketBench.inProcessDispatcher(policies: policies)
            var logger = Logger(label: "bench")
            logger.logLevel = .critical
            if mode == "on" {
                var configuration = AuditConfiguration()
                configuration.enabled = true
                configuration.decisionLogsEnabled = true
                configuration.backend = .file
                configuration.filePath = "/dev/null"
                dispatcher.recorder = try DecisionRecorder.make(configuration, logger: logger)
            }
            let peer = AuditPeer.unix(path: "/run/arbiter/arbiter.sock", credentials: PeerCredentials(pid: getpid(), uid: getuid(), gid: getgid()))
            var w = JSONWriter(capacity: 1024)
            var bytes = 0
            for _ in 0..<n {
                w.bytes.removeAll(keepingCapacity: true)
                payload.withUnsafeBytes { _ = dispatcher.handle($0, peer: peer, into: &w) }
                bytes &+= w.bytes.count
            }
            if let recorder = dispatcher.recorder {
                let wait = DispatchSemaphore(value: 0)
                Task { await recorder.close(); wait.signal() }
                wait.wait()
                print("audit \(mode): \(n) decisions, \(bytes) response bytes, \(recorder.log.stats.written) entries written")
            } else {
                print("audit \(mode): \(n) decisions, \(bytes) response bytes")
            }
        }
    }
}
