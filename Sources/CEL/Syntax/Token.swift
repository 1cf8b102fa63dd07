/// One lexical token of CEL source; `start`/`end` are scalar offsets (end exclusive).
struct Token: Sendable {
    enum Kind: Sendable, Equatable {
        case eof
        case identifier
        /// A backtick-quoted field name; `text` holds the name without backticks.
        case escapedIdentifier
        case intLiteral
        case uintLiteral
        case doubleLiteral
        case stringLiteral
        case bytesLiteral
        case trueKeyword, falseKeyword, nullKeyword, inKeyword
        case dot, comma, colon, question
        case leftParen, rightParen, leftBracket, rightBracket, leftBrace, rightBrace
        case plus, minus, star, slash, percent, bang
        case equal, notEqual, less, lessEqual, greater, greaterEqual
        case logicalAnd, logicalOr
        /// Input the lexer could not recognise; the lexer has already reported it.
        case invalid
    }

    var kind: Kind
    var start: Int
    var end: Int
    /// Identifier name, number text (without `u` suffix), or decoded string value.
    var text: String = ""
    /// Decoded value of a bytes literal.
    var bytes: [UInt8] = []

    /// How ANTLR (and so cel-go) names the token in a syntax error.
    func display(in scalars: [Unicode.Scalar]) -> String {
        if kind == .eof { return "<EOF>" }
        let upper = min(end, scalars.count)
        guard start < upper else { return "" }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[start..<upper])
        return String(view)
    }
}
