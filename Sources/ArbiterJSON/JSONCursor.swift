import CEL

/// Reads one JSON document front to back for a decoder that builds its own types instead of a
/// `Value` tree: it walks the objects and arrays it knows itself and takes whole `Value`s only
/// where it wants them (attribute maps). Same grammar, limits and errors as `JSONReader`.
///
/// Saves what the tree costs for a request's fixed structure: an array pair per object and
/// an array per list allocated, hashed lookups of every member, and the tree's release.
public struct JSONCursor: ~Copyable {
    private var parser: JSONParser

    /// A cursor at the start of `buffer`, which must outlive the cursor; `knownKeys` is the
    /// protocol vocabulary of the document's keys, if the caller has one.
    public init(_ buffer: UnsafeRawBufferPointer, options: JSONReader.Options = JSONReader.Options(),
                knownKeys: JSONKnownKeys? = nil) {
        parser = JSONParser(buffer.bindMemory(to: UInt8.self), maxDepth: options.maxDepth, knownKeys: knownKeys)
    }

    deinit { parser.release() }

    /// Byte offset of the next unread byte.
    public var offset: Int { parser.pos }

    /// Skips whitespace, then consumes `{` and enters the object if it comes next.
    public mutating func enterObject() throws -> Bool {
        try enter(UInt8(ascii: "{"))
    }

    /// Skips whitespace, then consumes `[` and enters the array if it comes next.
    public mutating func enterArray() throws -> Bool {
        try enter(UInt8(ascii: "["))
    }

    /// In an object just entered: the next member's key (its `:` consumed), or nil after the
    /// closing `}`. `first` is true for the object's first call (later ones expect a `,` first).
    public mutating func nextKey(first: Bool) throws -> String? {
        parser.skipWhitespace()
        guard parser.pos < parser.bytes.count else { throw unexpected() }
        if parser.bytes[parser.pos] == UInt8(ascii: "}") {
            parser.pos += 1
            parser.depth -= 1
            return nil
        }
        if !first {
            guard parser.bytes[parser.pos] == UInt8(ascii: ",") else { throw unexpected() }
            parser.pos += 1
            parser.skipWhitespace()
        }
        guard parser.pos < parser.bytes.count, parser.bytes[parser.pos] == UInt8(ascii: "\"") else { throw unexpected() }
        let key = try parser.parseKey()
        parser.skipWhitespace()
        guard parser.pos < parser.bytes.count, parser.bytes[parser.pos] == UInt8(ascii: ":") else { throw unexpected() }
        parser.pos += 1
        return key
    }

    /// In an object just entered: reads every member up to the closing `}`. `member` reads the
    /// value of the member named by its key and returns the member's bit (one power of two per
    /// member; the spellings of one member share it), or nil to give up. Returns the bits of
    /// the members read, or nil when `member` gave up or a member came twice: the decoders
    /// built on the cursor leave such input to the `Value` path, which reports it exactly.
    public mutating func readMembers(_ member: (String, inout JSONCursor) throws -> UInt32?) throws -> UInt32? {
        var seen: UInt32 = 0
        var first = true
        while let key = try nextKey(first: first) {
            first = false
            guard let bit = try member(key, &self), seen & bit == 0 else { return nil }
            seen |= bit
        }
        return seen
    }

    /// In an array just entered: true before the next element (its `,` consumed), false after
    /// the closing `]`. `first` as for `nextKey`.
    public mutating func nextElement(first: Bool) throws -> Bool {
        parser.skipWhitespace()
        guard parser.pos < parser.bytes.count else { throw unexpected() }
        if parser.bytes[parser.pos] == UInt8(ascii: "]") {
            parser.pos += 1
            parser.depth -= 1
            return false
        }
        if !first {
            guard parser.bytes[parser.pos] == UInt8(ascii: ",") else { throw unexpected() }
            parser.pos += 1
        }
        return true
    }

    /// The next value if it is a string, else nil (nothing consumed but whitespace).
    public mutating func readString() throws -> String? {
        parser.skipWhitespace()
        guard parser.pos < parser.bytes.count, parser.bytes[parser.pos] == UInt8(ascii: "\"") else { return nil }
        return try parser.parseString()
    }

    /// The next value if it is `true` or `false`, else nil.
    public mutating func readBool() throws -> Bool? {
        parser.skipWhitespace()
        guard parser.pos < parser.bytes.count else { return nil }
        switch parser.bytes[parser.pos] {
        case UInt8(ascii: "t"): try parser.expectLiteral("true"); return true
        case UInt8(ascii: "f"): try parser.expectLiteral("false"); return false
        default: return nil
        }
    }

    /// The next value, whatever it is, as `JSONReader` would read it at this depth.
    public mutating func readValue() throws -> Value {
        parser.skipWhitespace()
        return try parser.parseValue()
    }

    /// Whether only whitespace is left.
    public mutating func isAtEnd() -> Bool {
        parser.skipWhitespace()
        return parser.pos == parser.bytes.count
    }

    private mutating func enter(_ open: UInt8) throws -> Bool {
        parser.skipWhitespace()
        guard parser.pos < parser.bytes.count, parser.bytes[parser.pos] == open else { return false }
        try parser.enter(parser.pos)
        parser.pos += 1
        return true
    }

    private func unexpected() -> JSONParseError {
        parser.error(at: parser.pos, "unexpected input")
    }
}
