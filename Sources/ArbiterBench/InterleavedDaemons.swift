/// Two or more daemons of one configuration but for the setting under test, driven with the
/// same request in the same run: each repetition warms every daemon up and then measures it,
/// the order reversed every other repetition, so that the machine's load hits them alike.
/// The figures are the medians over the repetitions.
enum InterleavedDaemons {
    struct Figures {
        /// Median p50 latency, nanoseconds.
        var p50: Double
        /// Median requests per second.
        var throughput: Double
    }

    /// The figures of each daemon, in the order given, from `repetitions` runs of `requests`
    /// per connection each; `name` labels a daemon's errors.
    static func measure(_ daemons: [(name: String, socket: String)], connections: Int, depth: Int, requests: Int,
                        repetitions: Int, frame: (Int) throws -> [UInt8]) throws -> [Figures] {
        var p50: [String: [Double]] = [:], throughput: [String: [Double]] = [:]
        for repetition in 0..<repetitions {
            for daemon in repetition % 2 == 0 ? daemons : daemons.reversed() {
                _ = try LoadGenerator.run(path: daemon.socket, connections: connections, depth: depth,
                                          requestsPerConnection: max(200, requests / 10), frame: frame)
                let r = try LoadGenerator.run(path: daemon.socket, connections: connections, depth: depth,
                                              requestsPerConnection: requests, frame: frame)
                guard r.errors.isEmpty else { throw BenchFailure("\(daemon.name): \(r.errors.joined(separator: "; "))") }
                p50[daemon.name, default: []].append(LatencySummary(r.latencies).p50)
                throughput[daemon.name, default: []].append(r.throughput)
            }
        }
        return daemons.map { Figures(p50: median(p50[$0.name]!), throughput: median(throughput[$0.name]!)) }
    }
}
