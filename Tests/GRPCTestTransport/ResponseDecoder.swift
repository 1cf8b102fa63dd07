import Foundation
import GRPCCore
import NIOCore
import NIOHPACK
import NIOHTTP2

/// Turns a call's response frames into grpc-swift's response parts: the HEADERS into
/// `.metadata`, DATA into the length-prefixed messages (one may span frames, a frame may hold
/// several), and the trailers, or a trailers-only HEADERS, into `.status`. A response that breaks
/// the protocol ends in a status saying how; after a status nothing more is read.
struct ResponseDecoder {
    private enum Phase { case awaitingHeaders, receivingMessages, ended }
    private var phase = Phase.awaitingHeaders
    private var pending = ByteBuffer()

    var ended: Bool { phase == .ended }

    mutating func decode(_ frame: HTTP2Frame.FramePayload) -> [RPCResponsePart<[UInt8]>] {
        switch (phase, frame) {
        case (.ended, _):
            return []
        case (.awaitingHeaders, .headers(let headers)) where headers.endStream:
            return [end(Self.status(trailers: headers.headers), Self.metadata(headers.headers))]
        case (.awaitingHeaders, .headers(let headers)):
            guard let httpStatus = headers.headers.first(name: ":status").flatMap(Int.init), httpStatus == 200 else {
                let code = headers.headers.first(name: ":status").flatMap(Int.init) ?? 0
                return [end(Status(httpStatusCode: code), [:])]
            }
            guard headers.headers.first(name: "content-type")?.hasPrefix("application/grpc") == true else {
                return [end(Status(code: .internalError, message: "the response is not gRPC (content-type \(headers.headers.first(name: "content-type") ?? "none"))"), [:])]
            }
            phase = .receivingMessages
            return [.metadata(Self.metadata(headers.headers))]
        case (.receivingMessages, .headers(let trailers)):
            guard pending.readableBytes == 0 else {
                return [end(Status(code: .internalError, message: "the trailers cut a message short"), [:])]
            }
            return [end(Self.status(trailers: trailers.headers), Self.metadata(trailers.headers))]
        case (.receivingMessages, .data(let data)):
            guard case .byteBuffer(var bytes) = data.data else {
                return [end(Status(code: .internalError, message: "a DATA frame without bytes"), [:])]
            }
            pending.writeBuffer(&bytes)
            var parts = messages()
            if data.endStream, !ended {
                parts.append(end(Status(code: .internalError, message: "the response ended without trailers"), [:]))
            }
            return parts
        case (.awaitingHeaders, .data):
            return [end(Status(code: .internalError, message: "DATA before the response HEADERS"), [:])]
        case (_, .rstStream(let code)):
            return [end(Self.status(resetWith: code), [:])]
        default:
            return []  // frames that carry nothing for the call (WINDOW_UPDATE, PRIORITY)
        }
    }

    /// The status of a stream that ended without one (it closed, or failed with `error`).
    mutating func streamEnded(error: (any Error)?, connectionOpen: Bool) -> RPCResponsePart<[UInt8]> {
        if let closed = error as? NIOHTTP2Errors.StreamClosed, connectionOpen {
            return end(Self.status(resetWith: closed.errorCode), [:])
        }
        let reason = error.map { "\($0)" } ?? "the stream closed"
        return end(Status(code: .unavailable, message: "no status before the call ended: \(reason)"), [:])
    }

    /// The complete messages in `pending`, which keeps any incomplete one.
    private mutating func messages() -> [RPCResponsePart<[UInt8]>] {
        var parts: [RPCResponsePart<[UInt8]>] = []
        while let flag = pending.getInteger(at: pending.readerIndex, as: UInt8.self),
              let length = pending.getInteger(at: pending.readerIndex + 1, as: UInt32.self),
              pending.readableBytes >= 5 + Int(length) {
            // The request sent no grpc-accept-encoding, so a compressed message is the server's fault.
            guard flag == 0 else {
                parts.append(end(Status(code: .internalError, message: "a compressed message (flag \(flag)) though none was accepted"), [:]))
                return parts
            }
            pending.moveReaderIndex(forwardBy: 5)
            parts.append(.message(pending.readBytes(length: Int(length)) ?? []))
        }
        pending.discardReadBytes()
        return parts
    }

    private mutating func end(_ status: Status, _ metadata: Metadata) -> RPCResponsePart<[UInt8]> {
        phase = .ended
        return .status(status, metadata)
    }

    /// The status that trailers (or a trailers-only response) carry; without a grpc-status, the
    /// one the spec maps the HTTP status to.
    static func status(trailers: HPACKHeaders) -> Status {
        guard let value = trailers.first(name: "grpc-status") else {
            if let http = trailers.first(name: ":status").flatMap(Int.init), http != 200 {
                return Status(httpStatusCode: http)
            }
            return Status(code: .internalError, message: "the response ended without a grpc-status")
        }
        guard let code = Int(value).flatMap(Status.Code.init(rawValue:)) else {
            return Status(code: .unknown, message: "grpc-status \(value) is not a status code")
        }
        return Status(code: code, message: percentDecoded(trailers.first(name: "grpc-message") ?? ""))
    }

    /// RST_STREAM error codes as PROTOCOL-HTTP2.md's "Errors" table maps them.
    static func status(resetWith code: HTTP2ErrorCode) -> Status {
        let mapped: Status.Code
        switch code {
        case .refusedStream: mapped = .unavailable
        case .cancel: mapped = .cancelled
        case .enhanceYourCalm: mapped = .resourceExhausted
        case .inadequateSecurity: mapped = .permissionDenied
        default: mapped = .internalError
        }
        return Status(code: mapped, message: "the server reset the stream (\(code))")
    }

    /// The headers that are metadata: not pseudo-headers, not the status that `Status` holds.
    /// `-bin` values are base64, padded or not; one that is not is kept as its text.
    static func metadata(_ headers: HPACKHeaders) -> Metadata {
        var metadata = Metadata()
        for (name, value, _) in headers where !name.hasPrefix(":") && name != "grpc-status" && name != "grpc-message" {
            if name.hasSuffix("-bin"), let bytes = Data(base64Encoded: value + String(repeating: "=", count: (4 - value.utf8.count % 4) % 4)) {
                metadata.addBinary(Array(bytes), forKey: name)
            } else {
                metadata.addString(value, forKey: name)
            }
        }
        return metadata
    }

    /// grpc-message is percent-encoded UTF-8; a malformed escape is kept as it is, as the spec asks.
    /// The client decodes on its own rather than with the server's helpers: it checks their output.
    static func percentDecoded(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count,
               let high = hexValue(bytes[i + 1]), let low = hexValue(bytes[i + 2]) {
                out.append(high << 4 | low)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
