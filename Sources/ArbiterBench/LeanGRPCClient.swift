#if canImport(Glibc)
import Glibc
#endif

/// A gRPC client with next to no cost of its own, to measure the server's share of a unary
/// call (issue 17): one HTTP/2 connection over a Unix socket, blocking I/O, one call at a time,
/// the request's HEADERS and DATA frames made once (HPACK literals without indexing, so every
/// call sends the same bytes but its stream ID). Of the answer it reads only frame headers,
/// keeps the DATA bytes, and waits for the trailers' END_STREAM; SETTINGS and PING are
/// acknowledged. A `GRPCClient` costs hundreds of µs a call (~300 µs with grpc-swift's own NIO
/// transport, docs/benchmarks.md), which would hide the server.
final class LeanGRPCClient {
    private let fd: Int32
    private var nextStream: UInt32 = 1
    private let headerBlock: [UInt8]
    private var inbound: [UInt8] = []
    private var inboundStart = 0
    private var chunk = [UInt8](repeating: 0, count: 65536)

    /// Connects to `socketPath` and sends the preface: SETTINGS with the largest stream window
    /// and a connection WINDOW_UPDATE to the largest, so the answers never wait on this side.
    init(socketPath: String, path: String) throws {
        fd = try RawSocket.connect(socketPath)
        var block: [UInt8] = []
        for (name, value) in [(":method", "POST"), (":scheme", "http"), (":path", path), (":authority", "localhost"),
                              ("content-type", "application/grpc"), ("te", "trailers")] {
            block += [0x00] + Self.hpackString(name) + Self.hpackString(value)
        }
        headerBlock = block
        let maxWindow: UInt32 = 0x7FFF_FFFF
        try RawSocket.writeAll(fd, Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)
            + Self.frame(type: 0x4, flags: 0, stream: 0, payload: [0, 4] + Self.bigEndian(maxWindow))
            + Self.frame(type: 0x8, flags: 0, stream: 0, payload: Self.bigEndian(maxWindow - 65535)))
    }

    deinit { close(fd) }

    /// One unary call with `message` (serialized protobuf); returns the response DATA bytes
    /// (length prefixes included). Throws when the server resets the stream or closes.
    func call(_ message: [UInt8]) throws -> [UInt8] {
        let stream = nextStream
        nextStream += 2
        let data = [0] + Self.bigEndian(UInt32(message.count)) + message
        try RawSocket.writeAll(fd, Self.frame(type: 0x1, flags: 0x4, stream: stream, payload: headerBlock)
            + Self.frame(type: 0x0, flags: 0x1, stream: stream, payload: data))
        var body: [UInt8] = []
        while true {
            let (type, flags, id, payload) = try readFrame()
            switch type {
            case 0x4 where flags & 0x1 == 0:
                try RawSocket.writeAll(fd, Self.frame(type: 0x4, flags: 0x1, stream: 0, payload: []))
            case 0x6 where flags & 0x1 == 0:
                try RawSocket.writeAll(fd, Self.frame(type: 0x6, flags: 0x1, stream: 0, payload: payload))
            case 0x0 where id == stream:
                body += payload
            case 0x3 where id == stream:
                throw BenchFailure("the server reset stream \(stream): \(payload)")
            case 0x1 where id == stream && flags & 0x1 != 0:
                return body
            default:
                continue
            }
        }
    }

    private func readFrame() throws -> (UInt8, UInt8, UInt32, ArraySlice<UInt8>) {
        while true {
            let available = inbound.count - inboundStart
            if available >= 9 {
                let h = inboundStart
                let length = Int(inbound[h]) << 16 | Int(inbound[h + 1]) << 8 | Int(inbound[h + 2])
                if available >= 9 + length {
                    let id = (UInt32(inbound[h + 5]) << 24 | UInt32(inbound[h + 6]) << 16 | UInt32(inbound[h + 7]) << 8
                              | UInt32(inbound[h + 8])) & 0x7FFF_FFFF
                    let frame = (inbound[h + 3], inbound[h + 4], id, inbound[(h + 9)..<(h + 9 + length)])
                    inboundStart += 9 + length
                    return frame
                }
            }
            if inboundStart > 0 {
                inbound.removeFirst(inboundStart)
                inboundStart = 0
            }
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw BenchFailure("the gRPC server closed the connection") }
            inbound += chunk[0..<n]
        }
    }

    static func frame(type: UInt8, flags: UInt8, stream: UInt32, payload: some Collection<UInt8>) -> [UInt8] {
        let n = payload.count
        return [UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF), type, flags] + bigEndian(stream) + payload
    }

    static func bigEndian(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
    }

    /// An HPACK string literal, not Huffman coded (7-bit prefix length; ours are short).
    static func hpackString(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        precondition(bytes.count < 127, "header too long for the one-byte length")
        return [UInt8(bytes.count)] + bytes
    }
}
