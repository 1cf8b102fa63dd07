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
        let lexed = Lexer.tokenize(scalars)
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

    // MARK: expressions

    /// expr: conditionalOr ('?' conditionalOr ':' expr)?
    func parseExpr() throws -> Expr {
        try enter(current.start)
        defer { leave() }
        let condition = try parseLogical(or: true)
        guard current.kind == .question else { return condition }
        let question = advance()
        let id = newID(at: question.start)
        let whenTrue = try parseLogical(or: true)
        _ = try expect(.colon, "':'")
        let whenFalse = try parseExpr()
        return Expr(id: id, .call(target: nil, function: "_?_:_", args: [condition, whenTrue, whenFalse]))
    }

    /// conditionalOr / conditionalAnd. Chains are built as balanced trees, as cel-go does, so
    /// that `a || b || ... ` of any length stays shallow.
    func parseLogical(or: Bool) throws -> Expr {
        let operatorKind: Token.Kind = or ? .logicalOr : .logicalAnd
        let first = or ? try parseLogical(or: false) : try parseBinary(minPrecedence: 1)
        guard current.kind == operatorKind else { return first }
        var terms = [first]
        var opIDs: [Int64] = []
        while current.kind == operatorKind {
            let op = advance()
            let next = or ? try parseLogical(or: false) : try parseBinary(minPrecedence: 1)
            opIDs.append(newID(at: op.start))
            terms.append(next)
        }
        let function = or ? "_||_" : "_&&_"
        return balanced(terms, opIDs, function, 0, opIDs.count - 1)
    }

    private func balanced(_ terms: [Expr], _ ids: [Int64], _ function: String, _ lo: Int, _ hi: Int) -> Expr {
        let mid = (lo + hi + 1) / 2
        let left = mid == lo ? terms[mid] : balanced(terms, ids, function, lo, mid - 1)
        let right = mid == hi ? terms[mid + 1] : balanced(terms, ids, function, mid + 1, hi)
        return Expr(id: ids[mid], .call(target: nil, function: function, args: [left, right]))
    }

    /// Binary operators below the logical ones: relations (1), additive (2), multiplicative (3).
    /// All are left-associative.
    static func binaryOperator(_ kind: Token.Kind) -> (precedence: Int, function: String)? {
        switch kind {
        case .equal: return (1, "_==_")
        case .notEqual: return (1, "_!=_")
        case .less: return (1, "_<_")
        case .lessEqual: return (1, "_<=_")
        case .greater: return (1, "_>_")
        case .greaterEqual: return (1, "_>=_")
        case .inKeyword: return (1, "@in")
        case .plus: return (2, "_+_")
        case .minus: return (2, "_-_")
        case .star: return (3, "_*_")
        case .slash: return (3, "_/_")
        case .percent: return (3, "_%_")
        default: return nil
        }
    }

    /// Precedence climbing over the relation/calc rules.
    func parseBinary(minPrecedence: Int) throws -> Expr {
        var left = try parseUnary()
        var chained = 0
        defer { leave(max(0, chained - 1)) }
        while let (precedence, function) = Self.binaryOperator(current.kind), precedence >= minPrecedence {
            let op = advance()
            chained += 1
            if chained > 1 { try enter(op.start) }
            let id = newID(at: op.start)
            let right = try parseBinary(minPrecedence: precedence + 1)
            left = Expr(id: id, .call(target: nil, function: function, args: [left, right]))
        }
        return left
    }

    /// unary: member | '!'+ member | '-'+ member. Pairs of `!` or `-` cancel, as in cel-go.
    func parseUnary() throws -> Expr {
        let kind = current.kind
        guard kind == .bang || kind == .minus else { return try parseMember() }
        if kind == .minus, peekKind() == .intLiteral || peekKind() == .doubleLiteral {
            // `-1` is a negative literal (the grammar's first alternative), not a negation.
            return try parseMember()
        }
        let first = current
        var count = 0
        while current.kind == kind {
            advance()
            count += 1
        }
        if count % 2 == 0 { return try parseMember() }
        let id = newID(at: first.start)
        let operand = try parseMember()
        return Expr(id: id, .call(target: nil, function: kind == .bang ? "!_" : "-_", args: [operand]))
    }
}
