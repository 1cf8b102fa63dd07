#if canImport(Glibc)
import Glibc
#endif
import ArbiterClient
import ArbiterJSON
import ArbiterServer
import CEL
import NIOCore
import NIOPosix
import ServiceLifecycle
import Testing

/// A real server on a real Unix socket in a temporary directory, run for the body's duration.
func withLiveServer(
    limits: SocketServer<FileListDecisions>.Limits = .init(maxFrameSize: 4096, frameTimeout: .seconds(2)),
    peerPolicy: PeerPolicy = PeerPolicy(),
    _ body: (String, PolicyStore<[String]>) async throws -> Void
) async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let path = dir.path + "/arbiter.sock"
    let store = PolicyStore<[String]>()
    store.publish(["one.yaml"], policyCount: 1, record: ReloadRecord(
        time: Timestamp(seconds: 0), outcome: .success, diagnostics: [], durationMilliseconds: 0, trigger: "test"))
    let socket = try ListeningSocket.bind(path: path, mode: 0o660, group: nil, logger: testLogger)
    let dispatcher = RPCDispatcher(service: FileListDecisions(), store: store,
                                   identity: ServerIdentity(version: "t", build: "t"), logger: testLogger)
    let (listening, signal) = AsyncStream<Void>.makeStream()
    let server = SocketServer(socket: socket, dispatcher: dispatcher, limits: limits, peerPolicy: peerPolicy, logger: testLogger,
                              onListening: { signal.yield(); signal.finish() })
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.run() }
        for await _ in listening {}
        try await body(path, store)
        group.cancelAll()
        try await group.waitForAll()
    }
}

/// A blocking raw connection for byte-level tests.
final class RawConnection: @unchecked Sendable {
    let fd: CInt

    init(path: String) throws {
        fd = try unixSocket(path, type: CInt(SOCK_STREAM.rawValue), connecting: true, receiveTimeoutSeconds: 5)
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) { _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } }

    func sendFrame(_ payload: String) {
        let p = Array(payload.utf8)
        let n = UInt32(p.count)
        send([UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + p)
    }

    func readExactly(_ n: Int) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: n)
        var got = 0
        while got < n {
            let r = out.withUnsafeMutableBytes { read(fd, $0.baseAddress! + got, n - got) }
            if r < 0 && errno == EINTR { continue }
            if r <= 0 { return nil }
            got += r
        }
        return out
    }

    /// The next response frame, read on a thread-pool thread so the test never blocks the
    /// cooperative pool the server's tasks need.
    func nextFrame() async throws -> String? {
        try await NIOThreadPool.singleton.runIfActive { self.readFrame() }
    }

    /// Whether the server closed the connection, waiting off the cooperative pool.
    func closedByPeer() async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { self.isClosedByPeer() }
    }

    /// The next response frame, or nil at end of stream.
    func readFrame() -> String? {
        guard let h = readExactly(4) else { return nil }
        let n = Int(h[0]) << 24 | Int(h[1]) << 16 | Int(h[2]) << 8 | Int(h[3])
        return readExactly(n).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether the server closed the connection (read returns 0).
    func isClosedByPeer() -> Bool {
        var b: UInt8 = 0
        var r = read(fd, &b, 1)
        while r < 0 && errno == EINTR { r = read(fd, &b, 1) }
        return r == 0
    }
}

func checkRequest(_ principal: String) -> Value {
    .map(MapValue(stringKeyed: [("principal", .map(MapValue(stringKeyed: [("id", .string(principal))])))]))
}

@Suite struct SocketServerLiveTests {
    @Test func pipelinedCalls_onOneConnection_allGetTheirOwnResponse() async throws {
        try await withLiveServer { path, _ in
            let client = try await ArbiterClient.connect(path: path)
            let results = try await withThrowingTaskGroup(of: (Int, Value).self) { group in
                for i in 0..<50 {
                    group.addTask { (i, try await client.checkResources(checkRequest("user\(i)"))) }
                }
                var all: [Int: Value] = [:]
                for try await (i, v) in group { all[i] = v }
                return all
            }
            #expect(results.count == 50)
            for (i, v) in results {
                #expect(try text(v) == #"{"principal":"user\#(i)","files":["one.yaml"]}"#)
            }
            await client.close()
        }
    }

    @Test func rawPipelining_responsesComeBackInRequestOrder() async throws {
        try await withLiveServer { path, _ in
            let conn = try RawConnection(path: path)
            var batch: [UInt8] = []
            for i in 1...20 {
                let p = Array(#"{"jsonrpc":"2.0","id":\#(i),"method":"CheckResources","params":{"principal":{"id":"u"}}}"#.utf8)
                let n = UInt32(p.count)
                batch += [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + p
            }
            conn.send(batch)
            for i in 1...20 {
                let r = try #require(try await conn.nextFrame())
                #expect(r.hasPrefix(#"{"jsonrpc":"2.0","id":\#(i),"result""#))
            }
        }
    }

    @Test func malformedFrame_getsParseError_andTheConnectionKeepsWorking() async throws {
        try await withLiveServer { path, _ in
            let client = try await ArbiterClient.connect(path: path)
            let bad = try await client.sendRawFrame(Array("{\"jsonrpc\": 2.0,".utf8))
            #expect(try text(bad).contains(#""code":-32700"#))
            let health = try await client.health()
            #expect(try text(health).contains(#""status":"SERVING""#))
            await client.close()
        }
    }

    @Test func oversizedFrame_getsErrorAndClose_otherConnectionsUnaffected() async throws {
        try await withLiveServer { path, _ in
            let other = try await ArbiterClient.connect(path: path)
            let conn = try RawConnection(path: path)
            conn.send([0, 1, 0, 0])  // 65536 > 4096
            let r = try #require(try await conn.nextFrame())
            #expect(r.contains("exceeds the maximum of 4096 bytes"))
            #expect(try await conn.closedByPeer())
            #expect(try text(try await other.serverInfo()).contains(#""protocolVersion":1"#))
            await other.close()
        }
    }

    @Test func peerDisconnectingMidFrame_doesNotDisturbOthers_andStalledPeerIsTimedOut() async throws {
        try await withLiveServer { path, _ in
            let other = try await ArbiterClient.connect(path: path)
            do {
                let leaving = try RawConnection(path: path)
                leaving.send([0, 0, 0, 100, UInt8(ascii: "{")])
            }
            let stalled = try RawConnection(path: path)
            stalled.send([0, 0, 0, 50, UInt8(ascii: "{")])
            #expect(try text(try await other.health()).contains("SERVING"))
            let started = ContinuousClock.now
            let r = try #require(try await stalled.nextFrame())
            #expect(r.contains("timed out"))
            #expect(try await stalled.closedByPeer())
            #expect(ContinuousClock.now - started < .seconds(4))
            #expect(try text(try await other.health()).contains("SERVING"))
            await other.close()
        }
    }

    @Test func manyConnections_areServedConcurrently() async throws {
        try await withLiveServer { path, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for c in 0..<8 {
                    group.addTask {
                        let client = try await ArbiterClient.connect(path: path)
                        for i in 0..<20 {
                            let v = try await client.checkResources(checkRequest("c\(c)-\(i)"))
                            #expect(try text(v).contains(#""principal":"c\#(c)-\#(i)""#))
                        }
                        await client.close()
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    @Test func peerNotInAllowList_isRefused() async throws {
        try await withLiveServer(peerPolicy: PeerPolicy(allowedUIDs: [getuid() &+ 12345])) { path, _ in
            let conn = try RawConnection(path: path)
            conn.sendFrame(#"{"jsonrpc":"2.0","id":1,"method":"Health"}"#)
            #expect(try await conn.nextFrame() == nil)
        }
        try await withLiveServer(peerPolicy: PeerPolicy(allowedUIDs: [getuid()])) { path, _ in
            let conn = try RawConnection(path: path)
            conn.sendFrame(#"{"jsonrpc":"2.0","id":1,"method":"Health"}"#)
            #expect(try await conn.nextFrame()?.contains("SERVING") == true)
        }
    }
}
