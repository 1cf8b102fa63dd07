import Foundation
import GRPCCore
import NIOCore
import NIOHPACK
import NIOHTTP2

/// What a call's HEADERS frame says besides the call's own metadata.
struct RequestHead: Sendable {
    let path: String
    let timeout: Duration?

    init(descriptor: MethodDescriptor, timeout: Duration?) {
        path = "/" + descriptor.fullyQualifiedMethod
        self.timeout = timeout
    }

    /// The request HEADERS: pseudo-headers first (HTTP/2 requires it), then gRPC's, then `metadata`.
    func headers(_ metadata: Metadata) -> HPACKHeaders {
        var headers: HPACKHeaders = [
            ":method": "POST", ":scheme": "http", ":path": path,
            // A Unix socket has no host; "localhost" is what gRPC's own clients send for one.
            ":authority": "localhost",
            "content-type": "application/grpc", "te": "trailers",
            "user-agent": UnixSocketClientTransport.userAgent,
        ]
        if let timeout { headers.add(name: "grpc-timeout", value: Self.grpcTimeout(timeout)) }
        for (key, value) in metadata {
            // HTTP/2 header names are lowercase; metadata keys are case-insensitive.
            let name = key.lowercased()
            switch value {
            case .string(let text): headers.add(name: name, value: text)
            case .binary(let bytes): headers.add(name: name, value: Data(bytes).base64EncodedString())
            }
        }
        return headers
    }

    /// `grpc-timeout`: at most 8 digits and a unit, the finest unit that fits, rounded up so the
    /// server never sees a shorter deadline than the caller set.
    static func grpcTimeout(_ timeout: Duration) -> String {
        let (seconds, attoseconds) = timeout.components
        guard seconds >= 0, attoseconds >= 0 else { return "0n" }
        let maximum: Int64 = 99_999_999
        let units: [(String, Int64)] = [("n", 1), ("u", 1_000), ("m", 1_000_000), ("S", 1_000_000_000)]
        if seconds <= maximum {  // then the nanoseconds fit in an Int64
            let total = seconds * 1_000_000_000 + (attoseconds + 999_999_999) / 1_000_000_000
            for (unit, size) in units {
                let value = (total + size - 1) / size
                if value <= maximum { return "\(value)\(unit)" }
            }
        }
        let minutes = (seconds + 59) / 60
        if minutes <= maximum { return "\(minutes)M" }
        return "\(min((seconds + 3599) / 3600, maximum))H"
    }
}

/// The request side of a call as HTTP/2 frames: the metadata as HEADERS, each message as DATA
/// with gRPC's 5-byte prefix (not compressed, big-endian length), and the end as an empty DATA
/// frame with END_STREAM.
struct RequestWriter: ClosableRPCWriterProtocol {
    typealias Element = RPCRequestPart<[UInt8]>

    let frames: NIOAsyncChannelOutboundWriter<HTTP2Frame.FramePayload>
    let head: RequestHead

    func write(_ part: RPCRequestPart<[UInt8]>) async throws {
        switch part {
        case .metadata(let metadata):
            try await frames.write(.headers(.init(headers: head.headers(metadata))))
        case .message(let bytes):
            var buffer = ByteBuffer()
            buffer.reserveCapacity(5 + bytes.count)
            buffer.writeInteger(UInt8(0))
            buffer.writeInteger(UInt32(bytes.count))
            buffer.writeBytes(bytes)
            try await frames.write(.data(.init(data: .byteBuffer(buffer))))
        }
    }

    func write(contentsOf parts: some Sequence<RPCRequestPart<[UInt8]>>) async throws {
        for part in parts { try await write(part) }
    }

    func finish() async {
        // The protocol's finish cannot throw. A write fails only on a stream already reset or a
        // lost connection, and the response side reports that as the call's status.
        try? await frames.write(.data(.init(data: .byteBuffer(ByteBuffer()), endStream: true)))
    }

    func finish(throwing error: any Error) async {
        // The caller failed to produce its request: cancel the call (RST_STREAM CANCEL) rather than
        // send a request that looks complete. A failed write means the stream is already gone.
        try? await frames.write(.rstStream(.cancel))
    }
}
