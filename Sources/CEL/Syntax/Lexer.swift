/// Splits CEL source (as Unicode scalars) into tokens, following the lexer rules of cel-spec's
/// grammar (CEL.g4). Decodes string and bytes literals, reporting bad escapes as issues.
struct Lexer {
    private let scalars: [Unicode.Scalar]
    var position = 0
    /// Lexical problems as (offset, message) pairs, in source order.
    private(set) var problems: [(offset: Int, message: String)] = []

    init(scalars: [Unicode.Scalar]) {
        self.scalars = scalars
    }

    /// A lexical problem; `tokenIndex` counts the valid tokens before it, so the parser can
    /// report it when it first looks that far ahead, the order in which cel-go reports it.
    struct Problem {
        var offset: Int
        var message: String
        var tokenIndex: Int
    }

    /// All valid tokens of the input, ending with `.eof`, and the problems met on the way.
    static func tokenize(_ scalars: [Unicode.Scalar], maxProblems: Int = .max) -> (tokens: [Token], problems: [Problem]) {
        var lexer = Lexer(scalars: scalars)
        var tokens: [Token] = []
        tokens.reserveCapacity(scalars.count / 3 + 1)
        var problems: [Problem] = []
        while true {
            let token = lexer.next()
            if !lexer.problems.isEmpty {
                for problem in lexer.problems {
                    problems.append(Problem(offset: problem.offset, message: problem.message, tokenIndex: tokens.count))
                }
                lexer.problems.removeAll()
                // Past cel-go's reporting limit nothing more is shown; stop lexing hostile input.
                if problems.count > maxProblems {
                    tokens.append(Token(kind: .eof, start: lexer.position, end: lexer.position))
                    break
                }
            }
            if token.kind == .invalid { continue }
            tokens.append(token)
            if token.kind == .eof { break }
        }
        return (tokens, problems)
    }

    func scalarAt(_ index: Int) -> Unicode.Scalar? {
        index < scalars.count ? scalars[index] : nil
    }

    func source(_ from: Int, _ to: Int) -> String {
        text(from, min(to, scalars.count))
    }

    mutating func report(_ offset: Int, _ message: String) {
        problems.append((offset, message))
    }

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        let index = position + ahead
        return index < scalars.count ? scalars[index] : nil
    }

    private static func isDigit(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return false }
        return c.value >= 0x30 && c.value <= 0x39
    }

    private static func isHexDigit(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return false }
        switch c.value {
        case 0x30...0x39, 0x41...0x46, 0x61...0x66: return true
        default: return false
        }
    }

    private static func isLetter(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return false }
        return (c.value >= 0x41 && c.value <= 0x5A) || (c.value >= 0x61 && c.value <= 0x7A)
    }

    private static func isIdentifierPart(_ c: Unicode.Scalar?) -> Bool {
        isLetter(c) || isDigit(c) || c == "_"
    }

    private func text(_ from: Int, _ to: Int) -> String {
        // Identifiers and numbers are ASCII: build them from bytes, which is much cheaper.
        var ascii = true
        for index in from..<to where scalars[index].value >= 0x80 {
            ascii = false
            break
        }
        if ascii {
            return String(unsafeUninitializedCapacity: to - from) { buffer in
                for index in from..<to {
                    buffer[index - from] = UInt8(truncatingIfNeeded: scalars[index].value)
                }
                return to - from
            }
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[from..<to])
        return String(view)
    }

    private mutating func skipTrivia() {
        while let c = peek() {
            switch c {
            case " ", "\t", "\r", "\n", "\u{0C}":
                position += 1
            case "/" where peek(1) == "/":
                while let d = peek(), d != "\n" { position += 1 }
            default:
                return
            }
        }
    }

    mutating func next() -> Token {
        skipTrivia()
        let start = position
        guard let c = peek() else { return Token(kind: .eof, start: start, end: start) }

        if Self.isDigit(c) || (c == "." && Self.isDigit(peek(1))) {
            return lexNumber()
        }
        if c == "\"" || c == "'" {
            return lexQuoted(start: start, raw: false, bytes: false)
        }
        if (c == "r" || c == "R"), let q = peek(1), q == "\"" || q == "'" {
            position += 1
            return lexQuoted(start: start, raw: true, bytes: false)
        }
        if c == "b" || c == "B" {
            if let q = peek(1), q == "\"" || q == "'" {
                position += 1
                return lexQuoted(start: start, raw: false, bytes: true)
            }
            if let r = peek(1), r == "r" || r == "R", let q = peek(2), q == "\"" || q == "'" {
                position += 2
                return lexQuoted(start: start, raw: true, bytes: true)
            }
        }
        if Self.isLetter(c) || c == "_" {
            while Self.isIdentifierPart(peek()) { position += 1 }
            let name = text(start, position)
            let kind: Token.Kind
            switch name {
            case "true": kind = .trueKeyword
            case "false": kind = .falseKeyword
            case "null": kind = .nullKeyword
            case "in": kind = .inKeyword
            default: kind = .identifier
            }
            return Token(kind: kind, start: start, end: position, text: name)
        }
        if c == "`" {
            return lexEscapedIdentifier(start: start)
        }
        position += 1
        let two = peek()
        func pair(_ kind: Token.Kind) -> Token {
            position += 1
            return Token(kind: kind, start: start, end: position)
        }
        func single(_ kind: Token.Kind) -> Token { Token(kind: kind, start: start, end: position) }
        switch c {
        case ".": return single(.dot)
        case ",": return single(.comma)
        case ":": return single(.colon)
        case "?": return single(.question)
        case "(": return single(.leftParen)
        case ")": return single(.rightParen)
        case "[": return single(.leftBracket)
        case "]": return single(.rightBracket)
        case "{": return single(.leftBrace)
        case "}": return single(.rightBrace)
        case "+": return single(.plus)
        case "-": return single(.minus)
        case "*": return single(.star)
        case "/": return single(.slash)
        case "%": return single(.percent)
        case "!": return two == "=" ? pair(.notEqual) : single(.bang)
        case "=" where two == "=": return pair(.equal)
        case "<": return two == "=" ? pair(.lessEqual) : single(.less)
        case ">": return two == "=" ? pair(.greaterEqual) : single(.greater)
        case "&" where two == "&": return pair(.logicalAnd)
        case "|" where two == "|": return pair(.logicalOr)
        default:
            // ANTLR's message includes the character it tried to pair with (`| ` for `|`).
            if c == "|" || c == "&" || c == "=", two != nil { position += 1 }
            problems.append((start, "Syntax error: token recognition error at: '\(text(start, position))'"))
            return Token(kind: .invalid, start: start, end: position)
        }
    }

    private mutating func lexNumber() -> Token {
        let start = position
        if peek() == "0", peek(1) == "x", Self.isHexDigit(peek(2)) {
            position += 2
            while Self.isHexDigit(peek()) { position += 1 }
            let digits = text(start, position)
            if let u = peek(), u == "u" || u == "U" {
                position += 1
                return Token(kind: .uintLiteral, start: start, end: position, text: digits)
            }
            return Token(kind: .intLiteral, start: start, end: position, text: digits)
        }
        var isFloat = false
        while Self.isDigit(peek()) { position += 1 }
        if peek() == ".", Self.isDigit(peek(1)) {
            isFloat = true
            position += 1
            while Self.isDigit(peek()) { position += 1 }
        }
        if let e = peek(), e == "e" || e == "E" {
            var ahead = 1
            if let sign = peek(1), sign == "+" || sign == "-" { ahead = 2 }
            if Self.isDigit(peek(ahead)) {
                isFloat = true
                position += ahead
                while Self.isDigit(peek()) { position += 1 }
            }
        }
        let digits = text(start, position)
        if isFloat {
            return Token(kind: .doubleLiteral, start: start, end: position, text: digits)
        }
        if let u = peek(), u == "u" || u == "U" {
            position += 1
            return Token(kind: .uintLiteral, start: start, end: position, text: digits)
        }
        return Token(kind: .intLiteral, start: start, end: position, text: digits)
    }

    private mutating func lexEscapedIdentifier(start: Int) -> Token {
        position += 1
        let nameStart = position
        while let c = peek(), c != "`" {
            guard Self.isIdentifierPart(c) || c == "." || c == "-" || c == "/" || c == " " else { break }
            position += 1
        }
        if peek() == "`", position > nameStart {
            let name = text(nameStart, position)
            position += 1
            return Token(kind: .escapedIdentifier, start: start, end: position, text: name)
        }
        position = start + 1
        problems.append((start, "Syntax error: token recognition error at: '`'"))
        return Token(kind: .invalid, start: start, end: position)
    }
}
