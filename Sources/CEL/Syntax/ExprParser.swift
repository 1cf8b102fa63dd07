/// The state of one parse: tokens, id allocation, positions and issues. Recursive descent over
/// the grammar of cel-spec (CEL.g4); every recursion passes through `parseExpr`, which enforces
/// the nesting limit, and left-associative chains are loops that count toward the same limit.
final class ExprParser {
    /// Thrown to abandon the parse after an unrecoverable syntax error.
    struct Abort: Error {}

    let scalars: [Unicode.Scalar]
    let options: ParserOptions
    let macros: [String: Macro]
    var sourceInfo: SourceInfo
    var issues: [CELIssue] = []
    var tokens: [Token]
    var index = 0
    private var lexerProblems: [Lexer.Problem]
    private var nextLexerProblem = 0
    /// Syntax errors (lexer and grammar) reported so far; cel-go stops after 100.
    private var syntaxErrors = 0
    /// Set once the syntax error limit is reached; the parse is abandoned at the next check.
    private var stopped = false
    private var recoveryAttempts = 0
    private var lastID: Int64 = 0
    private var depth = 0

    init(scalars: [Unicode.Scalar], options: ParserOptions, macros: [String: Macro], sourceInfo: SourceInfo) {
        self.scalars = scalars
        self.options = options
        self.macros = macros
        self.sourceInfo = sourceInfo
        let lexed = Lexer.tokenize(scalars, maxProblems: options.errorReportingLimit)
        self.sourceInfo.positions.reserveCapacity(lexed.tokens.count)
        self.tokens = lexed.tokens
        self.lexerProblems = lexed.problems
        reach(0)
    }

    /// Reports the lexical problems met before token `tokenIndex`, once the parser looks at it.
    private func reach(_ tokenIndex: Int) {
        while nextLexerProblem < lexerProblems.count && lexerProblems[nextLexerProblem].tokenIndex <= tokenIndex {
            let problem = lexerProblems[nextLexerProblem]
            syntaxError(problem.message, at: problem.offset)
            nextLexerProblem += 1
        }
    }

    /// Records a lexer or grammar error, stopping after `errorReportingLimit` of them as cel-go does.
    func syntaxError(_ message: String, at offset: Int) {
        guard !stopped else { return }
        if syntaxErrors >= options.errorReportingLimit {
            report("Syntax error: More than \(options.errorReportingLimit) syntax errors", at: offset)
            stopped = true
            return
        }
        syntaxErrors += 1
        report(message, at: offset)
    }

    // MARK: ids, positions, issues

    func newID(at offset: Int) -> Int64 {
        lastID += 1
        sourceInfo.positions[lastID] = offset
        return lastID
    }

    func node(at offset: Int, _ kind: Expr.Kind) -> Expr {
        Expr(id: newID(at: offset), kind)
    }

    func forget(_ expr: Expr) {
        sourceInfo.positions[expr.id] = nil
    }

    /// Records a problem that does not stop parsing (bad literal, reserved word, macro misuse).
    func report(_ message: String, at offset: Int) {
        issues.append(CELIssue(message: message, offset: offset, sourceInfo: sourceInfo))
    }

    /// Records a syntax error and abandons the parse.
    func fail(_ message: String, at offset: Int) -> Abort {
        if message.hasPrefix("Syntax error:") {
            syntaxError(message, at: offset)
        } else {
            report(message, at: offset)
        }
        return Abort()
    }

    /// A placeholder for a node that could not be built; the result is discarded because an
    /// issue has been recorded.
    func errorNode(at offset: Int) -> Expr {
        node(at: offset, .constant(.null))
    }

    // MARK: tokens

    var current: Token { tokens[index] }

    func peekKind(_ ahead: Int = 1) -> Token.Kind {
        let i = index + ahead
        reach(i)
        return i < tokens.count ? tokens[i].kind : .eof
    }

    @discardableResult
    func advance() -> Token {
        let token = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        reach(index)
        return token
    }

    /// Matches one token, recovering as ANTLR does when a single token is extra (deletion) or
    /// a closing token is missing (insertion); otherwise abandons the parse.
    func expect(_ kind: Token.Kind, _ spelling: String) throws -> Token {
        if current.kind == kind { return advance() }
        try checkRecoveryLimit()
        let token = current
        if peekKind() == kind {
            syntaxError("Syntax error: extraneous input '\(token.display(in: scalars))' expecting \(spelling)", at: token.start)
            advance()
            return advance()
        }
        if Self.canFollowClosingToken(token.kind) {
            syntaxError("Syntax error: missing \(spelling) at '\(token.display(in: scalars))'", at: token.start)
            return Token(kind: kind, start: token.start, end: token.start)
        }
        throw mismatched(expecting: spelling)
    }

    /// Matches an identifier (or, where allowed, a backtick-quoted one) with the same recovery
    /// as `expect`; a missing one is replaced by an empty name after reporting it.
    func expectIdentifier(allowEscaped: Bool) throws -> Token {
        let spelling = allowEscaped ? "{IDENTIFIER, ESC_IDENTIFIER}" : "IDENTIFIER"
        func matches(_ kind: Token.Kind) -> Bool {
            kind == .identifier || (allowEscaped && kind == .escapedIdentifier)
        }
        if matches(current.kind) { return advance() }
        try checkRecoveryLimit()
        let token = current
        if matches(peekKind()) {
            syntaxError("Syntax error: extraneous input '\(token.display(in: scalars))' expecting \(spelling)", at: token.start)
            advance()
            return advance()
        }
        if Self.canFollowClosingToken(token.kind) || token.kind == .dot || token.kind == .leftBracket {
            syntaxError("Syntax error: missing \(spelling) at '\(token.display(in: scalars))'", at: token.start)
            return Token(kind: .identifier, start: token.start, end: token.start)
        }
        throw mismatched(expecting: spelling)
    }

    /// Tokens that may come right after a `)`, `]`, `}` or `:`, where a missing one is assumed.
    static func canFollowClosingToken(_ kind: Token.Kind) -> Bool {
        switch kind {
        case .eof, .rightParen, .rightBracket, .rightBrace, .comma, .question, .colon, .logicalAnd, .logicalOr,
             .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .inKeyword, .plus, .star, .slash,
             .percent:
            return true
        default:
            return false
        }
    }

    static func canStartExpression(_ kind: Token.Kind) -> Bool {
        switch kind {
        case .leftBracket, .leftBrace, .leftParen, .dot, .minus, .bang, .trueKeyword, .falseKeyword, .nullKeyword,
             .doubleLiteral, .intLiteral, .uintLiteral, .stringLiteral, .bytesLiteral, .identifier:
            return true
        default:
            return false
        }
    }

    /// Counts one recovery attempt; gives up, as cel-go does, once the limit is reached.
    func checkRecoveryLimit() throws {
        if stopped { throw Abort() }
        if recoveryAttempts == options.errorRecoveryLimit {
            throw fail("Syntax error: error recovery attempt limit exceeded: \(options.errorRecoveryLimit)",
                       at: current.start)
        }
        recoveryAttempts += 1
    }

    /// ANTLR's wording, which cel-go passes through: `mismatched input 'x' expecting y`.
    func mismatched(expecting: String) -> Abort {
        let token = current
        let message = "Syntax error: mismatched input '\(token.display(in: scalars))' expecting \(expecting)"
        return fail(message, at: token.start)
    }

    static let expressionStart = "{'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}"

    // MARK: entry

    func parseStart() -> Expr? {
        do {
            let expr = try parseExpr()
            if current.kind != .eof {
                // ANTLR calls the rest "extraneous" when dropping one token would reach the end.
                let token = current
                let word = peekKind() == .eof ? "extraneous" : "mismatched"
                throw fail("Syntax error: \(word) input '\(token.display(in: scalars))' expecting <EOF>",
                           at: token.start)
            }
            return expr
        } catch {
            return nil
        }
    }

    /// Enters one level of nesting; fails when the recursion limit is exceeded.
    func enter(_ offset: Int) throws {
        if stopped { throw Abort() }
        depth += 1
        if depth > options.maxRecursionDepth {
            throw fail("expression recursion limit exceeded: \(options.maxRecursionDepth)", at: offset)
        }
    }

    func leave(_ levels: Int = 1) {
        depth -= levels
    }
}
