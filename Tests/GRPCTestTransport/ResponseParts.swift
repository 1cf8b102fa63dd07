import GRPCCore
import NIOCore
import NIOHTTP2

/// A call's response as grpc-swift reads it: the stream's frames through a `ResponseDecoder`,
/// always ending in a `.status`: a stream reset, or closed with the connection, before the server
/// sent one ends with the status that says so rather than leaving the caller waiting.
struct ResponseParts: AsyncSequence, Sendable {
    typealias Element = RPCResponsePart<[UInt8]>
    typealias Failure = any Error

    let frames: NIOAsyncChannelInboundStream<HTTP2Frame.FramePayload>
    /// The connection's channel: whether it is still open tells a reset stream from a lost connection.
    let connection: any Channel

    func makeAsyncIterator() -> Iterator {
        Iterator(frames: frames.makeAsyncIterator(), connection: connection)
    }

    struct Iterator: AsyncIteratorProtocol {
        typealias Element = RPCResponsePart<[UInt8]>
        typealias Failure = any Error

        var frames: NIOAsyncChannelInboundStream<HTTP2Frame.FramePayload>.AsyncIterator
        let connection: any Channel
        var decoder = ResponseDecoder()
        var ready: [RPCResponsePart<[UInt8]>] = []

        init(frames: NIOAsyncChannelInboundStream<HTTP2Frame.FramePayload>.AsyncIterator, connection: any Channel) {
            self.frames = frames
            self.connection = connection
        }

        mutating func next() async throws -> RPCResponsePart<[UInt8]>? {
            while ready.isEmpty {
                if decoder.ended { return nil }
                do {
                    if let frame = try await frames.next() {
                        ready = decoder.decode(frame)
                    } else {
                        ready = [decoder.streamEnded(error: nil, connectionOpen: connection.isActive)]
                    }
                } catch {
                    ready = [decoder.streamEnded(error: error, connectionOpen: connection.isActive)]
                }
            }
            return ready.removeFirst()
        }
    }
}
