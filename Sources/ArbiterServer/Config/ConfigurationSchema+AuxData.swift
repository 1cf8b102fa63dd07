import ArbiterAuxData
import ArbiterYAML

extension ConfigurationSchema {
    /// `auxData.jwt` with Cerbos's keys and rules (`internal/auxdata/conf.go`): key sets need a
    /// unique `id` and exactly one of `local` (`file` or `data`, optionally `pem`) and `remote`
    /// (`url`, optional `refreshInterval`).
    static let auxData: ConfigurationSchema = .section([
        "jwt": .section([
            "keySets": .leaf { n, k, c, i in if let v = keySets(n, k, &i) { c.auxData.keySets = v } },
            "disableVerification": .leaf { n, k, c, i in if let v = bool(n, k, &i) { c.auxData.disableVerification = v } },
            "acceptableTimeSkew": .leaf { n, k, c, i in if let v = duration(n, k, &i) { c.auxData.acceptableTimeSkew = v } },
            "cacheSize": .leaf { n, k, c, i in if let v = int(n, k, &i) { c.auxData.cacheSize = v } },
        ]),
    ])

    static func keySets(_ n: YAMLNode, _ k: String, _ issues: inout [ConfigurationIssue]) -> [JWTKeySetConfiguration]? {
        guard case let .sequence(items) = n.kind else {
            issues.append(issue(n, k, "must be a list of key sets, got \(describe(n))"))
            return nil
        }
        var out: [JWTKeySetConfiguration] = []
        var ids: Set<String> = []
        for (index, item) in items.enumerated() {
            let key = "\(k)[\(index)]"
            guard let fields = members(item, key, allowed: ["id", "local", "remote", "insecure"], &issues) else { continue }
            guard let idNode = fields["id"], let id = string(idNode, key + ".id", &issues), !id.isEmpty else {
                if fields["id"] == nil { issues.append(issue(item, key + ".id", "is required")) }
                continue
            }
            guard ids.insert(id).inserted else {
                issues.append(issue(idNode, key + ".id", "duplicate keyset id '\(id)'"))
                continue
            }
            var optionalAlg = false
            var optionalKid = false
            if let insecure = fields["insecure"],
               let opts = members(insecure, key + ".insecure", allowed: ["optionalAlg", "optionalKid"], &issues) {
                optionalAlg = opts["optionalAlg"].flatMap { bool($0, key + ".insecure.optionalAlg", &issues) } ?? false
                optionalKid = opts["optionalKid"].flatMap { bool($0, key + ".insecure.optionalKid", &issues) } ?? false
            }
            switch (fields["local"], fields["remote"]) {
            case (nil, nil):
                issues.append(issue(item, key, "keyset '\(id)': should have one of `local` or `remote` defined"))
            case (.some, .some):
                issues.append(issue(item, key, "keyset '\(id)': only one of `local` or `remote` should be defined"))
            case let (local?, nil):
                if let source = localSource(local, key + ".local", id: id, &issues) {
                    out.append(JWTKeySetConfiguration(id: id, source: source, optionalAlg: optionalAlg, optionalKid: optionalKid))
                }
            case let (nil, remote?):
                if let source = remoteSource(remote, key + ".remote", id: id, &issues) {
                    out.append(JWTKeySetConfiguration(id: id, source: source, optionalAlg: optionalAlg, optionalKid: optionalKid))
                }
            }
        }
        return out
    }

    private static func localSource(_ n: YAMLNode, _ k: String, id: String,
                                     _ issues: inout [ConfigurationIssue]) -> JWTKeySetConfiguration.Source? {
        guard let fields = members(n, k, allowed: ["file", "data", "pem"], &issues) else { return nil }
        let pem = fields["pem"].flatMap { bool($0, k + ".pem", &issues) } ?? false
        let file = fields["file"].flatMap { string($0, k + ".file", &issues) } ?? ""
        let data = fields["data"].flatMap { string($0, k + ".data", &issues) } ?? ""
        switch (file.isEmpty, data.isEmpty) {
        case (true, true):
            issues.append(issue(n, k, "keyset '\(id)': at least one of 'local.data' or 'local.file' must be defined"))
            return nil
        case (false, false):
            issues.append(issue(n, k, "keyset '\(id)': only one of 'local.data' or 'local.file' must be defined"))
            return nil
        case (false, true):
            return .localFile(path: file, pem: pem)
        case (true, false):
            return .localData(base64: data, pem: pem)
        }
    }

    private static func remoteSource(_ n: YAMLNode, _ k: String, id: String,
                                      _ issues: inout [ConfigurationIssue]) -> JWTKeySetConfiguration.Source? {
        guard let fields = members(n, k, allowed: ["url", "refreshInterval"], &issues) else { return nil }
        let url = fields["url"].flatMap { string($0, k + ".url", &issues) } ?? ""
        if url.isEmpty {
            issues.append(issue(n, k + ".url", "keyset '\(id)': remote URL is empty"))
            return nil
        }
        guard url.hasPrefix("https://") || url.hasPrefix("http://") else {
            issues.append(issue(fields["url"] ?? n, k + ".url", "keyset '\(id)': must be an http:// or https:// URL, got \"\(url)\""))
            return nil
        }
        var interval: Duration?
        if let node = fields["refreshInterval"], let d = duration(node, k + ".refreshInterval", &issues) {
            interval = d > .zero ? d : nil
        }
        return .remote(url: url, refreshInterval: interval)
    }

    /// A mapping's members by name; unknown and duplicate keys are issues naming them.
    private static func members(_ n: YAMLNode, _ k: String, allowed: [String],
                                _ issues: inout [ConfigurationIssue]) -> [String: YAMLNode]? {
        guard case let .mapping(pairs) = n.kind else {
            issues.append(issue(n, k, "must be a mapping, got a \(n.kindName)"))
            return nil
        }
        var out: [String: YAMLNode] = [:]
        for pair in pairs {
            guard let name = pair.key.scalar?.value else {
                issues.append(issue(pair.key, k, "keys must be strings"))
                continue
            }
            guard allowed.contains(name) else {
                issues.append(issue(pair.key, k + "." + name, "unknown key; accepted here: \(allowed.sorted().joined(separator: ", "))"))
                continue
            }
            guard out.updateValue(pair.value, forKey: name) == nil else {
                issues.append(issue(pair.key, k + "." + name, "duplicate key"))
                continue
            }
        }
        return out
    }
}
