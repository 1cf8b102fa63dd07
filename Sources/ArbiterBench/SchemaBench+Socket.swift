import ArbiterJSON
import CEL

/// What a client sees of schema enforcement (issue 15's 1.5× goal): the in-process rows time
/// the engine call alone, while a request over the socket also pays for reading, parsing,
/// decoding and answering it, which enforcement does not change. Two `arbiter serve` daemons
/// serve the bench policy and schema, one with `schema.enforcement: none` and one with
/// `reject`; they are driven interleaved in the same run (`InterleavedDaemons`).
extension SchemaBench {
    static func runSocket(report: BenchReport, quick: Bool) throws {
        let work = try makeTemporaryDirectory("arbiter-bench-schema")
        defer { removeTree(work) }
        try makeDirectories(work + "/policies/_schemas")
        try writeFile(work + "/policies/leave_request.yaml", policy)
        try writeFile(work + "/policies/_schemas/leave_request.json", schema)
        let modes = ["none", "reject"]
        var daemons: [String: DaemonProcess] = [:]
        defer { for daemon in daemons.values { daemon.stop() } }
        for mode in modes {
            try makeDirectories(work + "/" + mode)
            daemons[mode] = try DaemonProcess(policies: work + "/policies", workDirectory: work + "/" + mode, schemaEnforcement: mode)
        }
        let request = try JSONReader.parse(requestJSON)
        func payload(_ id: Int) throws -> [UInt8] {
            try JSONWriter.encode(.map(MapValue(stringKeyed: [
                ("jsonrpc", .string("2.0")), ("id", .int(Int64(id))), ("method", .string("CheckResources")), ("params", request),
            ])))
        }
        // Both must allow both actions with no validation errors: a resource that failed its
        // schema would be denied under `reject` and time a different path.
        for mode in modes {
            try checkAllowed(try LoadGenerator.roundTrip(path: daemons[mode]!.socketPath, payload: try payload(0)), mode: mode)
        }
        let configs: [(connections: Int, depth: Int, requests: Int)] = quick ? [(1, 1, 3000), (1, 16, 10_000)] : [(1, 1, 20_000), (1, 16, 40_000)]
        let repetitions = quick ? 3 : 5
        for config in configs {
            let figures = try InterleavedDaemons.measure(
                modes.map { ("schema socket " + $0, daemons[$0]!.socketPath) }, connections: config.connections, depth: config.depth,
                requests: config.requests, repetitions: repetitions, frame: payload)
            let label = "\(config.connections)conn x depth \(config.depth)"
            for (mode, f) in zip(modes, figures) {
                report.add("schema", "socket CheckResources, enforcement \(mode) \(label) p50", f.p50 / 1000, "µs")
                report.add("schema", "socket CheckResources, enforcement \(mode) \(label) throughput", f.throughput, "req/s")
            }
            let (none, reject) = (figures[0], figures[1])
            report.add("schema", "socket reject / none \(label) p50", reject.p50 / none.p50, "×", note: "goal ≤ 1.5×")
            report.add("schema", "socket none / reject \(label) throughput", none.throughput / reject.throughput, "×",
                       note: "goal ≤ 1.5×")
        }
    }

    /// Fails unless the JSON-RPC response allows every action of the bench request and reports
    /// no validation errors.
    private static func checkAllowed(_ bytes: [UInt8], mode: String) throws {
        let text = String(decoding: bytes.prefix(400), as: UTF8.self)
        guard case let .map(envelope) = try JSONReader.parse(bytes), case let .map(result)? = envelope[string: "result"],
              case let .list(results)? = result[string: "results"], case let .map(first)? = results.first,
              case let .map(decided)? = first[string: "actions"] else {
            throw BenchFailure("schema socket \(mode): daemon answered without results: \(text)")
        }
        for action in ["view", "approve"] {
            guard case .string("EFFECT_ALLOW")? = decided[string: action] else {
                throw BenchFailure("schema socket \(mode): \(action) not allowed: \(text)")
            }
        }
        if case let .list(errors)? = first[string: "validationErrors"], !errors.isEmpty {
            throw BenchFailure("schema socket \(mode): unexpected validation errors: \(text)")
        }
    }
}
