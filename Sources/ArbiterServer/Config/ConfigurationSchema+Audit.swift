import ArbiterYAML

/// The `audit` keys (Cerbos's names; `bufferSize` is Arbiter's). Cerbos's `local`, `kafka`
/// and `hub` backends are refused by name so an operator sees why.
extension ConfigurationSchema {
    static let audit: ConfigurationSchema = .section([
        "enabled": .leaf { n, k, c, i in if let v = bool(n, k, &i) { c.audit.enabled = v } },
        "accessLogsEnabled": .leaf { n, k, c, i in if let v = bool(n, k, &i) { c.audit.accessLogsEnabled = v } },
        "decisionLogsEnabled": .leaf { n, k, c, i in if let v = bool(n, k, &i) { c.audit.decisionLogsEnabled = v } },
        "bufferSize": .leaf { n, k, c, i in
            guard let v = int(n, k, &i) else { return }
            if v < 1 { i.append(issue(n, k, "must be at least 1")) } else { c.audit.bufferSize = v }
        },
        "backend": .leaf { n, k, c, i in
            guard let v = string(n, k, &i) else { return }
            guard let backend = AuditConfiguration.Backend(rawValue: v) else {
                i.append(issue(n, k, "must be file or stdout (Cerbos's local, kafka and hub backends are not supported), got \"\(v)\""))
                return
            }
            c.audit.backend = backend
        },
        "file": .section([
            "path": .leaf { n, k, c, i in if let v = string(n, k, &i) { c.audit.filePath = v } },
            "logRotation": .section([
                "maxFileSizeMB": .leaf { n, k, c, i in
                    guard let v = int(n, k, &i) else { return }
                    if v < 1 || v > 1 << 20 { i.append(issue(n, k, "must be between 1 and \(1 << 20)")) } else { c.audit.maxFileSizeMB = v }
                },
                "maxFileCount": .leaf { n, k, c, i in
                    guard let v = int(n, k, &i) else { return }
                    if v < 0 || v > 10_000 { i.append(issue(n, k, "must be between 0 and 10000")) } else { c.audit.maxFileCount = v }
                },
            ]),
        ]),
        "decisionLogFilters": .section([
            "checkResources": .section([
                "ignoreAllowAll": .leaf { n, k, c, i in if let v = bool(n, k, &i) { c.audit.ignoreAllowAll = v } },
            ]),
            "planResources": .section([
                "ignoreAll": .leaf { n, k, c, i in if let v = bool(n, k, &i) { c.audit.planIgnoreAll = v } },
                "ignoreAlwaysAllow": .leaf { n, k, c, i in if let v = bool(n, k, &i) { c.audit.planIgnoreAlwaysAllow = v } },
            ]),
        ]),
        "includeMetadataKeys": .leaf { n, k, c, i in if let v = stringList(n, k, &i) { c.audit.includeMetadataKeys = v } },
        "excludeMetadataKeys": .leaf { n, k, c, i in if let v = stringList(n, k, &i) { c.audit.excludeMetadataKeys = v } },
    ])

    static func stringList(_ n: YAMLNode, _ k: String, _ issues: inout [ConfigurationIssue]) -> [String]? {
        guard case let .sequence(items) = n.kind else {
            issues.append(issue(n, k, "must be a list of strings"))
            return nil
        }
        var result: [String] = []
        for item in items {
            guard case let .scalar(s) = item.kind else {
                issues.append(issue(item, k, "must be a list of strings, got \(describe(item))"))
                return nil
            }
            result.append(s.value)
        }
        return result
    }
}
