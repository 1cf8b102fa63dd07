import NIOCore
import NIOHTTP1

/// Writes a whole response — status line, headers, JSON body — into one buffer, so a response is
/// one write through the pipeline and one `writev`, as on the JSON-RPC socket. Every response of
/// the front end has this shape, so NIO's general response encoder is not needed.
enum HTTPResponseEncoding {
    /// The bytes of `response` for a client speaking `version`; `keepAlive` false adds
    /// `Connection: close`, and HTTP/1.0 keep-alive is confirmed with `Connection: keep-alive`.
    static func encode(_ response: HTTPAPIResponse, version: HTTPVersion, keepAlive: Bool,
                       allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 160 + response.body.count)
        buffer.writeStaticString(version.minor == 0 ? "HTTP/1.0 " : "HTTP/1.1 ")
        buffer.writeString(String(response.status.code))
        buffer.writeStaticString(" ")
        buffer.writeString(response.status.reasonPhrase)
        buffer.writeStaticString("\r\ncontent-type: ")
        buffer.writeString(response.contentType)
        buffer.writeStaticString("\r\ncontent-length: ")
        buffer.writeString(String(response.body.count))
        for (name, value) in response.headers {
            buffer.writeStaticString("\r\n")
            buffer.writeString(name)
            buffer.writeStaticString(": ")
            buffer.writeString(value)
        }
        if !keepAlive {
            buffer.writeStaticString("\r\nconnection: close")
        } else if version.minor == 0 {
            buffer.writeStaticString("\r\nconnection: keep-alive")
        }
        buffer.writeStaticString("\r\n\r\n")
        buffer.writeBytes(response.body)
        return buffer
    }

    /// `100 Continue`, inviting the body of a request that sent `Expect: 100-continue`.
    static func continueResponse(version: HTTPVersion, allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 32)
        buffer.writeStaticString(version.minor == 0 ? "HTTP/1.0 100 Continue\r\n\r\n" : "HTTP/1.1 100 Continue\r\n\r\n")
        return buffer
    }

    /// The answer to a request the HTTP parser rejects.
    static func gatewayError(_ error: HTTPParserError, maxHeaderSize: Int) -> GatewayError {
        switch error {
        case .headerOverflow:
            return GatewayError(status: .requestHeaderFieldsTooLarge, code: GatewayError.Code.invalidArgument,
                                message: "request headers are larger than the limit of \(maxHeaderSize) bytes")
        case .invalidVersion:
            return GatewayError(status: .httpVersionNotSupported, code: GatewayError.Code.invalidArgument,
                                message: "malformed HTTP request: unsupported HTTP version; send HTTP/1.1")
        default:
            return .invalidArgument("malformed HTTP request: \(error)")
        }
    }
}
