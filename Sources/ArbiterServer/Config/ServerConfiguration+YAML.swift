#if canImport(Glibc)
import Glibc
#endif
import ArbiterAuxData
import ArbiterPolicy
import ArbiterYAML
import CEL

extension ServerConfiguration {
    /// Reads a YAML configuration file over the defaults, `${ENV}` references resolved from the
    /// process environment.
    public static func load(file path: String, environment: [String: String] = processEnvironment()) throws -> ServerConfiguration {
        switch FileContents.read(path, regularFileOnly: false) {
        case let .success(bytes): return try decode(yaml: bytes, file: path, environment: environment)
        case let .failure(error):
            throw ConfigurationError([ConfigurationIssue(key: "--config", message: "cannot read \(path): \(error.message)")])
        }
    }

    /// The process's environment variables.
    public static func processEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let eq = text.firstIndex(of: "=") { result[String(text[..<eq])] = String(text[text.index(after: eq)...]) }
            entry += 1
        }
        return result
    }

    /// Decodes YAML bytes over the defaults; unknown keys and bad values are errors naming the key.
    /// `${NAME}` and `${NAME:default}` in values are replaced from `environment`.
    public static func decode(yaml bytes: [UInt8], file: String, environment: [String: String] = [:]) throws -> ServerConfiguration {
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
                let interpolated = ConfigurationInterpolation.apply(root, environment: environment, issues: &issues)
                ConfigurationSchema.root.apply(interpolated, key: "", to: &config, issues: &issues)
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
        for limit in celLimits.named where limit.value < 1 {
            issues.append(.init(key: "engine.celLimits.\(limit.name)", message: "must be at least 1, got \(limit.value)"))
        }
        if !(1...500).contains(maxActionsPerResource) {
            issues.append(.init(key: "server.requestLimits.maxActionsPerResource", message: "must be between 1 and 500, got \(maxActionsPerResource)"))
        }
        if !(1...500).contains(maxResourcesPerRequest) {
            issues.append(.init(key: "server.requestLimits.maxResourcesPerRequest", message: "must be between 1 and 500, got \(maxResourcesPerRequest)"))
        }
        if maxRolesPerPrincipal < 1 {
            issues.append(.init(key: "server.requestLimits.maxRolesPerPrincipal", message: "must be at least 1, got \(maxRolesPerPrincipal)"))
        }
        if requestLimits.maxJSONValues < 1 {
            issues.append(.init(key: "server.requestLimits.maxJSONValues", message: "must be at least 1, got \(requestLimits.maxJSONValues)"))
        }
        if requestLimits.maxStringLength < 1 {
            issues.append(.init(key: "server.requestLimits.maxStringLength", message: "must be at least 1, got \(requestLimits.maxStringLength)"))
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
        if auxData.acceptableTimeSkew < .zero {
            issues.append(.init(key: "auxData.jwt.acceptableTimeSkew", message: "acceptableTimeSkew must be positive"))
        }
        if !Self.logLevels.contains(logLevel) {
            issues.append(.init(key: "server.log.level", message: "must be one of \(Self.logLevels.joined(separator: ", ")), got \"\(logLevel)\""))
        }
        if reloadDebounce < .zero { issues.append(.init(key: "storage.disk.reloadDebounce", message: "must not be negative")) }
        if audit.isActive, audit.backend == .file, (audit.filePath ?? "").isEmpty {
            issues.append(.init(key: "audit.file.path", message: "is required when audit.backend is file"))
        }
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
        issues += metricsIssues()
        if reloadMaxDelay < reloadDebounce {
            issues.append(.init(key: "storage.disk.reloadMaxDelay", message: "must be at least storage.disk.reloadDebounce"))
        }
        return issues
    }
}

extension ServerConfiguration {
    /// What `arbiter serve` does with its flags: the file (if any) over the defaults, then the
    /// flags over the file, then validation of the result.
    /// `overrides` are `--set key=value` texts, applied over the file before the other flags.
    public static func resolve(configFile: String?, overrides: [String] = [], policyDirectory: String? = nil, socketPath: String? = nil,
                               httpListenAddress: String? = nil, logLevel: String? = nil, logFormat: LogFormat? = nil) throws -> ServerConfiguration {
        var config = try configFile.map { try load(file: $0) } ?? ServerConfiguration()
        var overrideIssues: [ConfigurationIssue] = []
        for text in overrides {
            if let override = ConfigurationOverride.parse(text, issues: &overrideIssues) {
                ConfigurationSchema.root.apply(override.document, key: "", to: &config, issues: &overrideIssues)
            }
        }
        if !overrideIssues.isEmpty { throw ConfigurationError(overrideIssues) }
        if let policyDirectory { config.policyDirectory = policyDirectory }
        if let socketPath { config.socketPath = socketPath }
        if let httpListenAddress { config.httpListenAddress = httpListenAddress }
        if let logLevel { config.logLevel = logLevel }
        if let logFormat { config.logFormat = logFormat }
        let issues = config.validate().map { issue -> ConfigurationIssue in
            var issue = issue
            if issue.key == "server.socket.path", socketPath != nil { issue.key = "--socket" }
            if issue.key == "storage.disk.directory", policyDirectory != nil { issue.key = "--policies" }
            if issue.key == "server.httpListenAddr", httpListenAddress != nil { issue.key = "--http" }
            if issue.key == "server.log.level", logLevel != nil { issue.key = "--log-level" }
            return issue
        }
        if !issues.isEmpty { throw ConfigurationError(issues) }
        return config
    }
}
