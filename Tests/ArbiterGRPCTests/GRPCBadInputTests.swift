#if canImport(Glibc)
import Glibc
#endif
import ArbiterEngine
import ArbiterGRPC
import GRPCCore
import SwiftProtobuf
import Testing

/// Bad input on the gRPC socket gets errors or a closed connection, never a crash, and other
/// clients go on being answered.
@Suite(.serialized) struct GRPCBadInputTests {
    static let http2Preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    static let garbage: [UInt8] = (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) }
    static let http1: [UInt8] = Array("POST /cerbos.svc.v1.CerbosService/CheckResources HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}".utf8)
    static let settings: [UInt8] = [0, 0, 0, 0x04, 0, 0, 0, 0, 0]
    /// A PING frame header announcing 64 KiB, past the 16 KiB frame size the server allows: a
    /// FRAME_SIZE_ERROR for the connection.
    static let lyingFrame: [UInt8] = http2Preface + [0x01, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02]
    /// HEADERS on stream 1 whose block is an HPACK index far past the tables: a compression error.
    static let badHPACK: [UInt8] = http2Preface + settings + [0, 0, 4, 0x01, 0x05, 0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF]

    static let badInputs: [(String, [UInt8])] = [
        ("garbage", garbage), ("HTTP/1.1", http1), ("preface then a frame over the size limit", lyingFrame),
        ("preface then a HEADERS frame of undecodable HPACK", badHPACK),
    ]

    @Test(arguments: badInputs)
    func badBytes_closeThatConnectionOnly(name: String, bytes: [UInt8]) async throws {
        try await LiveServer.with(engine: try TestPolicies.engine()) { server in
            try await server.withClient { client in
                let cerbos = Cerbos_Svc_V1_CerbosService.Client(wrapping: client)
                _ = try await cerbos.serverInfo(Cerbos_Request_V1_ServerInfoRequest())
                let fd = try RawSocket.connect(server.socketPath)
                defer { close(fd) }
                _ = RawSocket.send(fd, bytes)
                let reply = RawSocket.readUntilClosed(fd, seconds: 5)
                #expect(reply.closed, "the server kept a connection that sent \(name) open")
                if name == "HTTP/1.1" {
                    // Not an HTTP/1 answer: the server speaks only HTTP/2 (an HTTP/2 GOAWAY frame or nothing).
                    #expect(!reply.bytes.starts(with: Array("HTTP/1.1 200".utf8)))
                }
                let response = try await cerbos.checkResources(checkRequest())
                #expect(response.results.first?.actions["view"] == .allow)
            }
        }
    }

    @Test func abruptCloseMidRequest_leavesTheServerServing() async throws {
        try await LiveServer.with(engine: try TestPolicies.engine()) { server in
            for _ in 0..<20 {
                let fd = try RawSocket.connect(server.socketPath)
                // The preface, an empty SETTINGS frame and half of a HEADERS frame, then gone.
                _ = RawSocket.send(fd, Self.http2Preface + Self.settings + [0, 0, 40, 0x01, 0x04, 0, 0, 0, 1, 0x83])
                close(fd)
            }
            try await server.withClient { client in
                let response = try await Cerbos_Svc_V1_CerbosService.Client(wrapping: client).checkResources(checkRequest())
                #expect(response.results.count == 1)
            }
        }
    }

    /// Cancelling calls resets their streams (RST_STREAM); the connection and the server go on.
    @Test func cancelledStreams_leaveTheConnectionServing() async throws {
        try await LiveServer.with(engine: nil) { server in
            try await server.withClient { client in
                let health = Grpc_Health_V1_Health.Client(wrapping: client)
                for _ in 0..<20 {
                    let watch = Task {
                        try await health.watch(.with { $0.service = "" }) { response in
                            for try await _ in response.messages {}
                        }
                    }
                    try await Task.sleep(for: .milliseconds(20))
                    watch.cancel()
                    _ = await watch.result
                }
                let status = try await health.check(.with { $0.service = "" })
                #expect(status.status == .notServing)
            }
        }
    }

    /// Far more concurrent calls than the per-connection stream limit: every one is answered,
    /// and a second client is answered while they run.
    @Test func manyConcurrentStreams_areAllAnswered_andOtherClientsUnaffected() async throws {
        try await LiveServer.with(engine: try TestPolicies.engine(), limits: GRPCServerLimits(maxConcurrentStreams: 64)) { server in
            try await server.withClient { client in
                let cerbos = Cerbos_Svc_V1_CerbosService.Client(wrapping: client)
                let calls = 2000
                async let other: Int = server.withClient { second in
                    let c = Cerbos_Svc_V1_CerbosService.Client(wrapping: second)
                    var answered = 0
                    for _ in 0..<20 where try await c.serverInfo(Cerbos_Request_V1_ServerInfoRequest()).version == "9.8.7" {
                        answered += 1
                    }
                    return answered
                }
                let allowed = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for i in 0..<calls {
                        group.addTask {
                            let r = try await cerbos.checkResources(checkRequest(principalID: "p\(i)", owner: "p\(i)"))
                            return r.results.first?.actions == ["view": .allow, "edit": .allow]
                        }
                    }
                    var n = 0
                    for try await ok in group where ok { n += 1 }
                    return n
                }
                #expect(allowed == calls)
                #expect(try await other == 20)
            }
        }
    }
}

/// Blocking Unix-socket I/O for the raw-bytes tests.
enum RawSocket {
    static func connect(_ path: String) throws -> CInt {
        let fd = socket(AF_UNIX, CInt(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket failed") }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in path.utf8.enumerated() { raw[i] = b }
        }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0 else {
            close(fd)
            throw TestFailure("connect to \(path) failed: errno \(errno)")
        }
        return fd
    }

    @discardableResult
    static func send(_ fd: CInt, _ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, CInt(MSG_NOSIGNAL)) }
    }

    /// Reads until the peer closes or `seconds` pass; `closed` tells which.
    static func readUntilClosed(_ fd: CInt, seconds: Int) -> (bytes: [UInt8], closed: Bool) {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n == 0 { return (out, true) }
            if n < 0 { return (out, errno == ECONNRESET) }
            out += buffer[0..<n]
        }
    }
}
