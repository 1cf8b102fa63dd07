import ArbiterJSON
import CEL

/// Cerbos's HTTP API on the same daemon, policies and request as the JSON-RPC socket figures
/// (issue 16): `POST /api/check/resources` with the JSON-RPC request's `params` as the body,
/// over the daemon's HTTP Unix socket, keep-alive.
enum HTTPBench {
    static func run(report: BenchReport, daemon: DaemonProcess, params: [UInt8], actions: [String],
                    jsonRPCSingleP50: Double?, repetitions: Int, quick: Bool) throws {
        guard let path = daemon.httpSocketPath else { throw BenchFailure("the daemon was started without its HTTP socket") }
        let request = HTTPLoadGenerator.checkRequest(body: params)
        let answer = try HTTPLoadGenerator.roundTrip(path: path, request: request)
        guard answer.status == 200 else {
            throw BenchFailure("HTTP check answered \(answer.status): \(String(decoding: answer.body.prefix(300), as: UTF8.self))")
        }
        try checkResult(answer.body, actions: actions)
        report.add("socket", "http request size", Double(request.count), "bytes", note: "headers + the JSON-RPC params as body")
        let configs: [SocketBench.Config] = quick
            ? [.init(connections: 1, depth: 1, requestsPerConnection: 2000), .init(connections: 8, depth: 1, requestsPerConnection: 1000)]
            : [.init(connections: 1, depth: 1, requestsPerConnection: 20_000), .init(connections: 8, depth: 1, requestsPerConnection: 5000),
               .init(connections: 8, depth: 16, requestsPerConnection: 6000)]
        for config in configs {
            var p50: [Double] = [], p99: [Double] = [], rps: [Double] = []
            for _ in 0..<repetitions {
                _ = try HTTPLoadGenerator.run(path: path, connections: config.connections, depth: config.depth,
                                              requestsPerConnection: max(200, config.requestsPerConnection / 10), request: request)
                let r = try HTTPLoadGenerator.run(path: path, connections: config.connections, depth: config.depth,
                                                  requestsPerConnection: config.requestsPerConnection, request: request)
                guard r.errors.isEmpty else { throw BenchFailure("http \(config.label): \(r.errors.joined(separator: "; "))") }
                let lat = LatencySummary(r.latencies)
                p50.append(lat.p50)
                p99.append(lat.p99)
                rps.append(r.throughput)
            }
            report.add("socket", "http \(config.label) p50", median(p50) / 1000, "µs", note: "load \(loadAverage())")
            report.add("socket", "http \(config.label) p99", median(p99) / 1000, "µs")
            report.add("socket", "http \(config.label) throughput", median(rps), "req/s", note: "\(actions.count) action-decisions per request")
            if config.connections == 1, config.depth == 1, let jsonRPC = jsonRPCSingleP50 {
                report.add("socket", "http/json-rpc 1conn x depth 1 p50", median(p50) / jsonRPC, "x", note: "goal <= 1.3")
            }
        }
    }

    /// Fails unless the body is a CheckResources response deciding every action.
    static func checkResult(_ body: [UInt8], actions: [String]) throws {
        let text = String(decoding: body.prefix(400), as: UTF8.self)
        guard case let .map(result) = try JSONReader.parse(body), case let .list(results)? = result[string: "results"],
              case let .map(first)? = results.first, case let .map(decided)? = first[string: "actions"] else {
            throw BenchFailure("HTTP check answered without results: \(text)")
        }
        for action in actions {
            guard case let .string(effect)? = decided[string: action], effect.hasPrefix("EFFECT_") else {
                throw BenchFailure("HTTP check did not decide \(action): \(text)")
            }
        }
    }
}
