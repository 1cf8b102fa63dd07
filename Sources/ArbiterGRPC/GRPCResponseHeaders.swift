import GRPCCore
import NIOCore
import NIOHPACK
import SwiftProtobuf

/// The header blocks and message framing of a gRPC response (the gRPC over HTTP/2 spec): a head
/// (`:status 200`, content type), length-prefixed messages, and trailers with `grpc-status` and
/// `grpc-message`; a call that fails before any message is answered trailers-only.
enum GRPCResponseHeaders {
    static let head: HPACKHeaders = [":status": "200", "content-type": "application/grpc"]
    static let okTrailers: HPACKHeaders = ["grpc-status": "0"]

    /// Trailers-only: the head and the status in one block that ends the stream.
    static func trailersOnly(_ error: GRPCCallError) -> HPACKHeaders {
        var headers: HPACKHeaders = [":status": String(error.httpStatus), "content-type": "application/grpc",
                                     "grpc-status": String(error.code.rawValue)]
        if !error.message.isEmpty { headers.add(name: "grpc-message", value: percentEncoded(error.message)) }
        return headers
    }

    /// `message` serialized behind its 5-byte prefix (not compressed, 4-byte big-endian length).
    static func frame(_ message: some SwiftProtobuf.Message, allocator: ByteBufferAllocator) throws -> ByteBuffer {
        let bytes: [UInt8] = try message.serializedBytes()
        var buffer = allocator.buffer(capacity: 5 + bytes.count)
        buffer.writeInteger(UInt8(0))
        buffer.writeInteger(UInt32(bytes.count))
        buffer.writeBytes(bytes)
        return buffer
    }

    /// `grpc-message`'s encoding: bytes outside printable ASCII, and `%`, as `%XX` of the UTF-8.
    static func percentEncoded(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for b in text.utf8 {
            if b >= 0x20, b <= 0x7E, b != UInt8(ascii: "%") {
                out.append(b)
            } else {
                out += [UInt8(ascii: "%"), hex[Int(b >> 4)], hex[Int(b & 0xF)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
