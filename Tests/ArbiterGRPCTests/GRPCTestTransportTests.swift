import GRPCCore
@testable import GRPCTestTransport
import NIOCore
import NIOHPACK
import NIOHTTP2
import Testing

/// The test transport's own framing, checked apart from any server: the live tests trust it to
/// report what the server sent, so a decoding mistake here would pass or fail them for nothing.
struct GRPCTestTransportTests {
    static func data(_ bytes: [UInt8], endStream: Bool = false) -> HTTP2Frame.FramePayload {
        .data(.init(data: .byteBuffer(ByteBuffer(bytes: bytes)), endStream: endStream))
    }

    static func headers(_ headers: HPACKHeaders, endStream: Bool = false) -> HTTP2Frame.FramePayload {
        .headers(.init(headers: headers, endStream: endStream))
    }

    static let responseHead: HPACKHeaders = [":status": "200", "content-type": "application/grpc", "x-answer": "yes"]

    @Test func messagesAreReassembledAcrossFrames_andSplitWithinOne() {
        var decoder = ResponseDecoder()
        #expect(decoder.decode(Self.headers(Self.responseHead)) == [.metadata(["content-type": "application/grpc", "x-answer": "yes"])])
        // Message 1 (3 bytes) split across two frames; then message 2 (0 bytes) and message 3 (1 byte) in one frame.
        #expect(decoder.decode(Self.data([0, 0, 0, 0, 3, 1])) == [])
        #expect(decoder.decode(Self.data([2, 3])) == [.message([1, 2, 3])])
        #expect(decoder.decode(Self.data([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 9])) == [.message([]), .message([9])])
        let trailers: HPACKHeaders = ["grpc-status": "5", "grpc-message": "no%20such%20thing%E2%9C%93%zz", "x-t": "1"]
        #expect(decoder.decode(Self.headers(trailers, endStream: true))
                == [.status(Status(code: .notFound, message: "no such thing✓%zz"), ["x-t": "1"])])
        #expect(decoder.ended)
    }

    @Test func trailersOnly_isTheStatus() {
        var decoder = ResponseDecoder()
        let only: HPACKHeaders = [":status": "200", "content-type": "application/grpc", "grpc-status": "12", "grpc-message": "nope"]
        #expect(decoder.decode(Self.headers(only, endStream: true))
                == [.status(Status(code: .unimplemented, message: "nope"), ["content-type": "application/grpc"])])
    }

    @Test(arguments: [(415, Status.Code.unknown), (404, .unimplemented), (503, .unavailable), (400, .internalError)])
    func anHTTPStatusWithoutGRPCStatus_isMappedAsTheSpecSays(http: Int, code: Status.Code) {
        var decoder = ResponseDecoder()
        let parts = decoder.decode(Self.headers([":status": "\(http)"], endStream: true))
        guard case .status(let status, _)? = parts.first else { Issue.record("no status: \(parts)"); return }
        #expect(status.code == code)
        var streaming = ResponseDecoder()
        guard case .status(let again, _)? = streaming.decode(Self.headers([":status": "\(http)"])).first else {
            Issue.record("no status for a non-200 response head"); return
        }
        #expect(again.code == code)
    }

    @Test func resetsAndLostStreams_endInAStatus() {
        var reset = ResponseDecoder()
        _ = reset.decode(Self.headers(Self.responseHead))
        guard case .status(let cancelled, _)? = reset.decode(.rstStream(.cancel)).first else { Issue.record("no status"); return }
        #expect(cancelled.code == .cancelled)
        var lost = ResponseDecoder()
        _ = lost.decode(Self.headers(Self.responseHead))
        _ = lost.decode(Self.data([0, 0, 0, 0, 9, 1]))
        guard case .status(let unavailable, _) = lost.streamEnded(error: nil, connectionOpen: false) else { Issue.record("no status"); return }
        #expect(unavailable.code == .unavailable)
        var noTrailers = ResponseDecoder()
        _ = noTrailers.decode(Self.headers(Self.responseHead))
        #expect(noTrailers.decode(Self.data([0, 0, 0, 0, 1, 7], endStream: true)).count == 2)
        #expect(noTrailers.ended)
    }

    @Test func grpcTimeout_usesTheFinestUnitThatFits_roundingUp() {
        #expect(RequestHead.grpcTimeout(.nanoseconds(1)) == "1n")
        #expect(RequestHead.grpcTimeout(.milliseconds(99)) == "99000000n")
        #expect(RequestHead.grpcTimeout(.milliseconds(100)) == "100000u")
        #expect(RequestHead.grpcTimeout(.seconds(30)) == "30000000u")
        #expect(RequestHead.grpcTimeout(.seconds(100)) == "100000m")
        #expect(RequestHead.grpcTimeout(.seconds(1_000_000)) == "1000000S")
        #expect(RequestHead.grpcTimeout(.seconds(200_000_000)) == "3333334M")
    }

    @Test func requestHeaders_carryTheCallAndItsMetadata() {
        let head = RequestHead(descriptor: MethodDescriptor(fullyQualifiedService: "a.B", method: "C"), timeout: .seconds(1))
        let headers = head.headers(["X-Tenant": "t1", "trace-bin": .binary([0xFF, 0x00])])
        #expect(headers.first(name: ":path") == "/a.B/C")
        #expect(headers.first(name: ":method") == "POST")
        #expect(headers.first(name: "te") == "trailers")
        #expect(headers.first(name: "content-type") == "application/grpc")
        #expect(headers.first(name: "grpc-timeout") == "1000000u")
        #expect(headers.first(name: "x-tenant") == "t1")
        #expect(headers.first(name: "trace-bin") == "/wA=")
        #expect(Array(headers.map { $0.name }.prefix(4)).allSatisfy { $0.hasPrefix(":") })
    }
}
