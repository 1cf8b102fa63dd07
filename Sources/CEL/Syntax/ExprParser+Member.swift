/// member: primary followed by `.f`, `.?f`, `.f(args)`, `[i]`, `[?i]`, or `{...}` after a
/// qualified name (message construction); calls are where macros expand.
extension ExprParser {
    func parseMember() throws -> Expr {
        var (expr, qualifiedName) = try parsePrimary()
        // Chained selections, indexes and calls deepen the tree; the first one is free so that
        // `a[a[a[...]]]` costs one level per bracket, like the parenthesised forms.
        var chained = 0
        defer { leave(max(0, chained - 1)) }
        while true {
            switch current.kind {
            case .dot:
                chained += 1
                if chained > 1 { try enter(current.start) }
                expr = try parseDotSuffix(expr, qualifiedName: &qualifiedName)
            case .leftBracket:
                chained += 1
                if chained > 1 { try enter(current.start) }
                expr = try parseIndexSuffix(expr)
                qualifiedName = nil
            case .leftBrace:
                guard let typeName = qualifiedName else { return expr }
                forgetQualifiedName(expr)
                expr = try parseStructure(typeName: typeName)
                qualifiedName = nil
            default:
                return expr
            }
        }
    }

    /// `.f`, `.?f` or `.f(args)` after `operand`; extends `qualifiedName` while the chain is
    /// still a plain dotted name.
    @inline(never)
    private func parseDotSuffix(_ operand: Expr, qualifiedName: inout String?) throws -> Expr {
        let dot = advance()
        if current.kind == .question {
            advance()
            if !options.enableOptionalSyntax {
                report("unsupported syntax '.?'", at: dot.start)
            }
            let (name, nameToken) = try parseEscapedIdentifier()
            let id = newID(at: dot.start)
            let field = node(at: nameToken.start, .constant(.string(name)))
            qualifiedName = nil
            return Expr(id: id, .call(target: nil, function: "_?._", args: [operand, field]))
        }
        if current.kind == .identifier && peekKind() == .leftParen {
            let name = advance()
            let open = advance()
            let id = newID(at: open.start)
            let args = try parseArguments()
            qualifiedName = nil
            return callOrMacro(id: id, function: name.text, target: operand, args: args, offset: open.start)
        }
        let (name, nameToken) = try parseEscapedIdentifier()
        if nameToken.kind == .identifier, let prefix = qualifiedName {
            qualifiedName = prefix + "." + name
        } else {
            qualifiedName = nil
        }
        return node(at: dot.start, .select(operand: operand, field: name, testOnly: false))
    }

    /// `[i]` or `[?i]` after `operand`.
    @inline(never)
    private func parseIndexSuffix(_ operand: Expr) throws -> Expr {
        let open = advance()
        var optional = false
        if current.kind == .question {
            advance()
            optional = true
            if !options.enableOptionalSyntax {
                report("unsupported syntax '[?'", at: open.start)
            }
        }
        let id = newID(at: open.start)
        let indexExpr = try parseExpr()
        _ = try expect(.rightBracket, "']'")
        return Expr(id: id, .call(target: nil, function: optional ? "_[?_]" : "_[_]", args: [operand, indexExpr]))
    }

    /// escapeIdent: IDENTIFIER | ESC_IDENTIFIER (a backtick-quoted name).
    func parseEscapedIdentifier() throws -> (String, Token) {
        let token = try expectIdentifier(allowEscaped: true)
        if token.kind == .escapedIdentifier && !options.enableIdentifierEscapeSyntax {
            report("unsupported syntax: '`'", at: token.start)
        }
        return (token.text, token)
    }

    /// Arguments after an opening parenthesis, through the closing one (no trailing comma).
    @inline(never)
    func parseArguments() throws -> [Expr] {
        var args: [Expr] = []
        if current.kind == .rightParen {
            advance()
            return args
        }
        while true {
            args.append(try parseExpr())
            if current.kind == .comma {
                advance()
                continue
            }
            _ = try expect(.rightParen, "{')', ','}")
            return args
        }
    }

    /// The nodes of `a.b.c` are replaced by a message construction `a.b.c{...}`.
    private func forgetQualifiedName(_ expr: Expr) {
        var node = expr
        while true {
            forget(node)
            guard case .select(let operand, _, _) = node.kind else { return }
            node = operand
        }
    }

    /// A call, or its macro expansion when a macro matches name, style and argument count.
    @inline(never)
    func callOrMacro(id: Int64, function: String, target: Expr?, args: [Expr], offset: Int) -> Expr {
        let receiver = target != nil
        let macro = macros[Macro.key(name: function, argCount: args.count, receiver: receiver)]
            ?? macros[Macro.key(name: function, argCount: nil, receiver: receiver)]
        if let macro {
            let factory = MacroExprFactory(parser: self, callOffset: offset)
            do {
                if let expanded = try macro.expander(factory, target, args) {
                    if options.populateMacroCalls {
                        sourceInfo.macroCalls[expanded.id] = Expr(id: 0, .call(target: target, function: function, args: args))
                    }
                    return expanded
                }
            } catch let error as MacroError {
                report(error.message, at: sourceInfo.positions[error.exprID] ?? offset)
                return errorNode(at: offset)
            } catch {
                report("\(error)", at: offset)
                return errorNode(at: offset)
            }
        }
        return Expr(id: id, .call(target: target, function: function, args: args))
    }
}
