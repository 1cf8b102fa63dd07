import GRPCCore
import NIOCore

/// The request messages of one stream, reassembled from its DATA frames: the 5-byte prefix
/// (flag, big-endian length) is checked as soon as it arrives, so a message over the limit is
/// refused before its bytes are buffered, as grpc-go refuses it.
///
/// Invariant: `pending` holds only the bytes of the message being read (its prefix included);
/// a DATA frame that carries a whole message is kept as it came, without a copy.
struct GRPCMessageReader {
    let maxMessageSize: Int
    /// The message of the stream; a unary or server-streaming call has exactly one.
    private(set) var message: ByteBuffer?
    private var pending: ByteBuffer?

    init(maxMessageSize: Int) {
        self.maxMessageSize = maxMessageSize
    }

    /// Takes the next DATA frame's bytes; fails as grpc-go does on an over-limit length, a
    /// compressed or unknown payload flag, or a second message.
    mutating func append(_ data: ByteBuffer) throws(GRPCCallError) {
        if pending == nil {
            pending = data
        } else {
            var data = data
            pending!.writeBuffer(&data)
        }
        while let buffer = pending, buffer.readableBytes >= 5 {
            let flag = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self)!
            let length = Int(buffer.getInteger(at: buffer.readerIndex + 1, as: UInt32.self)!)
            if length > maxMessageSize {
                throw GRPCCallError(.resourceExhausted, "grpc: received message larger than max (\(length) vs. \(maxMessageSize))")
            }
            guard buffer.readableBytes >= 5 + length else { return }
            switch flag {
            case 0: break
            case 1: throw GRPCCallError(.internalError, "grpc: compressed flag set with identity or empty encoding")
            default: throw GRPCCallError(.internalError, "grpc: received unexpected payload format \(flag)")
            }
            if message != nil {
                throw GRPCCallError(.internalError, "grpc: a unary or server-streaming call sent more than one request message")
            }
            message = buffer.getSlice(at: buffer.readerIndex + 5, length: length)
            pending = buffer.readableBytes == 5 + length ? nil : buffer.getSlice(at: buffer.readerIndex + 5 + length,
                                                                                  length: buffer.readableBytes - 5 - length)
        }
    }

    /// The one message, at the end of the request: none, or a message cut short, is INTERNAL.
    func finish() throws(GRPCCallError) -> ByteBuffer {
        if let pending, pending.readableBytes > 0 {
            throw GRPCCallError(.internalError, "grpc: the request ended inside a message (\(pending.readableBytes) bytes of it)")
        }
        guard let message else {
            throw GRPCCallError(.internalError, "grpc: a unary or server-streaming call sent no request message")
        }
        return message
    }
}
