#if canImport(Glibc)
import Glibc
#endif
import ArbiterYAML
import CEL

extension ServerConfiguration {
    /// Reads a YAML configuration file over the defaults.
    public static func load(file path: String) throws -> ServerConfiguration {
        guard let bytes = readWholeFile(path) else {
            throw ConfigurationError([ConfigurationIssue(key: "--config", message: "cannot read \(path): \(String(cString: strerror(errno)))")])
        }
        return try decode(yaml: bytes, file: path)
    }

    /// Decodes YAML bytes over the defaults; unknown keys and bad values are errors naming the key.
    public static func decode(yaml bytes: [UInt8], file: String) throws -> ServerConfiguration {
        let documents: [YAMLNode]
        do {
            documents = try YAMLParser.parse(bytes, file: file)
        } catch {
            throw ConfigurationError([ConfigurationIssue(key: "", location: "\(error.file):\(error.mark.line):\(error.mark.column)", message: error.message)])
        }
        var config = ServerConfiguration()
        var issues: [ConfigurationIssue] = []
        if documents.count > 1 {
            issues.append(ConfigurationIssue(key: "", location: "\(file):\(documents[1].line):\(documents[1].column)", message: "a configuration file holds one YAML document"))
        }
        if let root = documents.first {
            if case let .scalar(s) = root.kind, s.resolved == .null {
                // An empty file means "all defaults".
            } else {
                ConfigurationSchema.root.apply(root, key: "", to: &config, issues: &issues)
            }
        }
        issues.append(contentsOf: config.validate())
        if !issues.isEmpty { throw ConfigurationError(issues) }
        return config
    }

    /// Checks ranges and consistency of values however they were set (file or flags).
    public func validate() -> [ConfigurationIssue] {
        var issues: [ConfigurationIssue] = []
        if policyDirectory.isEmpty { issues.append(.init(key: "storage.disk.directory", message: "must not be empty")) }
        if defaultPolicyVersion.isEmpty { issues.append(.init(key: "engine.defaultPolicyVersion", message: "must not be empty")) }
        if !(1...500).contains(maxActionsPerResource) {
            issues.append(.init(key: "server.requestLimits.maxActionsPerResource", message: "must be between 1 and 500, got \(maxActionsPerResource)"))
        }
        if !(1...500).contains(maxResourcesPerRequest) {
            issues.append(.init(key: "server.requestLimits.maxResourcesPerRequest", message: "must be between 1 and 500, got \(maxResourcesPerRequest)"))
        }
        if socketPath.isEmpty { issues.append(.init(key: "server.socket.path", message: "must not be empty")) }
        if socketPath.utf8.count >= 108 { issues.append(.init(key: "server.socket.path", message: "must be shorter than 108 bytes")) }
        if socketMode > 0o777 { issues.append(.init(key: "server.socket.mode", message: "must be an octal mode between 0 and 0777")) }
        if maxFrameSize < 1 || maxFrameSize > Int(UInt32.max) {
            issues.append(.init(key: "server.maxFrameSize", message: "must be between 1 and \(UInt32.max) bytes"))
        }
        if maxJSONDepth < 1 { issues.append(.init(key: "server.maxJSONDepth", message: "must be at least 1")) }
        if frameTimeout <= .zero { issues.append(.init(key: "server.frameTimeout", message: "must be positive")) }
        if shutdownGracePeriod < .zero { issues.append(.init(key: "server.shutdownGracePeriod", message: "must not be negative")) }
        if reloadDebounce < .zero { issues.append(.init(key: "storage.disk.reloadDebounce", message: "must not be negative")) }
        for (key, address) in [("server.httpListenAddr", httpListenAddress), ("server.grpcListenAddr", grpcListenAddress)] {
            guard let address else { continue }
            do {
                _ = try HTTPListenAddress(parsing: address)
            } catch {
                issues.append(.init(key: key, message: error.message))
            }
        }
        if grpcMaxRecvMessageSize < 1 || grpcMaxRecvMessageSize > Int(Int32.max) {
            issues.append(.init(key: "server.advanced.grpc.maxRecvMsgSizeBytes", message: "must be between 1 and \(Int32.max) bytes"))
        }
        for (key, value) in [("readTimeout", httpReadTimeout), ("readHeaderTimeout", httpReadHeaderTimeout),
                             ("writeTimeout", httpWriteTimeout), ("idleTimeout", httpIdleTimeout)] where value <= .zero {
            issues.append(.init(key: "server.advanced.http." + key, message: "must be positive"))
        }
        if reloadMaxDelay < reloadDebounce {
            issues.append(.init(key: "storage.disk.reloadMaxDelay", message: "must be at least storage.disk.reloadDebounce"))
        }
        return issues
    }

    static func readWholeFile(_ path: String) -> [UInt8]? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&chunk, 1, chunk.count, f)
            if n > 0 { result.append(contentsOf: chunk[0..<n]) }
            if n < chunk.count { break }
        }
        return ferror(f) == 0 ? result : nil
    }
}

extension ServerConfiguration {
    /// What `arbiter serve` does with its flags: the file (if any) over the defaults, then the
    /// flags over the file, then validation of the result.
    public static func resolve(configFile: String?, policyDirectory: String? = nil, socketPath: String? = nil) throws -> ServerConfiguration {
        var config = try configFile.map { try load(file: $0) } ?? ServerConfiguration()
        if let policyDirectory { config.policyDirectory = policyDirectory }
        if let socketPath { config.socketPath = socketPath }
        let issues = config.validate().map { issue -> ConfigurationIssue in
            var issue = issue
            if issue.key == "server.socket.path", socketPath != nil { issue.key = "--socket" }
            if issue.key == "storage.disk.directory", policyDirectory != nil { issue.key = "--policies" }
            return issue
        }
        if !issues.isEmpty { throw ConfigurationError(issues) }
        return config
    }
}
