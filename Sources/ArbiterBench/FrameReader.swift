#if canImport(Glibc)
import Glibc
#endif

/// Buffered reading of length-prefixed frames from a blocking socket.
struct FrameReader {
    let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var chunk = [UInt8](repeating: 0, count: 256 * 1024)

    init(fd: Int32) { self.fd = fd }

    /// The next complete frame's payload range in `bytes`, without reading more.
    mutating func nextBuffered() -> ArraySlice<UInt8>? {
        let available = buffer.count - start
        guard available >= 4 else { return nil }
        let n = Int(buffer[start]) << 24 | Int(buffer[start + 1]) << 16 | Int(buffer[start + 2]) << 8 | Int(buffer[start + 3])
        guard available >= 4 + n else { return nil }
        let payload = buffer[(start + 4)..<(start + 4 + n)]
        start += 4 + n
        return payload
    }

    /// Reads once from the socket (blocking); false at end of stream.
    mutating func fill() throws -> Bool {
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start > 65536 {
            buffer.removeFirst(start)
            start = 0
        }
        let fd = self.fd
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw BenchFailure("read: \(String(cString: strerror(errno)))") }
            if n == 0 { return false }
            buffer.append(contentsOf: chunk[0..<n])
            return true
        }
    }

    /// The next frame, reading as needed; nil at end of stream.
    mutating func next() throws -> ArraySlice<UInt8>? {
        while true {
            if let f = nextBuffered() { return f }
            if try !fill() { return nil }
        }
    }
}

/// Finds the JSON-RPC numeric `"id":N` in a response or request payload (string ids, such as
/// a resource's, are skipped).
func jsonRPCID(_ payload: ArraySlice<UInt8>) -> Int? {
    let pattern: [UInt8] = Array("\"id\":".utf8)
    var i = payload.startIndex
    let end = payload.endIndex
    while i + pattern.count < end {
        if payload[i] == pattern[0] && payload[i + 1] == pattern[1] && payload[i + 2] == pattern[2]
            && payload[i + 3] == pattern[3] && payload[i + 4] == pattern[4] {
            var j = i + pattern.count
            while j < end, payload[j] == 32 { j += 1 }
            var value = 0
            var digits = 0
            while j < end, payload[j] >= 48, payload[j] <= 57 {
                value = value * 10 + Int(payload[j] - 48)
                j += 1
                digits += 1
            }
            // A number written as 3.0 is still slot 3.
            if digits > 0 { return value }
        }
        i += 1
    }
    return nil
}
