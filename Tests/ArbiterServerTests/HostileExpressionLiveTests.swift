#if canImport(Glibc)
import Glibc
#endif
import Testing

/// The built `arbiter serve` facing a policy whose condition allocates by a request attribute
/// (`lists.range(int(R.attr.n))`): a huge `n` once aborted the process on a failed allocation.
/// Now the condition is an evaluation error (the rule does not match) and the daemon keeps serving.
@Suite(.serialized) struct HostileExpressionLiveTests {
    static let policy = """
    apiVersion: api.cerbos.dev/v1
    resourcePolicy:
      resource: report
      version: default
      rules:
        - actions: ["view"]
          roles: ["user"]
          effect: EFFECT_ALLOW
          condition:
            match:
              expr: lists.range(int(R.attr.n)).size() > 0
        - actions: ["scan"]
          roles: ["user"]
          effect: EFFECT_ALLOW
          condition:
            match:
              expr: lists.range(int(R.attr.n)).all(x, lists.range(int(R.attr.n)).all(y, x + y >= 0))

    """

    static func payload(id: Int, n: String) -> [UInt8] {
        Array(("""
        {"jsonrpc":"2.0","id":\(id),"method":"CheckResources","params":{"requestId":"r\(id)",\
        "principal":{"id":"mallory","roles":["user"]},"resources":[{"actions":["view","scan"],\
        "resource":{"kind":"report","id":"x\(id)","attr":{"n":\(n)}}}]}}
        """).utf8)
    }

    /// The decisions of a CheckResources response frame, by action.
    static func effects(_ bytes: [UInt8]) -> [String: String] {
        let text = String(decoding: bytes, as: UTF8.self)
        var out: [String: String] = [:]
        for action in ["view", "scan"] {
            for effect in ["EFFECT_ALLOW", "EFFECT_DENY"] where text.contains("\"\(action)\":\"\(effect)\"") {
                out[action] = effect
            }
        }
        return out
    }

    /// The policy directory of `dir`, holding `policy`.
    static func writePolicies(_ dir: TemporaryDirectory) throws -> String {
        let policies = dir.path + "/policies"
        mkdir(policies, 0o755)
        try writeFile(policies + "/report.yaml", policy)
        return policies
    }

    /// `arbiter serve` on `socket`, once it listens.
    static func serve(_ dir: TemporaryDirectory, policies: String, socket: String, config: String? = nil) async throws -> DaemonChild {
        let daemon = try DaemonChild(arguments: (config.map { ["--config", $0] } ?? [])
            + ["--policies", policies, "--socket", socket, "--log-level", "info"], workDirectory: dir.path)
        let up = await eventually(timeout: .seconds(60)) { acceptsConnections(socket) }
        if !up { kill(daemon.pid, SIGKILL) }
        try #require(up, "the daemon never listened: \(daemon.log())")
        return daemon
    }

    @Test func hugeRangeFromARequestAttribute_isDenied_andTheDaemonKeepsServing() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.path + "/arbiter.sock"
        let daemon = try await Self.serve(dir, policies: try Self.writePolicies(dir), socket: path)
        defer { kill(daemon.pid, SIGKILL) }

        let client = try PipeliningClient(path: path)
        // The killer request of issue 24, then a nested loop of 10^12 iterations, then a fair one.
        for (id, n) in [(1, "1000000000000"), (2, "2000000"), (3, "3")] {
            #expect(client.send(Self.payload(id: id, n: n)))
            let answer = await onOwnThread { client.readFrame() }
            guard case let .frame(bytes) = answer else {
                Issue.record("no response to n=\(n): \(answer); log: \(daemon.log())")
                return
            }
            let expected = n == "3" ? "EFFECT_ALLOW" : "EFFECT_DENY"
            #expect(Self.effects(bytes) == ["view": expected, "scan": expected],
                    "n=\(n): \(String(decoding: bytes, as: UTF8.self))")
        }
        // A new connection is served too: the process is alive.
        let second = try PipeliningClient(path: path)
        #expect(second.send(Self.payload(id: 4, n: "1e300")))
        guard case let .frame(bytes) = await onOwnThread({ second.readFrame() }) else {
            Issue.record("the daemon stopped answering: \(daemon.log())")
            return
        }
        #expect(Self.effects(bytes) == ["view": "EFFECT_DENY", "scan": "EFFECT_DENY"])

        kill(daemon.pid, SIGTERM)
        let status = await daemon.waitForExit(timeout: .seconds(20))
        #expect(status == 0, "\(daemon.log())")
        // Each limit hit is logged (rate-limited) with the policy and rule that hit it.
        let limitLines = daemon.log().split(separator: "\n").filter { $0.contains("CEL evaluation exceeded a limit") }
        #expect(!limitLines.isEmpty, "\(daemon.log())")
        #expect(limitLines.allSatisfy { $0.contains("resource.report.vdefault") && $0.contains("limit)") }, "\(limitLines)")
    }

    /// `engine.celLimits` reaches the programs the daemon compiles: 2,500 iterations pass under
    /// the default cost limit and fail under a configured limit of 1,000.
    @Test func configuredCostLimit_appliesToPolicyConditions() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let policies = try Self.writePolicies(dir)
        try writeFile(dir.path + "/arbiter.yaml", "engine:\n  celLimits:\n    costLimit: 1000\n")
        for (config, expected) in [(nil, "EFFECT_ALLOW"), (dir.path + "/arbiter.yaml", "EFFECT_DENY")] {
            let path = dir.path + "/\(expected).sock"
            let daemon = try await Self.serve(dir, policies: policies, socket: path, config: config)
            defer { kill(daemon.pid, SIGKILL) }
            let client = try PipeliningClient(path: path)
            #expect(client.send(Self.payload(id: 1, n: "50")))
            guard case let .frame(bytes) = await onOwnThread({ client.readFrame() }) else {
                Issue.record("no response: \(daemon.log())")
                return
            }
            #expect(Self.effects(bytes)["scan"] == expected, "config \(config ?? "none"): \(String(decoding: bytes, as: UTF8.self))")
            kill(daemon.pid, SIGTERM)
            _ = await daemon.waitForExit(timeout: .seconds(20))
        }
    }
}
