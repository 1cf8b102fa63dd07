import ArbiterServer
import Testing

/// The HTTP keys of the daemon's configuration and the listen-address syntax.
@Suite struct HTTPConfigurationTests {
    static func decode(_ yaml: String) throws -> ServerConfiguration {
        try ServerConfiguration.decode(yaml: Array(yaml.utf8), file: "arbiter.yaml")
    }

    @Test func httpKeys_areReadWithCerbosNames_andDefaultToOffAndGosTimeouts() throws {
        let defaults = ServerConfiguration()
        #expect(defaults.httpListenAddress == nil)
        #expect(defaults.httpSocketMode == nil)
        #expect(defaults.httpReadTimeout == .seconds(30) && defaults.httpReadHeaderTimeout == .seconds(15))
        #expect(defaults.httpWriteTimeout == .seconds(30) && defaults.httpIdleTimeout == .seconds(120))
        let c = try Self.decode("""
        server:
          httpListenAddr: unix:/run/arbiter/http.sock
          udsFileMode: "0640"
          advanced:
            http:
              readTimeout: 5s
              readHeaderTimeout: 2s
              writeTimeout: 7s
              idleTimeout: 1m
        """)
        #expect(c.httpListenAddress == "unix:/run/arbiter/http.sock")
        #expect(c.httpSocketMode == 0o640)
        #expect(c.httpReadTimeout == .seconds(5) && c.httpReadHeaderTimeout == .seconds(2))
        #expect(c.httpWriteTimeout == .seconds(7) && c.httpIdleTimeout == .seconds(60))
    }

    @Test(arguments: [
        ("server:\n  httpListenAddr: unix:relative.sock\n", "server.httpListenAddr", "must be absolute"),
        ("server:\n  httpListenAddr: example.com:3592\n", "server.httpListenAddr", "numeric address"),
        ("server:\n  httpListenAddr: \"127.0.0.1:99999\"\n", "server.httpListenAddr", "0 to 65535"),
        ("server:\n  advanced:\n    http:\n      idleTimeout: 0\n", "server.advanced.http.idleTimeout", "must be positive"),
        ("server:\n  advanced:\n    grpc:\n      maxRecvMsgSizeBytes: 0\n", "server.advanced.grpc.maxRecvMsgSizeBytes", "must be between 1"),
        ("server:\n  advanced:\n    http:\n      bogus: 1s\n", "server.advanced.http.bogus", "unknown key"),
    ])
    func badHTTPSetting_isAnErrorNamingTheKey(yaml: String, key: String, fragment: String) throws {
        let error = #expect(throws: ConfigurationError.self) { try Self.decode(yaml) }
        let issue = try #require(error?.issues.first)
        #expect(issue.key == key, "\(issue)")
        #expect(issue.message.contains(fragment), "\(issue)")
    }

    @Test(arguments: [
        ("unix:/run/a.sock", HTTPListenAddress.unix(path: "/run/a.sock")),
        (":3592", .tcp(host: "127.0.0.1", port: 3592)),
        ("localhost:3592", .tcp(host: "127.0.0.1", port: 3592)),
        ("[::1]:3592", .tcp(host: "::1", port: 3592)),
        ("0.0.0.0:80", .tcp(host: "0.0.0.0", port: 80)),
    ])
    func listenAddress_parsesCerbosSyntax_withBarePortOnLoopback(text: String, expected: HTTPListenAddress) throws {
        let parsed = try HTTPListenAddress(parsing: text)
        #expect(parsed == expected)
        #expect(parsed.isLocal == (text != "0.0.0.0:80"))
    }

    @Test func serveFlag_overridesTheFile_andIsNamedInErrors() throws {
        let c = try ServerConfiguration.resolve(configFile: nil, policyDirectory: "/p", httpListenAddress: ":3592")
        #expect(c.httpListenAddress == ":3592")
        let error = #expect(throws: ConfigurationError.self) {
            try ServerConfiguration.resolve(configFile: nil, policyDirectory: "/p", httpListenAddress: "nowhere")
        }
        #expect(error?.issues.first?.key == "--http")
    }
}
