@testable import ArbiterGRPC
import GRPCCore
import NIOCore
import Testing

/// The request message reader, without sockets: prefixes are read wherever DATA frames split
/// them, a length over the limit is refused as soon as its prefix is complete, and a unary
/// stream must carry exactly one whole message.
struct GRPCMessageReaderTests {
    static func message(length: Int, flag: UInt8 = 0, fill: UInt8 = 7) -> [UInt8] {
        [flag, UInt8(length >> 24 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
            + [UInt8](repeating: fill, count: length)
    }

    /// Feeds `bytes` in frames of `frameSize`; returns the error and how many bytes were fed by then.
    static func feed(_ bytes: [UInt8], frameSize: Int, into reader: inout GRPCMessageReader) -> (GRPCCallError?, Int) {
        var start = 0
        while start < bytes.count {
            let end = min(start + frameSize, bytes.count)
            do {
                try reader.append(ByteBuffer(bytes: bytes[start..<end]))
            } catch {
                return (error, end)
            }
            start = end
        }
        return (nil, start)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 64, 4096])
    func aMessage_isReassembledAcrossFrames_ofAnySize(frameSize: Int) throws {
        var reader = GRPCMessageReader(maxMessageSize: 100)
        let (error, _) = Self.feed(Self.message(length: 100, fill: 9), frameSize: frameSize, into: &reader)
        #expect(error == nil)
        let message = try reader.finish()
        #expect(Array(message.readableBytesView) == [UInt8](repeating: 9, count: 100))
    }

    @Test(arguments: [1, 3, 5, 64])
    func anOverLimitLength_isRefused_whenItsPrefixArrives(frameSize: Int) {
        var reader = GRPCMessageReader(maxMessageSize: 100)
        let (error, fed) = Self.feed(Self.message(length: 300), frameSize: frameSize, into: &reader)
        #expect(error == GRPCCallError(.resourceExhausted, "grpc: received message larger than max (300 vs. 100)"))
        // Refused in the frame that completed the prefix, before the body was buffered.
        #expect(fed - frameSize < 5)
    }

    @Test func lengthsAboveTwoGigabytes_areRefused_notWrapped() {
        var reader = GRPCMessageReader(maxMessageSize: 4 << 20)
        #expect(throws: GRPCCallError(.resourceExhausted, "grpc: received message larger than max (4294967295 vs. 4194304)")) {
            try reader.append(ByteBuffer(bytes: [0, 0xFF, 0xFF, 0xFF, 0xFF]))
        }
    }

    @Test func aSecondMessage_noMessage_orAHalfMessage_isInternal() {
        var two = GRPCMessageReader(maxMessageSize: 100)
        #expect(throws: GRPCCallError.self) { try two.append(ByteBuffer(bytes: Self.message(length: 3) + Self.message(length: 0))) }
        let none = GRPCMessageReader(maxMessageSize: 100)
        #expect((try? none.finish()) == nil)
        var half = GRPCMessageReader(maxMessageSize: 100)
        #expect(throws: Never.self) { try half.append(ByteBuffer(bytes: Array(Self.message(length: 10).prefix(8)))) }
        #expect(throws: GRPCCallError.self) { try half.finish() }
    }

    @Test func compressedOrUnknownFlags_areInternal_asGrpcGoAnswers() {
        var compressed = GRPCMessageReader(maxMessageSize: 100)
        #expect(throws: GRPCCallError(.internalError, "grpc: compressed flag set with identity or empty encoding")) {
            try compressed.append(ByteBuffer(bytes: Self.message(length: 2, flag: 1)))
        }
        var unknown = GRPCMessageReader(maxMessageSize: 100)
        #expect(throws: GRPCCallError(.internalError, "grpc: received unexpected payload format 7")) {
            try unknown.append(ByteBuffer(bytes: Self.message(length: 2, flag: 7)))
        }
    }
}
