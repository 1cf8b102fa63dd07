/// One diagnostic about a CEL expression (a syntax error from the parser, or a type error from
/// the checker), located by scalar offset and by 1-based line and column.
public struct CELIssue: Sendable, Hashable, Error, CustomStringConvertible {
    /// What is wrong, without location (for example `Syntax error: mismatched input ...`).
    public var message: String
    /// Offset in Unicode scalars from the start of the expression; -1 when unknown.
    public var offset: Int
    /// 1-based line.
    public var line: Int
    /// 1-based column, counted in Unicode scalars (as cel-go prints it).
    public var column: Int

    public init(message: String, offset: Int, line: Int, column: Int) {
        self.message = message
        self.offset = offset
        self.line = line
        self.column = column
    }

    /// An issue at `offset`, with line and column computed from `sourceInfo`.
    public init(message: String, offset: Int, sourceInfo: SourceInfo) {
        self.message = message
        self.offset = offset
        if offset >= 0 {
            let location = sourceInfo.location(ofOffset: offset)
            self.line = location.line
            self.column = location.column
        } else {
            self.line = -1
            self.column = -1
        }
    }

    /// `<line>:<column>: <message>`.
    public var description: String {
        "\(line):\(column): \(message)"
    }
}
