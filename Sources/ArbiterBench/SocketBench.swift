import ArbiterEngine
import ArbiterJSON
import ArbiterPolicy
import ArbiterServer
import CEL
import Logging

/// Over the socket (issues 7 §3 and 8): our load generator against a real `arbiter serve`
/// child process on the generated 10k policy set, next to the floor — a minimal length-prefixed
/// echo server over a Unix socket with the same request and response frame sizes — in the
/// same run. Configurations are N connections × pipelining depth.
enum SocketBench {
    struct Config {
        var connections: Int
        var depth: Int
        var requestsPerConnection: Int
        var label: String { "\(connections)conn x depth \(depth)" }
    }

    static func run(report: BenchReport, quick: Bool) throws {
        let work = try makeTemporaryDirectory("arbiter-bench-socket")
        defer { removeTree(work) }
        // The generated 10k set: the conformance store needs Cerbos CEL functions (inIPAddrRange,
        // ...) that the daemon's checked compile does not declare yet, so the daemon refuses it.
        let generator = PolicyGenerator(kinds: 1000, policiesPerKind: 10)
        try generator.write(to: work + "/policies")
        let daemon = try DaemonProcess(policies: work + "/policies", workDirectory: work, http: true)
        defer { daemon.stop() }
        let synthetic = SyntheticRequests(count: 1, kinds: generator.kinds, scopes: generator.scopes, seed: 3)
        let request = synthetic.request(0)
        let actions = SyntheticRequests.actions
        func payload(_ id: Int) throws -> [UInt8] {
            try JSONWriter.encode(.map(MapValue(stringKeyed: [
                ("jsonrpc", .string("2.0")), ("id", .int(Int64(id))), ("method", .string("CheckResources")), ("params", request),
            ])))
        }
        let requestSize = try payload(0).count
        let response = try LoadGenerator.roundTrip(path: daemon.socketPath, payload: try payload(0))
        try checkResponse(response, actions: actions)
        let echo = try EchoServer(path: work + "/echo.sock", responseSize: response.count)
        defer { echo.stop() }
        report.add("socket", "frame sizes", Double(requestSize), "bytes request", note: "\(response.count) bytes response")
        // The same request with `params` before `method`: the dispatcher's decoded path leaves
        // it to the `Value` path (parse, then decode), so both paths can be timed side by side.
        let valuePathPayload = try JSONWriter.encode(.map(MapValue(stringKeyed: [
            ("jsonrpc", .string("2.0")), ("id", .int(0)), ("params", request), ("method", .string("CheckResources")),
        ])))
        try measureInProcess(report: report, policies: work + "/policies", payload: try payload(0),
                             valuePathPayload: valuePathPayload, quick: quick)

        let configs: [Config] = quick
            ? [Config(connections: 1, depth: 1, requestsPerConnection: 2000), Config(connections: 1, depth: 16, requestsPerConnection: 5000),
               Config(connections: 8, depth: 16, requestsPerConnection: 1000)]
            : [Config(connections: 1, depth: 1, requestsPerConnection: 20_000), Config(connections: 1, depth: 16, requestsPerConnection: 30_000),
               Config(connections: 8, depth: 1, requestsPerConnection: 5000), Config(connections: 8, depth: 16, requestsPerConnection: 6000)]
        let repetitions = quick ? 1 : 3
        var jsonRPCSingleP50: Double?
        for config in configs {
            var figures: [String: [String: [Double]]] = ["echo": [:], "arbiter": [:]]
            for _ in 0..<repetitions {
                for (name, path) in [("echo", echo.path), ("arbiter", daemon.socketPath)] {
                    // Warm-up: connections, caches, the daemon's allocator.
                    _ = try LoadGenerator.run(path: path, connections: config.connections, depth: config.depth,
                                              requestsPerConnection: max(200, config.requestsPerConnection / 10), frame: payload)
                    let r = try LoadGenerator.run(path: path, connections: config.connections, depth: config.depth,
                                                  requestsPerConnection: config.requestsPerConnection, frame: payload)
                    guard r.errors.isEmpty else { throw BenchFailure("\(name) \(config.label): \(r.errors.joined(separator: "; "))") }
                    let lat = LatencySummary(r.latencies)
                    figures[name]!["p50", default: []].append(lat.p50)
                    figures[name]!["p99", default: []].append(lat.p99)
                    figures[name]!["p999", default: []].append(lat.p999)
                    figures[name]!["rps", default: []].append(r.throughput)
                }
            }
            // The load beside every wall-clock figure: on a shared machine it says how to read them.
            let load = loadAverage()
            for name in ["echo", "arbiter"] {
                let f = figures[name]!
                report.add("socket", "\(name) \(config.label) p50", median(f["p50"]!) / 1000, "µs", note: "load \(load)")
                report.add("socket", "\(name) \(config.label) p99", median(f["p99"]!) / 1000, "µs")
                report.add("socket", "\(name) \(config.label) p999", median(f["p999"]!) / 1000, "µs")
                report.add("socket", "\(name) \(config.label) throughput", median(f["rps"]!), "req/s",
                           note: name == "arbiter" ? "\(actions.count) action-decisions per request" : "")
            }
            if config.connections == 1 && config.depth == 1 {
                jsonRPCSingleP50 = median(figures["arbiter"]!["p50"]!)
                // Issue 21.1: what the socket adds beyond the floor, against the in-process work.
                let added = (median(figures["arbiter"]!["p50"]!) - median(figures["echo"]!["p50"]!)) / 1000
                report.add("socket", "arbiter-echo 1conn x depth 1 p50", added, "µs", note: "what the socket path adds")
                if let inProcess = report.value("socket", "in-process RPCDispatcher.handle p50") {
                    report.add("socket", "(arbiter-echo) / in-process handle p50", added / inProcess, "x", note: "goal <= 1.5")
                }
            }
            let p50Ratio = median(figures["arbiter"]!["p50"]!) / median(figures["echo"]!["p50"]!)
            report.add("socket", "arbiter/echo \(config.label) p50", p50Ratio, "x", note: config.depth == 1 && config.connections == 1 ? "goal <= 1.5" : "")
            report.add("socket", "echo/arbiter \(config.label) throughput", median(figures["echo"]!["rps"]!) / median(figures["arbiter"]!["rps"]!), "x")
            if config.depth > 1 {
                report.add("socket", "arbiter/echo \(config.label) throughput", 100 * median(figures["arbiter"]!["rps"]!) / median(figures["echo"]!["rps"]!),
                           "%", note: config.connections == 1 ? "goal >= 40" : "goal >= 50")
            }
        }
        try measurePlan(report: report, daemon: daemon, request: request, work: work, quick: quick)
        try HTTPBench.run(report: report, daemon: daemon, params: try JSONWriter.encode(request), actions: actions,
                          jsonRPCSingleP50: jsonRPCSingleP50, repetitions: repetitions, quick: quick)
        try GRPCBench.run(report: report, socketPath: daemon.grpcSocketPath, request: request, actions: actions, quick: quick,
                          jsonRPCp50Micros: jsonRPCSingleP50.map { $0 / 1000 })
        report.add("socket", "daemon RSS after runs", Double(daemon.rssKiB) / 1024, "MiB", note: "10k generated set")
    }

    /// The daemon's dispatcher over the policies in `policies`, compiled in this process, with
    /// logging silenced.
    static func inProcessDispatcher(policies: String, metrics: DecisionMetrics? = nil) throws -> RPCDispatcher<EngineDecisionService> {
        let compiled = PolicyCompiler(expressionCompiler: CELExpressionCompiler()).compile(PolicyLoader.load(directory: policies))
        guard let set = compiled.policySet else { throw BenchFailure("generated policies do not compile in process") }
        let store = PolicyStore<Engine>()
        store.publish(Engine(policySet: set), policyCount: 0, record: ReloadRecord(
            time: Timestamp(seconds: 0), outcome: .success, diagnostics: [], durationMilliseconds: 0, trigger: "bench"))
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        return RPCDispatcher(service: EngineDecisionService(metrics: metrics), store: store,
                             identity: ServerIdentity(version: "bench", build: "bench"), logger: logger)
    }

    /// The daemon's work for one frame without the socket: `RPCDispatcher.handle` (parse,
    /// decode, decide, encode) on the same policies and payload, so the socket figures can be
    /// split into transport, JSON and engine.
    static func measureInProcess(report: BenchReport, policies: String, payload: [UInt8], valuePathPayload: [UInt8],
                                 quick: Bool) throws {
        let dispatcher = try inProcessDispatcher(policies: policies)
        let n = quick ? 5000 : 50_000
        // The two paths in alternating blocks of 1000, so both see the same machine load.
        var samples: [UInt64] = []
        var valuePathSamples: [UInt64] = []
        samples.reserveCapacity(n)
        valuePathSamples.reserveCapacity(n)
        var bytes = 0
        // One writer reused for every frame, as the connection handler does.
        var w = JSONWriter(capacity: 1024)
        for i in 0..<(2 * (n + n / 10)) {
            let valuePath = (i / 1000) % 2 == 1
            w.bytes.removeAll(keepingCapacity: true)
            let t0 = monotonicNanos()
            (valuePath ? valuePathPayload : payload).withUnsafeBytes { _ = dispatcher.handle($0, into: &w) }
            let t1 = monotonicNanos()
            bytes &+= w.bytes.count
            if i >= n / 5 {
                if valuePath { valuePathSamples.append(t1 - t0) } else { samples.append(t1 - t0) }
            }
        }
        guard bytes > 0 else { throw BenchFailure("in-process dispatcher returned nothing") }
        let lat = LatencySummary(samples)
        report.add("socket", "in-process RPCDispatcher.handle p50", lat.p50 / 1000, "µs",
                   note: "decode from bytes + decide + encode, no socket")
        report.add("socket", "in-process RPCDispatcher.handle, Value path p50", LatencySummary(valuePathSamples).p50 / 1000, "µs",
                   note: "params before method: parse + decode + decide + encode")
        // The same call with the core's L1 and L2 caches (2 MiB here) evicted before each
        // request, as happens to a daemon between requests on a shared machine: the hot loop
        // above is the floor of the in-process cost, this its cold-cache ceiling.
        var evict = [UInt8](repeating: 0, count: 4 << 20)
        var cold: [UInt64] = []
        for i in 0..<(n / 10) {
            evict.withUnsafeMutableBytes { raw in
                var j = i & 63
                while j < raw.count { raw[j] &+= 1; j += 64 }
            }
            w.bytes.removeAll(keepingCapacity: true)
            let t0 = monotonicNanos()
            payload.withUnsafeBytes { _ = dispatcher.handle($0, into: &w) }
            cold.append(monotonicNanos() - t0)
        }
        report.add("socket", "in-process RPCDispatcher.handle, caches evicted p50", LatencySummary(cold).p50 / 1000, "µs",
                   note: "4 MiB written between requests")
        var parse: [UInt64] = []
        for _ in 0..<n {
            let t0 = monotonicNanos()
            let v = try JSONReader.parse(payload)
            let t1 = monotonicNanos()
            if case .null = v { throw BenchFailure("unexpected null") }
            parse.append(t1 - t0)
        }
        report.add("socket", "in-process JSON parse of the request p50", LatencySummary(parse).p50 / 1000, "µs")

        // The stages of handle() one by one, on the parsed params.
        guard case let .map(envelope) = try JSONReader.parse(payload), let params = envelope[string: "params"] else {
            throw BenchFailure("payload without params")
        }
        guard let engine = dispatcher.store.snapshot() else { throw BenchFailure("no snapshot") }
        let request = try CheckResourcesRequest(from: params)
        let response = try engine.checkResources(request)
        let value = response.toValue()
        func stage(_ name: String, _ body: () throws -> Int) throws {
            var samples: [UInt64] = []
            samples.reserveCapacity(n)
            var sink = 0
            for _ in 0..<n {
                let t0 = monotonicNanos()
                sink &+= try body()
                samples.append(monotonicNanos() - t0)
            }
            guard sink != 0 else { throw BenchFailure("\(name) produced nothing") }
            report.add("socket", "in-process \(name) p50", LatencySummary(samples).p50 / 1000, "µs")
        }
        try stage("CheckResourcesRequest(from:) decode") { try CheckResourcesRequest(from: params).resources.count }
        let paramsBytes = try JSONWriter.encode(params)
        try stage("CheckResourcesRequest(json:) decode from bytes (replaces parse + decode)") {
            try paramsBytes.withUnsafeBytes { raw in
                var c = JSONCursor(raw)
                guard let r = CheckResourcesRequest(json: &c) else { throw BenchFailure("params not decoded from bytes") }
                return r.resources.count
            }
        }
        try stage("Engine.checkResources") { try engine.checkResources(request).results.count }
        try stage("response toValue") { if case let .map(m) = response.toValue() { return m.count } else { return 0 } }
        try stage("JSONWriter encode of the result") { try JSONWriter.encode(value).count }
        try stage("response encodeJSON (direct, replaces toValue + encode)") { try response.encodeJSON().count }
    }

    /// `--loop-dispatch N`: `RPCDispatcher.handle` on the socket bench's frame N times over the
    /// generated policies, into one reused writer as the connection handler does, for
    /// `perf record` of the whole in-process path.
    static func loopDispatch(_ n: Int) throws {
        try withGeneratedPolicies("arbiter-bench-dispatch") { policies, request, payload in
            try loopDispatch(n, policies: policies, request: request, payload: payload)
        }
    }

    /// Runs `body` with the generated 10k-policy tree written to a temporary directory (removed
    /// after), the bench's CheckResources params, and its JSON-RPC frame.
    static func withGeneratedPolicies(_ name: String, _ body: (_ policies: String, _ request: Value, _ payload: [UInt8]) throws -> Void) throws {
        let work = try makeTemporaryDirectory(name)
        defer { removeTree(work) }
        let generator = PolicyGenerator(kinds: 1000, policiesPerKind: 10)
        try generator.write(to: work + "/policies")
        let request = SyntheticRequests(count: 1, kinds: generator.kinds, scopes: generator.scopes, seed: 3).request(0)
        let payload = try JSONWriter.encode(.map(MapValue(stringKeyed: [
            ("jsonrpc", .string("2.0")), ("id", .int(0)), ("method", .string("CheckResources")), ("params", request),
        ])))
        try body(work + "/policies", request, payload)
    }

    private static func loopDispatch(_ n: Int, policies: String, request: Value, payload: [UInt8]) throws {
        let dispatcher = try inProcessDispatcher(policies: policies)
        // The same request with `params` before `method`, which the decoded path leaves to the
        // `Value` path (parse, then decode): the two paths timed in alternating blocks.
        let valuePathPayload = try JSONWriter.encode(.map(MapValue(stringKeyed: [
            ("jsonrpc", .string("2.0")), ("id", .int(0)), ("params", request), ("method", .string("CheckResources")),
        ])))
        var decodedSamples: [UInt64] = []
        var valueSamples: [UInt64] = []
        decodedSamples.reserveCapacity(n)
        valueSamples.reserveCapacity(n)
        var bytes = 0
        var w = JSONWriter(capacity: 1024)
        for i in 0..<n {
            let valuePath = (i / 1000) % 2 == 1
            w.bytes.removeAll(keepingCapacity: true)
            let t0 = monotonicNanos()
            (valuePath ? valuePathPayload : payload).withUnsafeBytes { _ = dispatcher.handle($0, into: &w) }
            bytes &+= w.bytes.count
            let t1 = monotonicNanos()
            if valuePath { valueSamples.append(t1 - t0) } else { decodedSamples.append(t1 - t0) }
        }
        print("RPCDispatcher.handle p50: decoded path \(LatencySummary(decodedSamples).p50 / 1000) µs, "
              + "Value path \(LatencySummary(valueSamples).p50 / 1000) µs (\(bytes) bytes)")
    }

    /// `--drive SOCKET N C D`: the socket bench's request, N per connection on C connections
    /// at depth D, against a daemon already running over the generated 10k set (or any socket
    /// that answers frames); prints p50 and throughput. The load is fixed, so a tool attached to
    /// the daemon (`strace -c`, callgrind) can divide what it counts by the number of requests.
    static func drive(path: String, requests: Int, connections: Int, depth: Int) throws {
        let generator = PolicyGenerator(kinds: 1000, policiesPerKind: 10)
        let request = SyntheticRequests(count: 1, kinds: generator.kinds, scopes: generator.scopes, seed: 3).request(0)
        let r = try LoadGenerator.run(path: path, connections: connections, depth: depth, requestsPerConnection: requests) { id in
            try JSONWriter.encode(.map(MapValue(stringKeyed: [
                ("jsonrpc", .string("2.0")), ("id", .int(Int64(id))), ("method", .string("CheckResources")), ("params", request),
            ])))
        }
        guard r.errors.isEmpty else { throw BenchFailure(r.errors.joined(separator: "; ")) }
        print("\(r.requests) requests: p50 \(fmt(LatencySummary(r.latencies).p50 / 1000, 2)) µs, \(fmt(r.throughput, 0)) req/s, load \(loadAverage())")
    }

    /// `--loop-wire N`: the request side of `RPCDispatcher.handle` (parse, decode) N times
    /// with no timing around it, so `perf record` sees only that work.
    static func loopWire(_ n: Int) throws {
        let generator = PolicyGenerator(kinds: 1000, policiesPerKind: 10)
        let request = SyntheticRequests(count: 1, kinds: generator.kinds, scopes: generator.scopes, seed: 3).request(0)
        let payload = try JSONWriter.encode(.map(MapValue(stringKeyed: [
            ("jsonrpc", .string("2.0")), ("id", .int(0)), ("method", .string("CheckResources")), ("params", request),
        ])))
        var sink = 0
        var parse: [UInt64] = []
        var decode: [UInt64] = []
        parse.reserveCapacity(n)
        decode.reserveCapacity(n)
        for _ in 0..<n {
            let t0 = monotonicNanos()
            guard case let .map(envelope) = try JSONReader.parse(payload), let params = envelope[string: "params"] else {
                throw BenchFailure("payload without params")
            }
            let t1 = monotonicNanos()
            sink &+= try CheckResourcesRequest(from: params).resources.count
            let t2 = monotonicNanos()
            parse.append(t1 - t0)
            decode.append(t2 - t1)
        }
        print("parse p50 \(LatencySummary(parse).p50 / 1000) µs, decode p50 \(LatencySummary(decode).p50 / 1000) µs")
        print("decoded \(sink) resources")
    }

    /// `--loop-wire-bytes N`: `RPCDispatcher.handle`'s request side on its decoded path
    /// (`CheckResourcesRequest(json:)` on the params' bytes) N times, for `perf record`.
    static func loopWireBytes(_ n: Int) throws {
        let generator = PolicyGenerator(kinds: 1000, policiesPerKind: 10)
        let request = SyntheticRequests(count: 1, kinds: generator.kinds, scopes: generator.scopes, seed: 3).request(0)
        let params = try JSONWriter.encode(request)
        var sink = 0
        var samples: [UInt64] = []
        samples.reserveCapacity(n)
        try params.withUnsafeBytes { raw in
            for _ in 0..<n {
                let t0 = monotonicNanos()
                var c = JSONCursor(raw)
                guard let r = CheckResourcesRequest(json: &c) else { throw BenchFailure("params not decoded from bytes") }
                sink &+= r.resources.count
                samples.append(monotonicNanos() - t0)
            }
        }
        print("decode from bytes p50 \(LatencySummary(samples).p50 / 1000) µs")
        print("decoded \(sink) resources")
    }

    /// Fails unless the response is a JSON-RPC result deciding every action.
    static func checkResponse(_ bytes: [UInt8], actions: [String]) throws {
        let text = String(decoding: bytes.prefix(400), as: UTF8.self)
        guard case let .map(envelope) = try JSONReader.parse(bytes), case let .map(result)? = envelope[string: "result"],
              case let .list(results)? = result[string: "results"], case let .map(first)? = results.first,
              case let .map(decided)? = first[string: "actions"] else {
            throw BenchFailure("daemon answered without results: \(text)")
        }
        for action in actions {
            guard case let .string(effect)? = decided[string: action], effect.hasPrefix("EFFECT_") else {
                throw BenchFailure("daemon did not decide \(action): \(text)")
            }
        }
    }
}
