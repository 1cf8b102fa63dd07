#if canImport(Glibc)
import Glibc
#endif
import ArbiterEngine
import ArbiterHTTP
import ArbiterJSON
import ArbiterServer
import CEL
import Logging
import NIOCore
import Testing

/// A fresh temporary directory, removed by `cleanup`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/arbiter-http-XXXXXX".utf8CString)
        guard let p = mkdtemp(&template) else { throw TestSetupError("mkdtemp failed") }
        path = String(cString: p)
    }

    func cleanup() { _ = system("rm -rf '\(path)'") }
}

/// Runs an HTTP listener on `socket` for the body's duration.
func withHTTPListener<Decisions: DecisionService>(
    _ socket: ListeningSocket, api: CerbosHTTPAPI<Decisions>, limits: HTTPServerLimits = HTTPServerLimits(),
    peerPolicy: PeerPolicy = PeerPolicy(), _ body: () async throws -> Void
) async throws {
    let (listening, signal) = AsyncStream<Void>.makeStream()
    let listener = HTTPFrontEnd.listener(socket: socket, api: api, limits: limits, peerPolicy: peerPolicy, logger: testLogger,
                                         onListening: { signal.yield(); signal.finish() })
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await listener.run() }
        for await _ in listening {}
        try await body()
        group.cancelAll()
        try await group.waitForAll()
    }
}

@Suite(.serialized) struct HTTPLiveTests {
    @Test func unixSocket_keepAlive_answersWithTheEngine_andASlowClientDoesNotHoldUpAnother() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.path + "/http.sock"
        let socket = try ListeningSocket.bind(path: path, mode: 0o600, group: nil, logger: testLogger)
        var st = stat()
        #expect(stat(path, &st) == 0 && st.st_mode & 0o777 == 0o600)
        try await withHTTPListener(socket, api: try await conformanceAPI()) {
            let slow = try RawHTTPClient(unixPath: path)
            slow.send("POST /api/check/resources HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{\"principal\":")
            let client = try RawHTTPClient(unixPath: path)
            let body = leaveRequestCheck
            for _ in 0..<3 {
                client.send("POST /api/check/resources HTTP/1.1\r\nHost: arbiter\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
                let response = await client.nextResponse()
                #expect(response?.status == 200)
                #expect(response?.body.contains(#""view:public":"EFFECT_ALLOW""#) == true)
            }
            client.send("GET /_cerbos/health HTTP/1.1\r\nHost: arbiter\r\n\r\n")
            #expect(await client.nextResponse()?.body == #"{"status":"SERVING"}"#)
        }
        #expect(stat(path, &st) != 0, "the listener removes the socket file it created")
    }

    @Test func unixSocket_peerAllowLists_refuseOtherUsers_andAdmitListedOnes() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let refused = try ListeningSocket.bind(path: dir.path + "/refused.sock", mode: 0o600, group: nil, logger: testLogger)
        let otherUID = getuid() == 4242 ? 4243 : 4242
        try await withHTTPListener(refused, api: echoAPI(), peerPolicy: PeerPolicy(allowedUIDs: [UInt32(otherUID)])) {
            let client = try RawHTTPClient(unixPath: dir.path + "/refused.sock")
            client.send(checkRequest("nobody"))
            #expect(await client.nextResponse() == nil, "a peer outside the allow-lists gets no answer")
        }
        let admitted = try ListeningSocket.bind(path: dir.path + "/admitted.sock", mode: 0o600, group: nil, logger: testLogger)
        try await withHTTPListener(admitted, api: echoAPI(), peerPolicy: PeerPolicy(allowedUIDs: [getuid()])) {
            let client = try RawHTTPClient(unixPath: dir.path + "/admitted.sock")
            client.send(checkRequest("me"))
            #expect(await client.nextResponse()?.body == #"{"principal":"me"}"#)
        }
    }

    @Test func tcpLoopback_servesTheSameAPI() async throws {
        let socket = try ListeningSocket.bindTCP(host: "127.0.0.1", port: 0)
        let port = try #require(socket.boundTCPPort)
        try await withHTTPListener(socket, api: echoAPI()) {
            let client = try RawHTTPClient(loopbackPort: port)
            client.send(checkRequest("tcp"))
            #expect(await client.nextResponse()?.body == #"{"principal":"tcp"}"#)
        }
    }

    @Test func slowHeaders_get408OverARealSocket_andTheConnectionCloses() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.path + "/http.sock"
        let socket = try ListeningSocket.bind(path: path, mode: 0o600, group: nil, logger: testLogger)
        try await withHTTPListener(socket, api: echoAPI(), limits: HTTPServerLimits(readHeaderTimeout: .milliseconds(300))) {
            let client = try RawHTTPClient(unixPath: path)
            client.send("GET /api/server_info HTTP/1.1\r\nHo")
            let response = await client.nextResponse()
            #expect(response?.status == 408)
            #expect(await client.closedByPeer())
        }
    }

    @Test func arbiterServe_servesHTTPBesideTheJSONRPCSocket_withTheSameDecision() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let daemon = try ArbiterProcess(in: dir.path, extraServer: "  udsFileMode: \"0640\"")
        let http = try await daemon.waitUntilListening()
        var st = stat()
        #expect(stat(daemon.httpSocket, &st) == 0 && st.st_mode & 0o777 == 0o640)
        let rpc = try await waitForConnection { try RawHTTPClient(unixPath: daemon.jsonRPCSocket) }
        http.send("POST /api/check/resources HTTP/1.1\r\nHost: x\r\nContent-Length: \(leaveRequestCheck.utf8.count)\r\n\r\n\(leaveRequestCheck)")
        let httpBody = await http.nextResponse()?.body
        let frame = Array(#"{"jsonrpc":"2.0","id":7,"method":"CheckResources","params":"#.utf8) + Array(leaveRequestCheck.utf8) + [UInt8(ascii: "}")]
        let n = UInt32(frame.count)
        rpc.send([UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + frame)
        let rpcFrame = await rpc.nextFrame()
        let rpcResult = try lookup(JSONReader.parse(rpcFrame ?? []), "result")
        #expect(httpBody != nil)
        // The same decision, each answer under its own cerbosCallId.
        let httpValue = try httpBody.map { try JSONReader.parse(Array($0.utf8)) }
        #expect(httpValue.flatMap { stringValue(lookup($0, "cerbosCallId")) } != nil)
        #expect(try rpcResult.map { try JSONWriter.encodeString(withoutCallID($0)) }
                == httpValue.map { try JSONWriter.encodeString(withoutCallID($0)) })
        #expect(await daemon.stop() == 0, "\(daemon.log())")
        #expect(stat(daemon.httpSocket, &st) != 0, "the daemon removes the HTTP socket file it created")
    }

    @Test func arbiterServe_refusesToStart_whenTheHTTPSocketPathIsALiveSocket_andReleasesTheJSONRPCSocket() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let busy = try ListeningSocket.bind(path: dir.path + "/http.sock", mode: 0o600, group: nil, logger: testLogger)
        defer { close(busy.descriptor) }
        let daemon = try ArbiterProcess(in: dir.path)
        #expect(await daemon.waitForExit() != 0)
        #expect(daemon.log().contains("another server is already listening on \(dir.path)/http.sock"), "\(daemon.log())")
        var st = stat()
        #expect(stat(daemon.jsonRPCSocket, &st) != 0, "the JSON-RPC socket file is removed when start-up fails")
    }
}

/// Retries `connect` until the daemon listens (up to 60 s on a loaded machine).
func waitForConnection(_ connect: () throws -> RawHTTPClient) async throws -> RawHTTPClient {
    var lastError: (any Error)?
    for _ in 0..<600 {
        do { return try connect() } catch { lastError = error }
        try await Task.sleep(for: .milliseconds(100))
    }
    throw lastError ?? TestSetupError("no connection")
}
