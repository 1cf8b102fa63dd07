#if canImport(Glibc)
import Glibc
#endif
import ArbiterServer
import ArbiterTestSupport
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
        // fds 3 and 4, named as the two units' FileDescriptorName= name them.
        let argv = ChildProcess.socketActivated(try ArbiterProcess.binary(), ["serve", "--config", dir.path + "/arbiter.yaml"],
                                                socketCount: 2, names: "arbiter:http")
        let pid = try ChildProcess.spawn(argv, log: dir.path + "/arbiter.log", sockets: [rpcSocket.descriptor, httpSocket.descriptor])
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
}
