/// Bounds on one request frame's JSON that the parser's own limits (`server.maxFrameSize`,
/// `server.maxJSONDepth`) leave open, checked by one pass over the bytes before anything is
/// parsed.
///
/// Why a count of values: parsing builds one node per JSON value, 50 to 100 bytes each, for
/// as little as 2 bytes of input (`[1,1,1,…]`, `[{},{},…]`), so without a bound a 4 MiB frame
/// may cost 130 MB to parse (measured: 25× the frame for integers, 33× for empty objects).
/// With at most `maxJSONValues` values a frame's parse costs at most its own size plus about
/// 100 bytes per value allowed (10 MB at the default), whatever the frame holds.
public struct RequestLimits: Sendable, Equatable {
    /// `server.requestLimits.maxJSONValues`: most values (object keys included) in one request.
    public var maxJSONValues: Int
    /// `server.requestLimits.maxStringLength`: longest JSON string, in bytes as sent.
    public var maxStringLength: Int

    /// Creates limits (defaults: 100,000 values, 1 MiB strings; Cerbos has neither).
    public init(maxJSONValues: Int = 100_000, maxStringLength: Int = 1 << 20) {
        self.maxJSONValues = maxJSONValues
        self.maxStringLength = maxStringLength
    }

    /// The error to answer `payload` with, or nil when it is within the limits. A frame too short
    /// to break either limit is not scanned, so ordinary requests pay nothing.
    public func violation(in payload: UnsafeRawBufferPointer) -> RPCError? {
        guard payload.count > maxJSONValues || payload.count > maxStringLength else { return nil }
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        var values = 0
        // Whether a scalar may start here: a number or literal is one value however long.
        var expectingValue = true
        var i = 0
        let bytes = payload.bindMemory(to: UInt8.self)
        while i < bytes.count {
            let b = bytes[i]
            var startsValue = false
            switch b {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                break
            case UInt8(ascii: ","), UInt8(ascii: ":"):
                expectingValue = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                startsValue = true
                expectingValue = true
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                expectingValue = false
            case quote:
                startsValue = true
                expectingValue = false
            default:
                startsValue = expectingValue
                expectingValue = false
            }
            if startsValue {
                values += 1
                if values > maxJSONValues {
                    return .invalidRequest(field: "", reason: "the request holds more than \(maxJSONValues) JSON values "
                        + "(server.requestLimits.maxJSONValues)")
                }
            }
            if b == quote {
                // A string, to its closing quote (escaped quotes skipped). Malformed input is
                // left to the parser, which names the exact place.
                let start = i
                i += 1
                while i < bytes.count, bytes[i] != quote {
                    i += bytes[i] == backslash ? 2 : 1
                }
                if i - start - 1 > maxStringLength {
                    return .invalidRequest(field: "", reason: "a JSON string at byte \(start) is longer than \(maxStringLength) bytes "
                        + "(server.requestLimits.maxStringLength)")
                }
            }
            i += 1
        }
        return nil
    }
}
