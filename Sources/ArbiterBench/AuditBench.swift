#if canImport(Glibc)
import Glibc
#endif
import ArbiterJSON
import CEL

/// Issue 18's speed goal: CheckResources over the socket with decision logs written to a file,
/// against the same daemon configuration with logging off, in the same run and interleaved
/// (`InterleavedDaemons`). Goal: p50 and throughput within 1.2×.
enum AuditBench {
    static func run(report: BenchReport, quick: Bool) throws {
        let work = try makeTemporaryDirectory("arbiter-bench-audit")
        defer { removeTree(work) }
        let generator = PolicyGenerator(kinds: 1000, policiesPerKind: 10)
        try generator.write(to: work + "/policies")
        let offDir = work + "/off", onDir = work + "/on"
        mkdir(offDir, 0o755)
        mkdir(onDir, 0o755)
        let off = try DaemonProcess(policies: work + "/policies", workDirectory: offDir)
        defer { off.stop() }
        let on = try DaemonProcess(policies: work + "/policies", workDirectory: onDir, auditFile: onDir + "/decisions.log")
        defer { on.stop() }
        let request = SyntheticRequests(count: 1, kinds: generator.kinds, scopes: generator.scopes, seed: 3).request(0)
        func payload(_ id: Int) throws -> [UInt8] {
            try JSONWriter.encode(.map(MapValue(stringKeyed: [
                ("jsonrpc", .string("2.0")), ("id", .int(Int64(id))), ("method", .string("CheckResources")), ("params", request),
            ])))
        }
        let configs: [(connections: Int, depth: Int, requests: Int)] = quick
            ? [(1, 1, 3000), (1, 16, 10_000)] : [(1, 1, 20_000), (1, 16, 40_000), (8, 16, 8000)]
        let repetitions = quick ? 3 : 5
        for config in configs {
            let figures = try InterleavedDaemons.measure(
                [("audit off", off.socketPath), ("audit on", on.socketPath)], connections: config.connections,
                depth: config.depth, requests: config.requests, repetitions: repetitions, frame: payload)
            let (offFigures, onFigures) = (figures[0], figures[1])
            let label = "\(config.connections)conn x depth \(config.depth)"
            for (name, f) in [("off", offFigures), ("on", onFigures)] {
                report.add("audit", "decision log \(name) \(label) p50", f.p50 / 1000, "µs")
                report.add("audit", "decision log \(name) \(label) throughput", f.throughput, "req/s")
            }
            report.add("audit", "on/off \(label) p50", onFigures.p50 / offFigures.p50, "x", note: "goal <= 1.2")
            report.add("audit", "off/on \(label) throughput", offFigures.throughput / onFigures.throughput, "x", note: "goal <= 1.2")
        }
    }
}
