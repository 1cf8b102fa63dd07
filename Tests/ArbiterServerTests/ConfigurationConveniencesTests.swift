import ArbiterServer
import Testing

/// What Cerbos users rely on in a configuration: `${ENV}` / `${ENV:default}` in values,
/// `--set key=value` overrides, and the log settings.
@Suite struct ConfigurationConveniencesTests {
    func decode(_ yaml: String, _ environment: [String: String]) throws -> ServerConfiguration {
        try ServerConfiguration.decode(yaml: Array(yaml.utf8), file: "arbiter.yaml", environment: environment)
    }

    func issues(_ body: () throws -> ServerConfiguration) -> [String] {
        do {
            _ = try body()
            return []
        } catch let error as ConfigurationError {
            return error.issues.map(\.description)
        } catch {
            return ["unexpected \(error)"]
        }
    }

    @Test func environmentReferences_areReplaced_andResolvedAsTheScalarTheyBecome() throws {
        let c = try decode("""
            storage:
              disk:
                directory: ${POLICY_ROOT}/prod
                watchForChanges: ${WATCH:false}
            server:
              maxJSONDepth: ${DEPTH:64}
              socket:
                path: "${RUNTIME_DIRECTORY:/run/arbiter}/arbiter.sock"
            """, ["POLICY_ROOT": "/srv/policies", "RUNTIME_DIRECTORY": "/run/x"])
        #expect(c.policyDirectory == "/srv/policies/prod")
        #expect(c.watchForChanges == false)
        #expect(c.maxJSONDepth == 64)
        #expect(c.socketPath == "/run/x/arbiter.sock")
    }

    @Test func anUnsetVariableWithoutDefault_isAnErrorNamingItAndWhereItIsUsed() {
        let found = issues { try decode("storage:\n  disk:\n    directory: ${NOT_SET_ANYWHERE}\n", [:]) }
        #expect(found == ["arbiter.yaml:3:16: environment variable NOT_SET_ANYWHERE is not set; set it, or give a default as ${NOT_SET_ANYWHERE:default}"])
        let malformed = issues { try decode("storage:\n  disk:\n    directory: ${1x}\n", [:]) }
        #expect(malformed.count == 1 && malformed[0].contains("${1x}"))
    }

    @Test func setOverrides_winOverTheFile_andBadOnesNameTheKey() throws {
        let c = try ServerConfiguration.resolve(configFile: nil, overrides: [
            "server.socket.mode=\"0600\"", "engine.lenientScopeSearch=true", "server.socket.allowedUids=[1000, 1001]",
            "storage.disk.reloadDebounce=50ms",
        ])
        #expect(c.socketMode == 0o600)
        #expect(c.lenientScopeSearch)
        #expect(c.allowedUIDs == [1000, 1001])
        #expect(c.reloadDebounce == .milliseconds(50))
        let bad = issues { try ServerConfiguration.resolve(configFile: nil, overrides: ["server.maxFrameSize=big", "nokey", "a..b=1", "foo.bar=1"]) }
        #expect(bad.count == 4)
        #expect(bad.contains { $0.contains("server.maxFrameSize") && $0.contains("big") })
        #expect(bad.contains { $0.contains("\"nokey\" is not key=value") })
        #expect(bad.contains { $0.contains("\"a..b\" is not a dotted key") })
        #expect(bad.contains { $0.contains("foo: unknown key") })
    }

    @Test func logSettings_areReadAndChecked() throws {
        let c = try decode("server:\n  log:\n    format: json\n    level: debug\n", [:])
        #expect(c.logFormat == .json && c.logLevel == "debug")
        #expect(issues { try decode("server:\n  log:\n    format: xml\n", [:]) }.first?.contains("must be text or json") == true)
        #expect(issues { try decode("server:\n  log:\n    level: loud\n", [:]) }.first?.contains("server.log.level") == true)
        let flagged = try ServerConfiguration.resolve(configFile: nil, logLevel: "error", logFormat: .json)
        #expect(flagged.logLevel == "error" && flagged.logFormat == .json)
    }
}
