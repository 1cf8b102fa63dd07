import ArbiterAuxData
import ArbiterServer
import Testing

/// `auxData.jwt` in the configuration file: Cerbos's keys, defaults and rules, errors naming the key.
@Suite struct AuxDataConfigurationTests {
    func decode(_ yaml: String) throws -> ServerConfiguration {
        try ServerConfiguration.decode(yaml: Array(yaml.utf8), file: "arbiter.yaml")
    }

    @Test func defaults_areNoKeySetsTwoSecondsSkewAndVerificationOn() throws {
        let c = try decode("")
        #expect(c.auxData.keySets.isEmpty && !c.auxData.disableVerification)
        #expect(c.auxData.acceptableTimeSkew == .seconds(2) && c.auxData.cacheSize == 256)
    }

    @Test func everyKey_isRead() throws {
        let c = try decode("""
        auxData:
          jwt:
            acceptableTimeSkew: 30s
            disableVerification: false
            cacheSize: 16
            keySets:
              - id: file
                local:
                  file: /etc/keys/jwks.json
              - id: pem
                local:
                  data: LS0tLS1CRUdJTg==
                  pem: true
                insecure:
                  optionalAlg: true
                  optionalKid: true
              - id: idp
                remote:
                  url: https://idp.example.com/.well-known/jwks.json
                  refreshInterval: 1h

        """)
        let j = c.auxData
        #expect(j.acceptableTimeSkew == .seconds(30) && j.cacheSize == 16)
        #expect(j.keySets.map(\.id) == ["file", "pem", "idp"])
        #expect(j.keySets[0].source == .localFile(path: "/etc/keys/jwks.json", pem: false))
        #expect(j.keySets[1].source == .localData(base64: "LS0tLS1CRUdJTg==", pem: true))
        #expect(j.keySets[1].optionalAlg && j.keySets[1].optionalKid && !j.keySets[0].optionalAlg)
        #expect(j.keySets[2].source == .remote(url: "https://idp.example.com/.well-known/jwks.json", refreshInterval: .seconds(3600)))
    }

    @Test(arguments: [
        ("auxData:\n  jwt:\n    keySets: {}\n", "auxData.jwt.keySets", "must be a list of key sets"),
        ("auxData:\n  jwt:\n    keySets:\n      - local: {file: a}\n", "auxData.jwt.keySets[0].id", "is required"),
        ("auxData:\n  jwt:\n    keySets:\n      - {id: a, local: {file: x}}\n      - {id: a, local: {file: y}}\n",
         "auxData.jwt.keySets[1].id", "duplicate keyset id 'a'"),
        ("auxData:\n  jwt:\n    keySets:\n      - id: a\n", "auxData.jwt.keySets[0]", "should have one of `local` or `remote` defined"),
        ("auxData:\n  jwt:\n    keySets:\n      - {id: a, local: {file: x}, remote: {url: 'https://x'}}\n",
         "auxData.jwt.keySets[0]", "only one of `local` or `remote` should be defined"),
        ("auxData:\n  jwt:\n    keySets:\n      - {id: a, local: {pem: true}}\n",
         "auxData.jwt.keySets[0].local", "at least one of 'local.data' or 'local.file' must be defined"),
        ("auxData:\n  jwt:\n    keySets:\n      - {id: a, local: {file: x, data: y}}\n",
         "auxData.jwt.keySets[0].local", "only one of 'local.data' or 'local.file' must be defined"),
        ("auxData:\n  jwt:\n    keySets:\n      - {id: a, remote: {refreshInterval: 1m}}\n", "auxData.jwt.keySets[0].remote.url", "remote URL is empty"),
        ("auxData:\n  jwt:\n    keySets:\n      - {id: a, remote: {url: 'ftp://x/keys'}}\n", "auxData.jwt.keySets[0].remote.url", "http:// or https://"),
        ("auxData:\n  jwt:\n    keySets:\n      - {id: a, local: {file: x, bogus: 1}}\n", "auxData.jwt.keySets[0].local.bogus", "unknown key"),
        ("auxData:\n  jwt:\n    keySets:\n      - {id: a, local: {file: x}, insecure: {optionalAlg: sometimes}}\n",
         "auxData.jwt.keySets[0].insecure.optionalAlg", "must be true or false"),
        ("auxData:\n  jwt:\n    acceptableTimeSkew: soon\n", "auxData.jwt.acceptableTimeSkew", "must be a duration"),
        ("auxData:\n  jwt:\n    bogus: 1\n", "auxData.jwt.bogus", "unknown key"),
    ] as [(String, String, String)])
    func badAuxDataKey_isAnErrorNamingTheKey(yaml: String, key: String, fragment: String) throws {
        let error = #expect(throws: ConfigurationError.self) { try decode(yaml) }
        let issue = try #require(error?.issues.first)
        #expect(issue.key == key, "\(issue)")
        #expect(issue.message.contains(fragment), "\(issue)")
        #expect(issue.location?.hasPrefix("arbiter.yaml:") == true, "\(issue)")
    }

    @Test func unreadableLocalKeySet_isAStartupErrorNamingTheKeySet() async throws {
        let c = try decode("auxData:\n  jwt:\n    keySets:\n      - {id: corp, local: {file: /nonexistent/jwks.json}}\n")
        let error = await #expect(throws: KeySetError.self) { try await AuxDataVerifier(configuration: c.auxData) }
        #expect(error?.message == "auxData.jwt.keySets[0] (id \"corp\") local.file: failed to read keyset from '/nonexistent/jwks.json'")
    }
}
