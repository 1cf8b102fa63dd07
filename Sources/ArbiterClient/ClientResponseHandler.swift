import ArbiterJSON
import CEL
import NIOCore

/// Splits the server's byte stream into frames.
struct ClientFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer
    let maxFrameSize: Int

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length: UInt32 = buffer.getInteger(at: buffer.readerIndex, endianness: .big) else { return .needMoreData }
        guard Int(length) <= maxFrameSize else { throw ArbiterClientError.malformedResponse("frame of \(length) bytes is too large") }
        guard buffer.readableBytes >= 4 + Int(length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 4)
        context.fireChannelRead(wrapInboundOut(buffer.readSlice(length: Int(length))!))
        return .continue
    }
}

/// Writes requests and completes their promises as responses arrive. The server answers in
/// request order, so responses are matched in order and checked against the id when it has one.
final class ClientResponseHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var pending: [(id: Int?, promise: EventLoopPromise<Value>)] = []
    private var head = 0
    private var counter = 0

    func nextID() -> Int {
        counter += 1
        return counter
    }

    func send(payload: [UInt8], id: Int?, channel: any Channel) -> EventLoopFuture<Value> {
        let promise = channel.eventLoop.makePromise(of: Value.self)
        guard channel.isActive else {
            promise.fail(ArbiterClientError.connectionClosed)
            return promise.futureResult
        }
        pending.append((id, promise))
        var buf = channel.allocator.buffer(capacity: payload.count + 4)
        buf.writeInteger(UInt32(payload.count), endianness: .big)
        buf.writeBytes(payload)
        channel.writeAndFlush(buf, promise: nil)
        return promise.futureResult
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        guard head < pending.count else { return }
        let (id, promise) = pending[head]
        head += 1
        if head > 64, head * 2 > pending.count {
            pending.removeFirst(head)
            head = 0
        }
        do {
            let response = try frame.withUnsafeReadableBytes { try JSONReader.parse($0) }
            if let id, case let .map(m) = response, case let .double(got)? = m[string: "id"], Int(got) != id {
                promise.fail(ArbiterClientError.malformedResponse("expected the response to request \(id), got \(Int(got))"))
                return
            }
            promise.succeed(response)
        } catch {
            promise.fail(ArbiterClientError.malformedResponse("\(error)"))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        failAll()
        context.close(promise: nil)
    }

    private func failAll() {
        while head < pending.count {
            pending[head].promise.fail(ArbiterClientError.connectionClosed)
            head += 1
        }
        pending.removeAll()
        head = 0
    }
}
