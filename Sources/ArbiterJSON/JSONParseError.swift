/// A syntax error in JSON input, with the position where it was found.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Zero-based byte offset into the input.
    public var offset: Int
    /// One-based line number.
    public var line: Int
    /// One-based column, counted in Unicode scalars from the start of the line.
    public var column: Int
    /// What was wrong, phrased as what was expected and what was found.
    public var message: String

    /// Creates an error at a known position.
    public init(offset: Int, line: Int, column: Int, message: String) {
        self.offset = offset
        self.line = line
        self.column = column
        self.message = message
    }

    /// `line L, column C (byte O): message`.
    public var description: String {
        "line \(line), column \(column) (byte \(offset)): \(message)"
    }

    /// Builds an error for `offset` in `bytes`, computing line and column only now, so the
    /// parser's hot path never counts newlines.
    static func at(_ offset: Int, in bytes: UnsafeBufferPointer<UInt8>, _ message: String) -> JSONParseError {
        var line = 1
        var column = 1
        var i = 0
        let end = min(offset, bytes.count)
        while i < end {
            let b = bytes[i]
            if b == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                // Continuation bytes belong to the scalar already counted.
                column += 1
            }
            i += 1
        }
        return JSONParseError(offset: offset, line: line, column: column, message: message)
    }
}
