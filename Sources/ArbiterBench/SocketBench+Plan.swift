import ArbiterJSON
import CEL
import OrderedCollections

extension SocketBench {
    /// PlanResources over the JSON-RPC socket (issue 14): the plan of the socket bench's request
    /// (its principal, kind and first action) on one connection at depth 1, beside an echo
    /// server answering frames of the plan response's size, in the same run.
    static func measurePlan(report: BenchReport, daemon: DaemonProcess, request: Value, work: String, quick: Bool) throws {
        guard case let .map(check) = request, let principal = check.storage[.string("principal")],
              case let .list(resources)? = check.storage[.string("resources")], case let .map(entry)? = resources.first,
              case let .map(resource)? = entry.storage[.string("resource")],
              case let .list(actions)? = entry.storage[.string("actions")], let action = actions.first else {
            throw BenchFailure("plan over the socket: the socket bench's request has an unexpected shape")
        }
        let planResource = ["kind", "policyVersion", "scope"].compactMap { key in resource.storage[.string(key)].map { (key, $0) } }
        let params = Value.map(MapValue(stringKeyed: [
            ("requestId", .string("plan")), ("action", action), ("principal", principal),
            ("resource", .map(MapValue(stringKeyed: planResource))),
        ]))
        func payload(_ id: Int) throws -> [UInt8] {
            try JSONWriter.encode(.map(MapValue(stringKeyed: [
                ("jsonrpc", .string("2.0")), ("id", .int(Int64(id))), ("method", .string("PlanResources")), ("params", params),
            ])))
        }
        let response = try LoadGenerator.roundTrip(path: daemon.socketPath, payload: try payload(0))
        let text = String(decoding: response, as: UTF8.self)
        guard text.contains("\"filter\"") else { throw BenchFailure("plan over the socket: no filter in \(text.prefix(300))") }
        let echo = try EchoServer(path: work + "/echo-plan.sock", responseSize: response.count)
        defer { echo.stop() }
        let requests = quick ? 2000 : 20_000
        var p50: [String: [Double]] = [:]
        for _ in 0..<(quick ? 1 : 3) {
            for (name, path) in [("echo", echo.path), ("arbiter", daemon.socketPath)] {
                _ = try LoadGenerator.run(path: path, connections: 1, depth: 1, requestsPerConnection: max(200, requests / 10), frame: payload)
                let r = try LoadGenerator.run(path: path, connections: 1, depth: 1, requestsPerConnection: requests, frame: payload)
                guard r.errors.isEmpty else { throw BenchFailure("plan \(name): \(r.errors.joined(separator: "; "))") }
                p50[name, default: []].append(LatencySummary(r.latencies).p50)
            }
        }
        let echoP50 = median(p50["echo"]!), arbiterP50 = median(p50["arbiter"]!)
        report.add("socket", "plan echo 1conn x depth 1 p50", echoP50 / 1000, "µs", note: "load \(loadAverage())")
        report.add("socket", "plan arbiter 1conn x depth 1 p50", arbiterP50 / 1000, "µs",
                   note: "\(response.count) bytes response, \(text.contains("KIND_CONDITIONAL") ? "conditional" : "constant") plan")
        report.add("socket", "plan arbiter/echo 1conn x depth 1 p50", arbiterP50 / echoP50, "x", note: "goal <= 1.5")
    }
}
