/// primary: identifiers and global calls, parentheses, list and map literals, message
/// construction, and literals.
extension ExprParser {
    /// Words the grammar reserves; they may still name fields and receiver functions.
    static let reservedIdentifiers: Set<String> = [
        "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop",
        "package", "namespace", "return", "var", "void", "while",
    ]

    /// Returns the expression and, when it is a plain (possibly leading-dot) identifier, its name,
    /// which may grow into a qualified message name in `parseMember`.
    func parsePrimary() throws -> (Expr, String?) {
        switch current.kind {
        case .dot, .identifier:
            return try parseIdentifierOrCall()
        case .leftParen:
            advance()
            let inner = try parseExpr()
            _ = try expect(.rightParen, "')'")
            return (inner, nil)
        case .leftBracket:
            return (try parseList(), nil)
        case .leftBrace:
            return (try parseMap(), nil)
        case .intLiteral, .uintLiteral, .doubleLiteral, .stringLiteral, .bytesLiteral, .trueKeyword,
             .falseKeyword, .nullKeyword, .minus:
            return (try parseLiteral(), nil)
        default:
            try skipStrayToken()
            return try parsePrimary()
        }
    }

    /// ANTLR's single-token deletion: skip one stray token when an expression follows it.
    @inline(never)
    private func skipStrayToken() throws {
        try checkRecoveryLimit()
        let token = current
        guard Self.canStartExpression(peekKind()) else { throw mismatched(expecting: Self.expressionStart) }
        syntaxError("Syntax error: extraneous input '\(token.display(in: scalars))' expecting \(Self.expressionStart)",
                    at: token.start)
        advance()
    }

    /// `name`, `.name`, `name(args)` or `.name(args)`.
    @inline(never)
    private func parseIdentifierOrCall() throws -> (Expr, String?) {
        let token = current
        var name = ""
        let identifier: Token
        if token.kind == .dot {
            advance()
            identifier = try expectIdentifier(allowEscaped: false)
            name = "."
        } else {
            identifier = advance()
        }
        name += identifier.text
        let reserved = Self.reservedIdentifiers.contains(identifier.text)
        if reserved {
            report("reserved identifier: \(identifier.text)", at: token.start)
        }
        if current.kind == .leftParen {
            let open = advance()
            let id = newID(at: open.start)
            let args = try parseArguments()
            return (callOrMacro(id: id, function: name, target: nil, args: args, offset: open.start), nil)
        }
        return (node(at: token.start, .ident(name)), reserved ? nil : name)
    }

    /// `[a, ?b, c,]`.
    @inline(never)
    private func parseList() throws -> Expr {
        let open = advance()
        let id = newID(at: open.start)
        var elements: [Expr] = []
        var optionalIndices: [Int] = []
        while current.kind != .rightBracket {
            if current.kind == .question {
                let question = advance()
                if !options.enableOptionalSyntax {
                    report("unsupported syntax '?'", at: question.start)
                }
                optionalIndices.append(elements.count)
            }
            elements.append(try parseExpr())
            guard current.kind == .comma else { break }
            advance()
        }
        _ = try expect(.rightBracket, "']'")
        return Expr(id: id, .list(elements: elements, optionalIndices: optionalIndices))
    }

    /// `{k: v, ?k2: v2,}`.
    @inline(never)
    private func parseMap() throws -> Expr {
        let open = advance()
        let id = newID(at: open.start)
        var entries: [Expr.MapEntry] = []
        while current.kind != .rightBrace {
            var optional = false
            if current.kind == .question {
                let question = advance()
                optional = true
                if !options.enableOptionalSyntax {
                    report("unsupported syntax '?'", at: question.start)
                }
            }
            let key = try parseExpr()
            let colon = try expect(.colon, "':'")
            let entryID = newID(at: colon.start)
            let value = try parseExpr()
            entries.append(Expr.MapEntry(id: entryID, key: key, value: value, optional: optional))
            guard current.kind == .comma else { break }
            advance()
        }
        _ = try expect(.rightBrace, "'}'")
        return Expr(id: id, .map(entries: entries))
    }

    /// `Name{field: v, ?other: w,}` with the opening brace current.
    @inline(never)
    func parseStructure(typeName: String) throws -> Expr {
        let open = advance()
        let id = newID(at: open.start)
        var fields: [Expr.FieldEntry] = []
        while current.kind != .rightBrace {
            var optional = false
            if current.kind == .question {
                let question = advance()
                optional = true
                if !options.enableOptionalSyntax {
                    report("unsupported syntax '?'", at: question.start)
                }
            }
            let (field, _) = try parseEscapedIdentifier()
            let colon = try expect(.colon, "':'")
            let entryID = newID(at: colon.start)
            let value = try parseExpr()
            fields.append(Expr.FieldEntry(id: entryID, field: field, value: value, optional: optional))
            guard current.kind == .comma else { break }
            advance()
        }
        _ = try expect(.rightBrace, "'}'")
        return Expr(id: id, .structure(typeName: typeName, fields: fields))
    }

    /// literal: '-'? NUM_INT | NUM_UINT | '-'? NUM_FLOAT | STRING | BYTES | true | false | null.
    @inline(never)
    private func parseLiteral() throws -> Expr {
        let start = current.start
        var negative = false
        if current.kind == .minus, peekKind() == .intLiteral || peekKind() == .doubleLiteral {
            advance()
            negative = true
        }
        let token = current
        let constant: Expr.Constant
        switch token.kind {
        case .intLiteral:
            advance()
            guard let value = Self.intValue(token.text, negative: negative) else {
                report("invalid int literal", at: start)
                return errorNode(at: start)
            }
            constant = .int(value)
        case .uintLiteral:
            advance()
            let hex = token.text.hasPrefix("0x")
            guard let value = UInt64(hex ? String(token.text.dropFirst(2)) : token.text, radix: hex ? 16 : 10) else {
                report("invalid uint literal", at: start)
                return errorNode(at: start)
            }
            constant = .uint(value)
        case .doubleLiteral:
            advance()
            guard let value = Double(token.text), value.isFinite else {
                report("invalid double literal", at: start)
                return errorNode(at: start)
            }
            constant = .double(negative ? -value : value)
        case .stringLiteral:
            advance()
            constant = .string(token.text)
        case .bytesLiteral:
            advance()
            constant = .bytes(token.bytes)
        case .trueKeyword:
            advance()
            constant = .bool(true)
        case .falseKeyword:
            advance()
            constant = .bool(false)
        case .nullKeyword:
            advance()
            constant = .null
        default:
            throw mismatched(expecting: Self.expressionStart)
        }
        return node(at: start, .constant(constant))
    }

    /// Decimal or `0x` hex digits, with the sign applied before the range check so that
    /// `-9223372036854775808` fits.
    static func intValue(_ text: String, negative: Bool) -> Int64? {
        let hex = text.hasPrefix("0x")
        guard let magnitude = UInt64(hex ? String(text.dropFirst(2)) : text, radix: hex ? 16 : 10) else { return nil }
        if negative {
            if magnitude == UInt64(Int64.max) + 1 { return Int64.min }
            guard magnitude <= UInt64(Int64.max) else { return nil }
            return -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }
}
