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
                let dot = advance()
                chained += 1
                if chained > 1 { try enter(dot.start) }
                if current.kind == .question {
                    advance()
                    if !options.enableOptionalSyntax {
                        report("unsupported syntax '.?'", at: dot.start)
                    }
                    let (name, nameToken) = try parseEscapedIdentifier()
                    let id = newID(at: dot.start)
                    let field = node(at: nameToken.start, .constant(.string(name)))
                    expr = Expr(id: id, .call(target: nil, function: "_?._", args: [expr, field]))
                    qualifiedName = nil
                } else if current.kind == .identifier && peekKind() == .leftParen {
                    let name = advance()
                    let open = advance()
                    let id = newID(at: open.start)
                    let args = try parseArguments()
                    expr = callOrMacro(id: id, function: name.text, target: expr, args: args, offset: open.start)
                    qualifiedName = nil
                } else {
                    let (name, nameToken) = try parseEscapedIdentifier()
                    expr = node(at: dot.start, .select(operand: expr, field: name, testOnly: false))
                    if nameToken.kind == .identifier, let prefix = qualifiedName {
                        qualifiedName = prefix + "." + name
                    } else {
                        qualifiedName = nil
                    }
                }
            case .leftBracket:
                let open = advance()
                chained += 1
                if chained > 1 { try enter(open.start) }
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
                expr = Expr(id: id, .call(target: nil, function: optional ? "_[?_]" : "_[_]", args: [expr, indexExpr]))
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

    /// escapeIdent: IDENTIFIER | ESC_IDENTIFIER (a backtick-quoted name).
    func parseEscapedIdentifier() throws -> (String, Token) {
        let token = try expectIdentifier(allowEscaped: true)
        if token.kind == .escapedIdentifier && !options.enableIdentifierEscapeSyntax {
            report("unsupported syntax: '`'", at: token.start)
        }
        return (token.text, token)
    }

    /// Arguments after an opening parenthesis, through the closing one (no trailing comma).
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
