import ArbiterEngine
import ArbiterYAML
import CEL

/// The tree of accepted configuration keys and how each leaf is decoded.
indirect enum ConfigurationSchema: Sendable {
    typealias Setter = @Sendable (YAMLNode, String, inout ServerConfiguration, inout [ConfigurationIssue]) -> Void
    case section([String: ConfigurationSchema])
    case leaf(Setter)

    func apply(_ node: YAMLNode, key: String, to config: inout ServerConfiguration, issues: inout [ConfigurationIssue]) {
        switch self {
        case let .leaf(set):
            set(node, key, &config, &issues)
        case let .section(children):
            guard case let .mapping(pairs) = node.kind else {
                issues.append(Self.issue(node, key, "must be a mapping, got a \(node.kindName)"))
                return
            }
            var seen: Set<String> = []
            for pair in pairs {
                guard case let .scalar(k) = pair.key.kind else {
                    issues.append(Self.issue(pair.key, key, "keys must be strings"))
                    continue
                }
                let name = k.value
                let full = key.isEmpty ? name : key + "." + name
                guard seen.insert(name).inserted else {
                    issues.append(Self.issue(pair.key, full, "duplicate key"))
                    continue
                }
                guard let child = children[name] else {
                    let hint = Self.unsupportedCerbosKeys.contains(full)
                        ? "is a Cerbos setting that arbiter does not support"
                        : "unknown key; accepted here: \(children.keys.sorted().joined(separator: ", "))"
                    issues.append(Self.issue(pair.key, full, hint))
                    continue
                }
                child.apply(pair.value, key: full, to: &config, issues: &issues)
            }
        }
    }

    static func issue(_ node: YAMLNode, _ key: String, _ message: String) -> ConfigurationIssue {
        ConfigurationIssue(key: key, location: "\(node.file):\(node.line):\(node.column)", message: message)
    }

    static let unsupportedCerbosKeys: Set<String> = [
        "audit.kafka", "audit.hub", "audit.local", "telemetry", "hub", "compile",
        "server.adminAPI", "server.tls",
        "server.cors", "server.apiExplorerEnabled", "server.logRequestPayloads",
        "storage.git", "storage.blob", "storage.hub", "storage.mysql", "storage.postgres", "storage.sqlite3", "storage.overlay",
        "engine.celErrorLogLevel", "engine.policyLoaderTimeout", "tracing.jaeger",
    ]

    static let root: ConfigurationSchema = .section([
        "auxData": auxData,
        "audit": audit,
        "tracing": tracing,
        "storage": .section([
            "driver": .leaf { n, k, _, issues in
                guard let s = string(n, k, &issues) else { return }
                if s != "disk" { issues.append(issue(n, k, "only \"disk\" is supported, got \"\(s)\"")) }
            },
            "disk": .section([
                "directory": .leaf { n, k, c, i in if let v = string(n, k, &i) { c.policyDirectory = v } },
                "watchForChanges": .leaf { n, k, c, i in if let v = bool(n, k, &i) { c.watchForChanges = v } },
                "reloadDebounce": .leaf { n, k, c, i in if let v = duration(n, k, &i) { c.reloadDebounce = v } },
                "reloadMaxDelay": .leaf { n, k, c, i in if let v = duration(n, k, &i) { c.reloadMaxDelay = v } },
                "startWithoutPolicies": .leaf { n, k, c, i in if let v = bool(n, k, &i) { c.startWithoutPolicies = v } },
                "requireTestsPass": .leaf { n, k, c, i in if let v = bool(n, k, &i) { c.requireTestsPass = v } },
            ]),
        ]),
        "engine": .section([
            "defaultPolicyVersion": .leaf { n, k, c, i in if let v = string(n, k, &i) { c.defaultPolicyVersion = v } },
            "defaultScope": .leaf { n, k, c, i in if let v = string(n, k, &i) { c.defaultScope = v } },
            "lenientScopeSearch": .leaf { n, k, c, i in if let v = bool(n, k, &i) { c.lenientScopeSearch = v } },
            "strictEvaluation": .leaf { n, k, c, i in if let v = bool(n, k, &i) { c.strictEvaluation = v } },
            "celLimits": .section([
                "costLimit": .leaf { n, k, c, i in if let v = int(n, k, &i) { c.celLimits.costLimit = v } },
                "maxListSize": .leaf { n, k, c, i in if let v = int(n, k, &i) { c.celLimits.maxListSize = v } },
                "maxStringSize": .leaf { n, k, c, i in if let v = int(n, k, &i) { c.celLimits.maxStringSize = v } },
                "maxRegexInputSize": .leaf { n, k, c, i in if let v = int(n, k, &i) { c.celLimits.maxRegexInputSize = v } },
                "requestCostLimit": .leaf { n, k, c, i in if let v = int(n, k, &i) { c.celLimits.requestCostLimit = v } },
            ]),
            "globals": .leaf { n, k, c, i in
                guard case let .mapping(pairs) = n.kind else { i.append(issue(n, k, "must be a mapping")); return }
                for p in pairs {
                    guard let name = p.key.scalar?.value else { i.append(issue(p.key, k, "keys must be strings")); continue }
                    c.globals[name] = value(p.value)
                }
            },
        ]),
        "server": .section(metricsKeys.merging([
            "requestLimits": .section([
                "maxActionsPerResource": .leaf { n, k, c, i in if let v = int(n, k, &i) { c.maxActionsPerResource = v } },
                "maxResourcesPerRequest": .leaf { n, k, c, i in if let v = int(n, k, &i) { c.maxResourcesPerRequest = v } },
                "maxRolesPerPrincipal": .leaf { n, k, c, i in if let v = int(n, k, &i) { c.maxRolesPerPrincipal = v } },
                "maxJSONValues": .leaf { n, k, c, i in if let v = int(n, k, &i) { c.requestLimits.maxJSONValues = v } },
                "maxStringLength": .leaf { n, k, c, i in if let v = int(n, k, &i) { c.requestLimits.maxStringLength = v } },
            ]),
            "socket": .section([
                "path": .leaf { n, k, c, i in if let v = string(n, k, &i) { c.socketPath = v } },
                "mode": .leaf { n, k, c, i in if let v = mode(n, k, &i) { c.socketMode = v } },
                "group": .leaf { n, k, c, i in if let v = string(n, k, &i) { c.socketGroup = v } },
                "allowedUids": .leaf { n, k, c, i in if let v = idList(n, k, &i) { c.allowedUIDs = v } },
                "allowedGids": .leaf { n, k, c, i in if let v = idList(n, k, &i) { c.allowedGIDs = v } },
            ]),
            "maxFrameSize": .leaf { n, k, c, i in if let v = int(n, k, &i) { c.maxFrameSize = v } },
            "frameTimeout": .leaf { n, k, c, i in if let v = duration(n, k, &i) { c.frameTimeout = v } },
            "shutdownGracePeriod": .leaf { n, k, c, i in if let v = duration(n, k, &i) { c.shutdownGracePeriod = v } },
            "maxJSONDepth": .leaf { n, k, c, i in if let v = int(n, k, &i) { c.maxJSONDepth = v } },
            "httpListenAddr": .leaf { n, k, c, i in if let v = string(n, k, &i) { c.httpListenAddress = v } },
            "udsFileMode": .leaf { n, k, c, i in if let v = mode(n, k, &i) { c.httpSocketMode = v } },
            "grpcListenAddr": .leaf { n, k, c, i in if let v = string(n, k, &i) { c.grpcListenAddress = v } },
            "advanced": .section([
                "grpc": .section([
                    "maxRecvMsgSizeBytes": .leaf { n, k, c, i in if let v = int(n, k, &i) { c.grpcMaxRecvMessageSize = v } },
                ]),
                "http": .section([
                    "readTimeout": .leaf { n, k, c, i in if let v = duration(n, k, &i) { c.httpReadTimeout = v } },
                    "readHeaderTimeout": .leaf { n, k, c, i in if let v = duration(n, k, &i) { c.httpReadHeaderTimeout = v } },
                    "writeTimeout": .leaf { n, k, c, i in if let v = duration(n, k, &i) { c.httpWriteTimeout = v } },
                    "idleTimeout": .leaf { n, k, c, i in if let v = duration(n, k, &i) { c.httpIdleTimeout = v } },
                ]),
            ]),
            "log": .section([
                "format": .leaf { n, k, c, i in
                    guard let v = string(n, k, &i) else { return }
                    guard let format = ServerConfiguration.LogFormat(rawValue: v) else {
                        i.append(issue(n, k, "must be text or json, got \"\(v)\""))
                        return
                    }
                    c.logFormat = format
                },
                "level": .leaf { n, k, c, i in if let v = string(n, k, &i) { c.logLevel = v } },
            ]),
        ]) { a, _ in a }),
        "schema": .section([
            "enforcement": .leaf { n, k, c, i in
                guard let s = string(n, k, &i) else { return }
                guard let v = SchemaEnforcement(rawValue: s) else {
                    i.append(issue(n, k, "must be one of none, warn, reject; got \"\(s)\""))
                    return
                }
                c.schemaEnforcement = v
            },
            "cacheSize": .leaf { n, k, c, i in
                guard let v = int(n, k, &i) else { return }
                guard v >= 0 else { i.append(issue(n, k, "must not be negative, got \(v)")); return }
                c.schemaCacheSize = v
            },
        ]),
    ])
}
