import NIOCore

/// The length prefixes of a stream's gRPC messages (1 flag byte, 4 bytes big-endian length),
/// followed across DATA frames of any size without copying message bytes.
struct GRPCMessagePrefix {
    /// Prefix bytes read so far of a prefix split across frames.
    private var partial: (count: Int, value: Int) = (0, 0)
    /// Message bytes still to come before the next prefix.
    private var remaining = 0

    /// The first declared length in `buffer` above `limit`, or nil when every message that
    /// starts in it is within the limit.
    mutating func firstLength(in buffer: ByteBuffer, over limit: Int) -> Int? {
        var index = buffer.readerIndex
        let end = buffer.writerIndex
        while index < end {
            if remaining > 0 {
                let skip = min(remaining, end - index)
                remaining -= skip
                index += skip
                continue
            }
            // The flag byte counts as prefix byte 0; bytes 1...4 are the length.
            let byte = Int(buffer.getInteger(at: index, as: UInt8.self) ?? 0)
            if partial.count > 0 { partial.value = partial.value << 8 | byte }
            partial.count += 1
            index += 1
            if partial.count == 5 {
                let length = partial.value
                partial = (0, 0)
                if length > limit { return length }
                remaining = length
            }
        }
        return nil
    }
}
