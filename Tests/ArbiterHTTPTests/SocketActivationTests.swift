#if canImport(Glibc)
import Glibc
#endif
import ArbiterServer
import Foundation
import Testing

/// systemd socket activation with two sockets, as two units with `FileDescriptorName=arbiter`
/// and `FileDescriptorName=http` hand them over: the daemon serves JSON-RPC on the first and the
/// HTTP API on the second, without `server.httpListenAddr`.
@Suite struct SocketActivationTests {
    @Test func arbiterServe_takesTheSocketNamedHTTP_forTheHTTPAPI() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let rpcSocket = try ListeningSocket.bind(path: dir.path + "/rpc.sock", mode: 0o600, group: nil, logger: testLogger)
        let httpSocket = try ListeningSocket.bind(path: dir.path + "/web.sock", mode: 0o600, group: nil, logger: testLogger)
        defer {
            close(rpcSocket.descriptor)
            close(httpSocket.descriptor)
        }
        // No httpListenAddr: the HTTP API comes only from the socket named "http"; the JSON-RPC
        // path configured here must stay unused.
        let config = ArbiterProcess.configuration(directory: dir.path, serverLines: "")
            .replacingOccurrences(of: dir.path + "/arbiter.sock", with: dir.path + "/unused.sock")
        try config.write(toFile: dir.path + "/arbiter.yaml", atomically: true, encoding: .utf8)
        let pid = try Self.spawnActivated(
            binary: try ArbiterProcess.binary(), arguments: ["serve", "--config", dir.path + "/arbiter.yaml"],
            sockets: [rpcSocket.descriptor, httpSocket.descriptor], names: "arbiter:http", log: dir.path + "/arbiter.log")
        defer {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        let http = try await waitForConnection { try RawHTTPClient(unixPath: dir.path + "/web.sock") }
        http.send("GET /_cerbos/health HTTP/1.1\r\nHost: x\r\n\r\n")
        let health = await http.nextResponse()
        #expect(health?.body == #"{"status":"SERVING"}"#,
                "\((try? String(contentsOfFile: dir.path + "/arbiter.log", encoding: .utf8)) ?? "")")
        let rpc = try RawHTTPClient(unixPath: dir.path + "/rpc.sock")
        let frame = Array(#"{"jsonrpc":"2.0","id":1,"method":"Health"}"#.utf8)
        rpc.send([0, 0, 0, UInt8(frame.count)] + frame)
        let answer = await rpc.nextFrame().map { String(decoding: $0, as: UTF8.self) }
        #expect(answer?.contains(#""status":"SERVING""#) == true, "\(answer ?? "no answer")")
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/unused.sock"), "the configured path is not bound under activation")
    }

    /// Starts `arguments` with `sockets` as fds 3, 4, ... and LISTEN_PID, LISTEN_FDS and
    /// LISTEN_FDNAMES set as systemd sets them (the shell keeps its pid through `exec`).
    static func spawnActivated(binary: String, arguments: [String], sockets: [CInt], names: String, log: String) throws -> pid_t {
        let argv = ["/bin/sh", "-c", "LISTEN_PID=$$ LISTEN_FDS=\(sockets.count) LISTEN_FDNAMES=\(names) exec \"$0\" \"$@\"", binary] + arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        for (i, fd) in sockets.enumerated() { posix_spawn_file_actions_adddup2(&actions, fd, 3 + CInt(i)) }
        let environment = ProcessInfo.processInfo.environment.filter {
            !["NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "WATCHDOG_USEC", "WATCHDOG_PID"].contains($0.key)
        }.map { "\($0.key)=\($0.value)" }
        var cargs = argv.map { strdup($0) } + [nil]
        var cenv = environment.map { strdup($0) } + [nil]
        defer {
            for p in cargs { free(p) }
            for p in cenv { free(p) }
        }
        var child: pid_t = 0
        let rc = posix_spawn(&child, argv[0], &actions, nil, &cargs, &cenv)
        guard rc == 0 else { throw TestSetupError("cannot start \(argv[0]): \(String(cString: strerror(rc)))") }
        return child
    }
}
