@testable import ArbiterGRPC
import NIOCore
import Testing

/// The stream guard's length-prefix reader, without sockets: prefixes are found wherever frames
/// split them, and message bytes are skipped.
struct GRPCMessagePrefixTests {
    static func message(length: Int) -> [UInt8] {
        [0, UInt8(length >> 24 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
            + [UInt8](repeating: 7, count: length)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 64])
    func prefixes_areReadAcrossFrames_ofAnySize(frameSize: Int) {
        // Two messages within the limit, then one above it.
        let bytes = Self.message(length: 10) + Self.message(length: 0) + Self.message(length: 300)
        var reader = GRPCMessagePrefix()
        var found: Int?
        var start = 0
        while start < bytes.count, found == nil {
            let frame = ByteBuffer(bytes: bytes[start..<min(start + frameSize, bytes.count)])
            found = reader.firstLength(in: frame, over: 100)
            start += frameSize
        }
        #expect(found == 300)
        // It is found in the frame holding the prefix's last byte, before the body.
        #expect(start - frameSize <= 10 + 5 + 5 + 4)
    }

    @Test func messagesWithinTheLimit_areLetThrough() {
        var reader = GRPCMessagePrefix()
        let bytes = Self.message(length: 100) + Self.message(length: 99)
        #expect(reader.firstLength(in: ByteBuffer(bytes: bytes), over: 100) == nil)
        #expect(reader.firstLength(in: ByteBuffer(bytes: Self.message(length: 101)), over: 100) == 101)
    }

    @Test func lengthsAboveTwoGigabytes_areRefused_notWrapped() {
        var reader = GRPCMessagePrefix()
        let frame = ByteBuffer(bytes: [0, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(reader.firstLength(in: frame, over: 4 << 20) == 0xFFFF_FFFF)
    }
}
