/// expr, conditionalOr, conditionalAnd, relation, calc and unary: one precedence-climbing loop,
/// so that a nesting level costs few stack frames (hostile input is cut off by the depth limit,
/// and each level must stay cheap for the stacks of event-loop and task threads).
extension ExprParser {
    /// expr: conditionalOr ('?' conditionalOr ':' expr)?
    func parseExpr() throws -> Expr {
        try enter(current.start)
        defer { leave() }
        let condition = try parseBinary(minPrecedence: 1)
        guard current.kind == .question else { return condition }
        return try parseConditional(condition)
    }

    @inline(never)
    private func parseConditional(_ condition: Expr) throws -> Expr {
        let question = advance()
        let id = newID(at: question.start)
        let whenTrue = try parseBinary(minPrecedence: 1)
        _ = try expect(.colon, "':'")
        let whenFalse = try parseExpr()
        return Expr(id: id, .call(target: nil, function: "_?_:_", args: [condition, whenTrue, whenFalse]))
    }

    /// Binary operators by precedence: `||` (1), `&&` (2), relations (3), additive (4),
    /// multiplicative (5).
    static func binaryOperator(_ kind: Token.Kind) -> (precedence: Int, function: String)? {
        switch kind {
        case .logicalOr: return (1, "_||_")
        case .logicalAnd: return (2, "_&&_")
        case .equal: return (3, "_==_")
        case .notEqual: return (3, "_!=_")
        case .less: return (3, "_<_")
        case .lessEqual: return (3, "_<=_")
        case .greater: return (3, "_>_")
        case .greaterEqual: return (3, "_>=_")
        case .inKeyword: return (3, "@in")
        case .plus: return (4, "_+_")
        case .minus: return (4, "_-_")
        case .star: return (5, "_*_")
        case .slash: return (5, "_/_")
        case .percent: return (5, "_%_")
        default: return nil
        }
    }

    /// Precedence climbing; all operators are left-associative. Runs of `&&` or `||` become
    /// balanced trees as cel-go builds them; other chains count toward the depth limit, since
    /// every operator in them nests the tree one level deeper.
    func parseBinary(minPrecedence: Int) throws -> Expr {
        var left = try parseUnary()
        var chained = 0
        defer { leave(max(0, chained - 1)) }
        while let (precedence, function) = Self.binaryOperator(current.kind), precedence >= minPrecedence {
            if precedence <= 2 {
                left = try parseLogicalRun(first: left, precedence: precedence, function: function)
                continue
            }
            let op = advance()
            chained += 1
            if chained > 1 { try enter(op.start) }
            let id = newID(at: op.start)
            let right = try parseBinary(minPrecedence: precedence + 1)
            left = Expr(id: id, .call(target: nil, function: function, args: [left, right]))
        }
        return left
    }

    @inline(never)
    private func parseLogicalRun(first: Expr, precedence: Int, function: String) throws -> Expr {
        let kind = current.kind
        var terms = [first]
        var opIDs: [Int64] = []
        while current.kind == kind {
            let op = advance()
            let next = try parseBinary(minPrecedence: precedence + 1)
            opIDs.append(newID(at: op.start))
            terms.append(next)
        }
        return balanced(terms, opIDs, function, 0, opIDs.count - 1)
    }

    private func balanced(_ terms: [Expr], _ ids: [Int64], _ function: String, _ lo: Int, _ hi: Int) -> Expr {
        let mid = (lo + hi + 1) / 2
        let left = mid == lo ? terms[mid] : balanced(terms, ids, function, lo, mid - 1)
        let right = mid == hi ? terms[mid + 1] : balanced(terms, ids, function, mid + 1, hi)
        return Expr(id: ids[mid], .call(target: nil, function: function, args: [left, right]))
    }

    /// unary: member | '!'+ member | '-'+ member. Pairs of `!` or `-` cancel, as in cel-go.
    func parseUnary() throws -> Expr {
        let kind = current.kind
        guard kind == .bang || kind == .minus else { return try parseMember() }
        if kind == .minus, peekKind() == .intLiteral || peekKind() == .doubleLiteral {
            // `-1` is a negative literal (the grammar's first alternative), not a negation.
            return try parseMember()
        }
        let start = current.start
        var count = 0
        while current.kind == kind {
            advance()
            count += 1
        }
        if count % 2 == 0 { return try parseMember() }
        let id = newID(at: start)
        let operand = try parseMember()
        return Expr(id: id, .call(target: nil, function: kind == .bang ? "!_" : "-_", args: [operand]))
    }
}
