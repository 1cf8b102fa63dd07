import ArbiterServer
import Testing

/// The `audit` keys decode with Cerbos's names, and what Arbiter cannot do is refused by name.
@Suite struct AuditConfigurationTests {
    func decode(_ yaml: String) throws -> ServerConfiguration {
        try ServerConfiguration.decode(yaml: Array(yaml.utf8), file: "arbiter.yaml")
    }

    @Test func everyAuditKey_isDecoded() throws {
        let c = try decode("""
        audit:
          enabled: true
          accessLogsEnabled: true
          decisionLogsEnabled: true
          backend: file
          bufferSize: 50
          file:
            path: /var/log/arbiter/audit.log
            logRotation:
              maxFileSizeMB: 5
              maxFileCount: 3
          decisionLogFilters:
            checkResources:
              ignoreAllowAll: true
            planResources:
              ignoreAll: true
              ignoreAlwaysAllow: true
          includeMetadataKeys: [x-tenant]
          excludeMetadataKeys: [authorization, cookie]

        """).audit
        #expect(c.enabled && c.accessLogsEnabled && c.decisionLogsEnabled && c.isActive)
        #expect(c.backend == .file && c.filePath == "/var/log/arbiter/audit.log" && c.bufferSize == 50)
        #expect(c.maxFileSizeMB == 5 && c.maxFileCount == 3)
        #expect(c.ignoreAllowAll && c.planIgnoreAll && c.planIgnoreAlwaysAllow)
        #expect(c.includeMetadataKeys == ["x-tenant"] && c.excludeMetadataKeys == ["authorization", "cookie"])
        #expect(c.keepsMetadataKey("X-Tenant") && !c.keepsMetadataKey("Authorization") && !c.keepsMetadataKey("user-agent"))
    }

    @Test func defaults_logNothing() throws {
        let c = try decode("audit:\n  enabled: true\n").audit
        #expect(!c.isActive)
        #expect(!AuditConfiguration().isActive)
    }

    @Test(arguments: [
        ("audit:\n  enabled: true\n  decisionLogsEnabled: true\n", "audit.file.path", "required"),
        ("audit:\n  backend: kafka\n", "audit.backend", "not supported"),
        ("audit:\n  kafka:\n    brokers: [a]\n", "audit.kafka", "Cerbos setting that arbiter does not support"),
        ("audit:\n  file:\n    logRotation:\n      maxFileCount: -1\n", "audit.file.logRotation.maxFileCount", "between 0 and 10000"),
        ("audit:\n  includeMetadataKeys: x\n", "audit.includeMetadataKeys", "list of strings"),
        ("audit:\n  bufferSize: 0\n", "audit.bufferSize", "at least 1"),
    ])
    func badAuditSetting_isAnErrorNamingTheKey(yaml: String, key: String, fragment: String) throws {
        let error = #expect(throws: ConfigurationError.self) { try decode(yaml) }
        let issue = try #require(error?.issues.first)
        #expect(issue.key == key, "\(issue)")
        #expect(issue.message.contains(fragment), "\(issue)")
    }
}
