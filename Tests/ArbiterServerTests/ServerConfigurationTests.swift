import ArbiterEngine
import ArbiterServer
import CEL
import Testing

@Suite struct ServerConfigurationTests {
    func decode(_ yaml: String) throws -> ServerConfiguration {
        try ServerConfiguration.decode(yaml: Array(yaml.utf8), file: "arbiter.yaml")
    }

    @Test func defaults_areDocumentedValues() {
        let c = ServerConfiguration()
        #expect(c.socketPath == "/run/arbiter/arbiter.sock")
        #expect(c.socketMode == 0o660)
        #expect(c.maxFrameSize == 4 << 20)
        #expect(c.reloadDebounce == .milliseconds(200))
        #expect(c.reloadMaxDelay == .seconds(2))
        #expect(c.defaultPolicyVersion == "default")
        #expect(c.maxActionsPerResource == 50 && c.maxResourcesPerRequest == 50)
        #expect(c.validate().isEmpty)
    }

    @Test func emptyFile_givesDefaults() throws {
        #expect(try decode("").socketPath == "/run/arbiter/arbiter.sock")
    }

    @Test func fullFile_setsEveryKey() throws {
        let c = try decode("""
            storage:
              driver: disk
              disk:
                directory: /srv/policies
                watchForChanges: false
                reloadDebounce: 100ms
                reloadMaxDelay: 1m30s
                startWithoutPolicies: true
            engine:
              defaultPolicyVersion: v2
              defaultScope: acme
              lenientScopeSearch: true
              strictEvaluation: true
              globals:
                env: prod
                limits: [1, 2]
            server:
              requestLimits:
                maxActionsPerResource: 10
                maxResourcesPerRequest: 20
              socket:
                path: /tmp/a.sock
                mode: "0600"
                group: arbiter
                allowedUids: [0, 1000]
                allowedGids: [50]
              maxFrameSize: 65536
              frameTimeout: 3s
              shutdownGracePeriod: 15s
              maxJSONDepth: 32
            """)
        #expect(c.policyDirectory == "/srv/policies")
        #expect(!c.watchForChanges)
        #expect(c.reloadDebounce == .milliseconds(100))
        #expect(c.reloadMaxDelay == .seconds(90))
        #expect(c.startWithoutPolicies)
        #expect(c.defaultPolicyVersion == "v2" && c.defaultScope == "acme" && c.lenientScopeSearch && c.strictEvaluation)
        #expect(try text(.map(MapValue(stringKeyed: c.globals.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })))
            == #"{"env":"prod","limits":[1,2]}"#)
        #expect(c.maxActionsPerResource == 10 && c.maxResourcesPerRequest == 20)
        #expect(c.socketPath == "/tmp/a.sock" && c.socketMode == 0o600 && c.socketGroup == "arbiter")
        #expect(c.allowedUIDs == [0, 1000] && c.allowedGIDs == [50])
        #expect(c.maxFrameSize == 65536 && c.frameTimeout == .seconds(3) && c.shutdownGracePeriod == .seconds(15) && c.maxJSONDepth == 32)
    }

    @Test(arguments: [
        ("server:\n  bogus: 1\n", "server.bogus", "arbiter.yaml:2:3", "unknown key"),
        ("server:\n  apiExplorerEnabled: true\n", "server.apiExplorerEnabled", "arbiter.yaml:2:3", "Cerbos setting that arbiter does not support"),
        ("storage:\n  driver: git\n", "storage.driver", "arbiter.yaml:2:11", "only \"disk\" is supported"),
        ("storage:\n  disk:\n    watchForChanges: maybe\n", "storage.disk.watchForChanges", "arbiter.yaml:3:22", "must be true or false"),
        ("server:\n  socket:\n    mode: \"0999\"\n", "server.socket.mode", "arbiter.yaml:3:11", "octal file mode"),
        ("server:\n  frameTimeout: soon\n", "server.frameTimeout", "arbiter.yaml:2:17", "must be a duration"),
        ("server:\n  requestLimits:\n    maxActionsPerResource: 501\n", "server.requestLimits.maxActionsPerResource", nil, "between 1 and 500"),
        ("engine:\n  defaultPolicyVersion: \"\"\n", "engine.defaultPolicyVersion", nil, "must not be empty"),
        ("schema:\n  enforcement: strict\n", "schema.enforcement", "arbiter.yaml:2:16", "must be one of none, warn, reject"),
        ("schema:\n  cacheSize: -1\n", "schema.cacheSize", "arbiter.yaml:2:14", "must not be negative"),
        ("server:\n  socket:\n    allowedUids: [a]\n", "server.socket.allowedUids", "arbiter.yaml:3:19", "numeric ids"),
        ("server: 5\n", "server", "arbiter.yaml:1:9", "must be a mapping"),
        ("engine:\n  celLimits:\n    costLimit: 0\n", "engine.celLimits.costLimit", nil, "must be at least 1, got 0"),
        ("engine:\n  celLimits:\n    maxListSize: many\n", "engine.celLimits.maxListSize", "arbiter.yaml:3:18", "integer"),
        ("engine:\n  celLimits:\n    maxStackDepth: 3\n", "engine.celLimits.maxStackDepth", "arbiter.yaml:3:5", "unknown key"),
    ] as [(String, String, String?, String)])
    func badKeyOrValue_isAnErrorNamingTheKey(yaml: String, key: String, location: String?, fragment: String) throws {
        let error = #expect(throws: ConfigurationError.self) { try decode(yaml) }
        let issue = try #require(error?.issues.first)
        #expect(issue.key == key, "\(issue)")
        if let location { #expect(issue.location == location, "\(issue)") }
        #expect(issue.message.contains(fragment), "\(issue)")
    }

    @Test func schemaKeys_setEnforcementAndAcceptCacheSize() throws {
        #expect(ServerConfiguration().schemaEnforcement == .none)
        let c = try decode("schema:\n  enforcement: reject\n  cacheSize: 10\n")
        #expect(c.schemaEnforcement == .reject)
        #expect(c.schemaCacheSize == 10)
        #expect(c.engineConfiguration.schemaEnforcement == .reject)
        #expect(try decode("schema:\n  enforcement: warn\n").engineConfiguration.schemaEnforcement == .warn)
    }

    @Test func severalProblems_areAllReported() throws {
        let error = #expect(throws: ConfigurationError.self) { try decode("a: 1\nb: 2\n") }
        #expect(error?.issues.map(\.key) == ["a", "b"])
    }

    @Test func invalidYAML_isReportedWithPosition() throws {
        let error = #expect(throws: ConfigurationError.self) { try decode("server: [\n") }
        #expect(error?.issues.first?.location?.hasPrefix("arbiter.yaml:") == true)
    }

    @Test func missingFile_isAClearError() throws {
        let error = #expect(throws: ConfigurationError.self) { try ServerConfiguration.load(file: "/nonexistent/arbiter.yaml") }
        #expect(error?.description.contains("cannot read /nonexistent/arbiter.yaml") == true)
    }
}

@Suite struct ServerConfigurationResolveTests {
    @Test func flags_overrideTheFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        try writeFile(dir.path + "/c.yaml", "storage:\n  disk:\n    directory: /from/file\nserver:\n  socket:\n    path: /from/file.sock\n")
        let fileOnly = try ServerConfiguration.resolve(configFile: dir.path + "/c.yaml")
        #expect(fileOnly.policyDirectory == "/from/file" && fileOnly.socketPath == "/from/file.sock")
        let flagged = try ServerConfiguration.resolve(configFile: dir.path + "/c.yaml", policyDirectory: "/flag", socketPath: "/flag.sock")
        #expect(flagged.policyDirectory == "/flag" && flagged.socketPath == "/flag.sock")
        #expect(try ServerConfiguration.resolve(configFile: nil).socketPath == "/run/arbiter/arbiter.sock")
    }

    @Test func badFlagValue_isNamedByFlag() {
        let error = #expect(throws: ConfigurationError.self) {
            try ServerConfiguration.resolve(configFile: nil, socketPath: "/" + String(repeating: "s", count: 200))
        }
        #expect(error?.issues.first?.key == "--socket")
    }

    @Test func celLimits_reachTheEngineConfiguration() throws {
        #expect(ServerConfiguration().engineConfiguration.celLimits == .default)
        let c = try ServerConfiguration.decode(yaml: Array(("engine:\n  celLimits:\n    costLimit: 5000\n    maxListSize: 100\n"
            + "    maxStringSize: 2048\n    maxRegexInputSize: 512\n    requestCostLimit: 20000\n").utf8), file: "arbiter.yaml")
        #expect(c.engineConfiguration.celLimits
            == EvaluationLimits(costLimit: 5000, maxListSize: 100, maxStringSize: 2048, maxRegexInputSize: 512,
                                requestCostLimit: 20000))
    }
}
