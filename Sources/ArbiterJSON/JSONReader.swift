import CEL

/// Reads JSON bytes straight into CEL values, with protojson's `google.protobuf.Value` meaning.
///
/// Objects become `.map` with string keys (insertion order kept), arrays `.list`, every number
/// `.double`. Like protojson, duplicate object keys, invalid UTF-8, lone surrogate escapes and
/// numbers outside the double range are errors. No Foundation: the request path parses
/// several kilobytes per call, and Foundation's decoders cost more than the socket round trip.
public enum JSONReader {
    /// Limits applied while reading.
    public struct Options: Sendable, Hashable {
        /// The deepest nesting of arrays and objects accepted; deeper input is an error.
        public var maxDepth: Int
        /// Creates options; the default depth is 128.
        public init(maxDepth: Int = 128) { self.maxDepth = maxDepth }
    }

    /// Parses one JSON value from `bytes`; only whitespace may follow it.
    public static func parse(_ bytes: [UInt8], options: Options = Options()) throws -> Value {
        try bytes.withUnsafeBufferPointer { try parse($0, options: options) }
    }

    /// Parses one JSON value from the UTF-8 of `text`.
    public static func parse(_ text: String, options: Options = Options()) throws -> Value {
        var text = text
        return try text.withUTF8 { try parse($0, options: options) }
    }

    /// Parses one JSON value from raw memory, e.g. a network buffer's readable bytes;
    /// `knownKeys` is the protocol vocabulary of its keys, if the caller has one.
    public static func parse(_ buffer: UnsafeRawBufferPointer, options: Options = Options(),
                             knownKeys: JSONKnownKeys? = nil) throws -> Value {
        try parse(buffer.bindMemory(to: UInt8.self), options: options, knownKeys: knownKeys)
    }

    /// Parses one JSON value from a byte buffer; `knownKeys` as above.
    public static func parse(_ buffer: UnsafeBufferPointer<UInt8>, options: Options = Options(),
                             knownKeys: JSONKnownKeys? = nil) throws -> Value {
        var parser = JSONParser(buffer, maxDepth: options.maxDepth, knownKeys: knownKeys)
        defer { parser.release() }
        return try parser.parseDocument()
    }
}
