@testable import ArbiterGRPC
import ArbiterEngine
import ArbiterServer
import NIOCore
import NIOEmbedded
import NIOHPACK
import NIOHTTP2
import SwiftProtobuf

/// A server connection (NIOHTTP2Handler + GRPCConnectionHandler) and an HTTP/2 client (NIO's
/// handler in client mode, no multiplexer) on two embedded channels, bytes pumped between them
/// by hand: the server's frames can be read one by one, and its timers run on `advanceTime`.
final class GRPCEmbeddedConnection {
    let server: EmbeddedChannel
    let client: EmbeddedChannel
    let received = ReceivedFrames()
    let sent = SentFrames()
    let health: HealthGRPCService
    let store: PolicyStore<Engine>

    init(engine: Engine?, limits: GRPCServerLimits = GRPCServerLimits()) throws {
        let loop = EmbeddedEventLoop()
        server = EmbeddedChannel(loop: loop)
        client = EmbeddedChannel(loop: loop)
        store = TestPolicies.store(engine)
        health = HealthGRPCService(store: store)
        let answerer = GRPCCallAnswerer(cerbos: CerbosGRPCService(store: store, identity: LiveServer.identity), health: health,
                                        limits: limits)
        try GRPCServerService.addHandlers(to: server.pipeline.syncOperations, answerer: answerer, peer: nil)
        try server.pipeline.syncOperations.addHandler(
            sent, position: .before(server.pipeline.syncOperations.handler(type: GRPCConnectionHandler.self)))
        try client.pipeline.syncOperations.addHandler(NIOHTTP2Handler(mode: .client, initialSettings: nioDefaultSettings))
        try client.pipeline.syncOperations.addHandler(received)
        let address = try SocketAddress(ipAddress: "127.0.0.1", port: 1)
        try server.connect(to: address).wait()
        try client.connect(to: address).wait()
        try pump()
    }

    /// Moves bytes both ways until neither side has anything to send.
    func pump() throws {
        var moved = true
        while moved {
            moved = false
            while let bytes = try client.readOutbound(as: ByteBuffer.self) {
                moved = true
                try server.writeInbound(bytes)
            }
            while let bytes = try server.readOutbound(as: ByteBuffer.self) {
                moved = true
                try client.writeInbound(bytes)
            }
        }
    }

    /// Writes `frames` from the client and pumps.
    func send(_ frames: HTTP2Frame...) throws {
        for frame in frames { client.write(frame, promise: nil) }
        client.flush()
        try pump()
    }

    /// The request HEADERS of a gRPC call to `path`.
    static func requestHeaders(_ path: String, contentType: String = "application/grpc",
                               extra: [(String, String)] = []) -> HPACKHeaders {
        var h: HPACKHeaders = [":method": "POST", ":scheme": "http", ":authority": "localhost", ":path": path,
                               "content-type": contentType, "te": "trailers"]
        for (k, v) in extra { h.add(name: k, value: v) }
        return h
    }

    /// `message` behind its 5-byte prefix.
    static func framed(_ message: some SwiftProtobuf.Message) throws -> ByteBuffer {
        let bytes: [UInt8] = try message.serializedBytes()
        var buffer = ByteBuffer()
        buffer.writeInteger(UInt8(0))
        buffer.writeInteger(UInt32(bytes.count))
        buffer.writeBytes(bytes)
        return buffer
    }

    /// A whole unary call on `stream`: HEADERS, one DATA frame with END_STREAM.
    func call(_ stream: Int, _ path: String, _ message: some SwiftProtobuf.Message) throws {
        let id = HTTP2StreamID(stream)
        try send(HTTP2Frame(streamID: id, payload: .headers(.init(headers: Self.requestHeaders(path)))),
                 HTTP2Frame(streamID: id, payload: .data(.init(data: .byteBuffer(try Self.framed(message)), endStream: true))))
    }
}

/// The frames the client side received, by stream.
final class ReceivedFrames: ChannelInboundHandler {
    typealias InboundIn = HTTP2Frame
    private(set) var frames: [HTTP2Frame] = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        frames.append(unwrapInboundIn(data))
    }

    func on(_ stream: Int) -> [HTTP2Frame.FramePayload] {
        frames.filter { $0.streamID == HTTP2StreamID(stream) }.map(\.payload)
    }

    /// The header blocks of `stream`, in order.
    func headerBlocks(_ stream: Int) -> [(HPACKHeaders, endStream: Bool)] {
        on(stream).compactMap { if case let .headers(h) = $0 { return (h.headers, h.endStream) } else { return nil } }
    }

    /// The messages of `stream`'s DATA frames decoded as `M` (each frame holding whole messages).
    func messages<M: SwiftProtobuf.Message>(_ stream: Int, as type: M.Type) throws -> [M] {
        var bytes = ByteBuffer()
        for case let .data(d) in on(stream) {
            if case var .byteBuffer(b) = d.data { bytes.writeBuffer(&b) }
        }
        var out: [M] = []
        while bytes.readableBytes >= 5 {
            _ = bytes.readInteger(as: UInt8.self)
            let length = Int(bytes.readInteger(as: UInt32.self)!)
            guard let body = bytes.readBytes(length: length) else { break }
            out.append(try M(serializedBytes: body))
        }
        return out
    }

    /// The grpc-status of `stream`'s last header block.
    func status(_ stream: Int) -> String? { headerBlocks(stream).last?.0.first(name: "grpc-status") }

    func resets(_ stream: Int) -> [HTTP2ErrorCode] {
        on(stream).compactMap { if case let .rstStream(code) = $0 { return code } else { return nil } }
    }
}

/// The frames the server's gRPC handler wrote, before NIOHTTP2Handler encodes them.
final class SentFrames: ChannelOutboundHandler {
    typealias OutboundIn = HTTP2Frame
    private(set) var frames: [HTTP2Frame] = []

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        frames.append(unwrapOutboundIn(data))
        context.write(data, promise: promise)
    }

    func resets(_ stream: Int) -> [HTTP2ErrorCode] {
        frames.filter { $0.streamID == HTTP2StreamID(stream) }.compactMap {
            if case let .rstStream(code) = $0.payload { return code } else { return nil }
        }
    }
}
