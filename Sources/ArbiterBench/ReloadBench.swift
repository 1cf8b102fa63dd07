import ArbiterJSON
import CEL
#if canImport(Glibc)
import Glibc
#endif

/// Reload cost (issue 7 §5): time from a policy file change to the daemon answering with the
/// new policies, for 100 and 10,000 policies, and decision latency during reloads compared
/// with steady state. The daemon watches its directory with a 10 ms debounce (included).
enum ReloadBench {
    static let debounce = "10ms"

    static func run(report: BenchReport, quick: Bool) throws {
        try measure(report: report, label: "100 policies", generator: PolicyGenerator(kinds: 10, policiesPerKind: 9),
                    flips: quick ? 2 : 6, quick: quick)
        try measure(report: report, label: "10k policies", generator: PolicyGenerator(kinds: 1000, policiesPerKind: 10),
                    flips: quick ? 1 : 3, quick: quick)
    }

    static func measure(report: BenchReport, label: String, generator: PolicyGenerator, flips: Int, quick: Bool) throws {
        let work = try makeTemporaryDirectory("arbiter-bench-reload")
        defer { removeTree(work) }
        let policies = work + "/policies"
        try generator.write(to: policies)
        let target = policies + "/resource_policies/" + PolicyGenerator.kindName(0) + "/root.yaml"
        let base = PolicyGenerator.rootPolicy(kind: PolicyGenerator.kindName(0), derivedRoles: "common_0")
        let flipped = base + "    - actions: [bench_flip]\n      effect: EFFECT_ALLOW\n      roles: [\"*\"]\n"
        let daemon = try DaemonProcess(policies: policies, workDirectory: work, watch: true, debounce: debounce)
        defer { daemon.stop() }

        let probe = try JSONWriter.encode(.map(MapValue(stringKeyed: [
            ("jsonrpc", .string("2.0")), ("id", .int(0)), ("method", .string("CheckResources")),
            ("params", .map(MapValue(stringKeyed: [
                ("requestId", .string("probe")),
                ("principal", .map(MapValue(stringKeyed: [("id", .string("u3")), ("roles", .list([.string("viewer")]))]))),
                ("resources", .list([.map(MapValue(stringKeyed: [
                    ("actions", .list([.string("bench_flip")])),
                    ("resource", .map(MapValue(stringKeyed: [("kind", .string(PolicyGenerator.kindName(0))), ("id", .string("x"))]))),
                ]))])),
            ]))),
        ])))
        let startRSS = daemon.rssKiB
        let fd = try RawSocket.connect(daemon.socketPath)
        defer { close(fd) }
        var reader = FrameReader(fd: fd)
        func allowed() throws -> Bool {
            try RawSocket.writeAll(fd, RawSocket.frame(probe))
            guard let r = try reader.next() else { throw BenchFailure("daemon closed the probe connection") }
            let text = String(decoding: r, as: UTF8.self)
            if text.contains("EFFECT_ALLOW") { return true }
            if text.contains("EFFECT_DENY") { return false }
            throw BenchFailure("probe answer without a decision: \(text.prefix(300))")
        }
        guard try !allowed() else { throw BenchFailure("bench_flip is allowed before any change") }

        var state = false
        /// Changes the file (write aside, rename into place) and returns ns until the daemon serves it.
        func flip() throws -> UInt64 {
            state.toggle()
            let aside = work + "/next.yaml"
            try writeFile(aside, state ? flipped : base)
            let start = monotonicNanos()
            guard rename(aside, target) == 0 else { throw BenchFailure("rename to \(target): \(String(cString: strerror(errno)))") }
            let deadline = start + 120_000_000_000
            while try allowed() != state {
                if monotonicNanos() > deadline { throw BenchFailure("\(label): change not served after 120 s; log: \(daemon.log())") }
                usleep(1000)
            }
            return monotonicNanos() - start
        }
        var times: [Double] = []
        for _ in 0..<flips { times.append(Double(try flip())) }
        report.add("reload", "\(label) change->serving median", median(times) / 1e6, "ms",
                   note: "\(generator.policyCount) policies, \(flips) reloads, debounce \(debounce) included, 1 ms polling")
        report.add("reload", "\(label) change->serving max", (times.max() ?? .nan) / 1e6, "ms")

        // Decision latency: steady state, then the same load while reloads run back to back.
        let synthetic = SyntheticRequests(count: 64, kinds: generator.kinds, scopes: generator.scopes)
        func payload(_ id: Int) throws -> [UInt8] {
            try JSONWriter.encode(.map(MapValue(stringKeyed: [
                ("jsonrpc", .string("2.0")), ("id", .int(Int64(id))), ("method", .string("CheckResources")),
                ("params", synthetic.request(0)),
            ])))
        }
        let window = UInt64(max(quick ? 0.5 : 2.0, 2.5 * median(times) / 1e9) * 1e9)
        let steady = try LoadGenerator.run(path: daemon.socketPath, connections: 1, depth: 1, requestsPerConnection: Int.max,
                                           stopAt: monotonicNanos() + window, frame: payload)
        guard steady.errors.isEmpty else { throw BenchFailure("\(label) steady load: \(steady.errors)") }
        let steadyRSS = daemon.rssKiB
        daemon.resetPeak()
        var during: LoadGenerator.Result?
        var duringError: Error?
        let stopAt = monotonicNanos() + window
        let thread = try startThread {
            do {
                during = try LoadGenerator.run(path: daemon.socketPath, connections: 1, depth: 1, requestsPerConnection: Int.max,
                                               stopAt: stopAt, frame: payload)
            } catch { duringError = error }
        }
        var reloads = 0
        while monotonicNanos() < stopAt {
            _ = try flip()
            reloads += 1
        }
        pthread_join(thread, nil)
        if let duringError { throw duringError }
        guard let during, during.errors.isEmpty else { throw BenchFailure("\(label) load during reloads: \(during?.errors ?? [])") }
        let s = LatencySummary(steady.latencies), d = LatencySummary(during.latencies)
        report.add("reload", "\(label) steady p50", s.p50 / 1000, "µs", note: "1 connection, depth 1")
        report.add("reload", "\(label) steady p99", s.p99 / 1000, "µs")
        report.add("reload", "\(label) during reloads p50", d.p50 / 1000, "µs", note: "\(reloads) reloads in \(fmt(Double(window) / 1e9)) s")
        report.add("reload", "\(label) during reloads p99", d.p99 / 1000, "µs")
        report.add("reload", "\(label) p99 during/steady", d.p99 / s.p99, "x")
        report.add("reload", "\(label) daemon RSS after start", Double(startRSS) / 1024, "MiB", note: "first compile done, before any reload")
        report.add("reload", "\(label) daemon RSS steady", Double(steadyRSS) / 1024, "MiB", note: "after the timed reloads and the steady-state load")
        report.add("reload", "\(label) daemon peak RSS during reloads", Double(daemon.peakRSSKiB) / 1024, "MiB", note: "VmHWM, reset before the reloads under load")
        report.add("reload", "\(label) daemon RSS", Double(daemon.rssKiB) / 1024, "MiB", note: "after the reloads")
    }
}
