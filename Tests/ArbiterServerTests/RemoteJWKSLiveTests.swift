import ArbiterClient
import ArbiterJSON
import CEL
import Foundation
import Testing

/// The `arbiter serve` binary with a remote key set served by a real HTTP server on loopback
/// (Python's http.server): the JWKS is rotated and the daemon verifies with the new key after
/// `refreshInterval` without a restart; when the server goes away it keeps the last keys.
@Suite(.serialized) struct RemoteJWKSLiveTests {
    /// `view` needs the token's `sub`, `department` and `aud` (see `AuxDataDispatchTests`).
    static let policy = AuxDataDispatchTests.policy

    /// `python3 -m http.server` on 127.0.0.1 with an ephemeral port, serving `directory`.
    final class JWKSServer {
        let process = Process()
        let port: Int

        init(directory: String, logPath: String) async throws {
            guard FileManager.default.createFile(atPath: logPath, contents: nil) else {
                throw TestSetupError("cannot create \(logPath)")
            }
            let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", directory]
            process.standardOutput = log
            process.standardError = log
            try process.run()
            // http.server prints "Serving HTTP on 127.0.0.1 port N (...)" once it listens.
            var found: Int?
            let deadline = ContinuousClock.now + .seconds(10)
            while found == nil, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
                if let r = text.range(of: " port ") {
                    found = Int(text[r.upperBound...].prefix { $0.isNumber })
                }
            }
            guard let found else {
                kill(process.processIdentifier, SIGKILL)
                throw TestSetupError("python3 http.server did not start: \((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")")
            }
            port = found
        }

        /// SIGKILL: the child inherits the test process's signal mask, in which SIGTERM may be
        /// blocked, so `terminate()` can leave it running.
        func stop() {
            guard process.isRunning else { return }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        deinit { stop() }
    }

    static func request(principal: String, token: String) throws -> Value {
        try JSONReader.parse("""
        {"principal":{"id":"\(principal)","roles":["user"]},"resources":[{"actions":["view"],\
        "resource":{"kind":"report","id":"r1","attr":{"department":"engineering"}}}],"auxData":{"jwt":{"token":"\(token)","keySetId":"idp"}}}
        """)
    }

    /// "ALLOW", "DENY", or the error text the daemon answered with.
    static func decide(_ client: ArbiterClient, _ token: String) async -> String {
        do {
            let result = try await client.checkResources(request(principal: "alice", token: token))
            guard case let .map(m) = result, case let .list(results)? = m[string: "results"], case let .map(r)? = results.first,
                  case let .map(actions)? = r[string: "actions"], case let .string(effect)? = actions[string: "view"] else {
                return "unexpected result \((try? JSONWriter.encodeString(result)) ?? "")"
            }
            return effect == "EFFECT_ALLOW" ? "ALLOW" : "DENY"
        } catch {
            return "\(error)"
        }
    }

    static func writeAtomically(_ path: String, _ text: String) throws {
        try text.write(toFile: path + ".tmp", atomically: false, encoding: .utf8)
        guard rename(path + ".tmp", path) == 0 else { throw TestSetupError("rename \(path)") }
    }

    @Test func rotatedJWKS_isPickedUpAfterRefreshInterval_andKeptWhenTheServerGoesAway() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let policies = dir.path + "/policies", www = dir.path + "/www"
        try FileManager.default.createDirectory(atPath: policies, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: www, withIntermediateDirectories: true)
        try writeFile(policies + "/report.yaml", Self.policy)
        let oldKey = JWTTestKey(kid: "2026-old"), newKey = JWTTestKey(kid: "2026-new")
        try Self.writeAtomically(www + "/jwks.json", JWTTestKey.jwks([oldKey]))
        let http = try await JWKSServer(directory: www, logPath: dir.path + "/http.log")
        defer { http.stop() }

        let socket = dir.path + "/a.sock"
        try writeFile(dir.path + "/config.yaml", """
        storage:
          disk:
            directory: \(policies)
        server:
          socket:
            path: \(socket)
        auxData:
          jwt:
            keySets:
              - id: idp
                remote:
                  url: http://127.0.0.1:\(http.port)/jwks.json
                  refreshInterval: 1s

        """)
        let daemon = try DaemonChild(arguments: ["--config", dir.path + "/config.yaml", "--log-level", "debug"], workDirectory: dir.path)
        #expect(await eventually(timeout: .seconds(20)) { acceptsConnections(socket) }, "\(daemon.log())")
        let client = try await ArbiterClient.connect(path: socket)

        let signedByOld = try await oldKey.token(sub: "alice")
        let oldAccepted = await eventually(timeout: .seconds(10)) { await Self.decide(client, signedByOld) == "ALLOW" }
        let oldAnswer = await Self.decide(client, signedByOld)
        #expect(oldAccepted, "old key never accepted: \(oldAnswer); \(daemon.log())")
        let signedByNew = try await newKey.token(sub: "alice")
        let before = await Self.decide(client, signedByNew)
        #expect(before.contains("invalid auxData"), "a token of the not yet published key: \(before)")

        // Rotate: only the new key is published. No restart, no signal.
        try Self.writeAtomically(www + "/jwks.json", JWTTestKey.jwks([newKey]))
        let newAccepted = await eventually(timeout: .seconds(10)) { await Self.decide(client, signedByNew) == "ALLOW" }
        let newAnswer = await Self.decide(client, signedByNew)
        #expect(newAccepted, "new key never picked up: \(newAnswer); \(daemon.log())")
        // A token of the retired key that was never verified before is now refused.
        let freshOld = try await oldKey.token(sub: "alice", lifetime: 1800)
        let retired = await Self.decide(client, freshOld)
        #expect(retired.contains("invalid auxData"), "\(retired)")

        // The JWKS server goes away: refreshes fail, the last good keys stay in use.
        http.stop()
        try await Task.sleep(for: .seconds(3))
        let afterOutage = try await newKey.token(sub: "alice", lifetime: 1200)
        let outageAnswer = await Self.decide(client, afterOutage)
        #expect(outageAnswer == "ALLOW", "\(outageAnswer); \(daemon.log())")
        #expect(daemon.log().contains("Error refreshing keyset"), "no refresh failure logged: \(daemon.log())")

        await client.close()
        kill(daemon.pid, SIGTERM)
        let status = await daemon.waitForExit(timeout: .seconds(20))
        #expect(status == 0, "\(daemon.log())")
    }
}
