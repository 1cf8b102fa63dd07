import ArbiterYAML

/// The metrics and tracing keys: `server.metricsEnabled` and `server.metricsListenAddr`, and the
/// `tracing` section (Cerbos's names).
extension ConfigurationSchema {
    static let metricsKeys: [String: ConfigurationSchema] = [
        "metricsEnabled": .leaf { n, k, c, i in if let v = bool(n, k, &i) { c.metricsEnabled = v } },
        "metricsListenAddr": .leaf { n, k, c, i in if let v = string(n, k, &i) { c.metricsListenAddress = v } },
    ]

    /// A number (integer or float).
    static func double(_ n: YAMLNode, _ k: String, _ issues: inout [ConfigurationIssue]) -> Double? {
        if case let .scalar(s) = n.kind {
            switch s.resolved {
            case let .int(v): return Double(v)
            case let .double(v): return v
            default: break
            }
        }
        issues.append(issue(n, k, "must be a number, got \(describe(n))"))
        return nil
    }

    static let tracing: ConfigurationSchema = .section([
        "exporter": .leaf { n, k, c, i in
            guard let v = string(n, k, &i) else { return }
            guard let exporter = TracingConfiguration.Exporter(rawValue: v) else {
                i.append(issue(n, k, "must be otlp (Cerbos's jaeger exporter is not supported), got \"\(v)\""))
                return
            }
            guard TracingConfiguration.exporterBuiltIn else {
                i.append(issue(n, k, "otlp needs arbiter built with the OTLP package trait (swift build --traits OTLP); this build exports no traces"))
                return
            }
            c.tracing.exporter = exporter
        },
        "sampleProbability": .leaf { n, k, c, i in
            guard let v = double(n, k, &i) else { return }
            if !(0...1).contains(v) { i.append(issue(n, k, "must be between 0 and 1, got \(v)")) } else { c.tracing.sampleProbability = v }
        },
        "serviceName": .leaf { n, k, c, i in
            guard let v = string(n, k, &i) else { return }
            if v.isEmpty { i.append(issue(n, k, "must not be empty")) } else { c.tracing.serviceName = v }
        },
        "otlp": .section([
            "collectorEndpoint": .leaf { n, k, c, i in
                guard let v = string(n, k, &i) else { return }
                if let problem = TracingConfiguration.collectorEndpointProblem(v) { i.append(issue(n, k, problem)) } else { c.tracing.collectorEndpoint = v }
            },
        ]),
    ])
}

extension ServerConfiguration {
    /// Problems with the metrics keys: `server.metricsListenAddr` must parse and be local (a
    /// Unix socket or loopback), since the metrics name policies and peers.
    func metricsIssues() -> [ConfigurationIssue] {
        guard let metricsListenAddress else { return [] }
        let address: HTTPListenAddress
        do {
            address = try HTTPListenAddress(parsing: metricsListenAddress)
        } catch {
            return [.init(key: "server.metricsListenAddr", message: error.message)]
        }
        guard address.isLocal else {
            return [.init(key: "server.metricsListenAddr",
                          message: "\"\(metricsListenAddress)\" is not local; use unix:/absolute/path or a loopback address such as 127.0.0.1:3594")]
        }
        return []
    }
}
