@testable import CEL

/// A compact, id-free rendering of a parsed tree, so tests can state expected shapes in one line.
enum ParserTestSupport {
    static func parse(_ source: String, options: ParserOptions = .extended) -> ParseResult {
        Parser(options: options).parse(source)
    }

    /// The tree of `source` as a string, or the rendered issues prefixed with `ERROR` markers.
    static func tree(_ source: String, options: ParserOptions = .extended) -> String {
        let result = parse(source, options: options)
        guard let expr = result.expr else { return result.renderedIssues(source: source) }
        return render(expr)
    }

    static func render(_ expr: Expr) -> String {
        switch expr.kind {
        case .constant(let constant):
            return render(constant)
        case .ident(let name):
            return name
        case let .select(operand, field, testOnly):
            return "\(render(operand)).\(field)\(testOnly ? "~test-only" : "")"
        case let .call(target, function, args):
            let list = args.map(render).joined(separator: ", ")
            if let target { return "\(render(target)).\(function)(\(list))" }
            return "\(function)(\(list))"
        case let .list(elements, optionalIndices):
            let items = elements.enumerated().map { (optionalIndices.contains($0.offset) ? "?" : "") + render($0.element) }
            return "[\(items.joined(separator: ", "))]"
        case .map(let entries):
            let items = entries.map { "\($0.optional ? "?" : "")\(render($0.key)): \(render($0.value))" }
            return "{\(items.joined(separator: ", "))}"
        case let .structure(typeName, fields):
            let items = fields.map { "\($0.optional ? "?" : "")\($0.field): \(render($0.value))" }
            return "\(typeName){\(items.joined(separator: ", "))}"
        case .comprehension(let c):
            let variables = c.iterVar2.isEmpty ? c.iterVar : "\(c.iterVar), \(c.iterVar2)"
            return "__comprehension__(\(variables), \(render(c.iterRange)), \(c.accuVar), \(render(c.accuInit)), "
                + "\(render(c.loopCondition)), \(render(c.loopStep)), \(render(c.result)))"
        }
    }

    static func render(_ constant: Expr.Constant) -> String {
        switch constant {
        case .null: return "null"
        case .bool(let b): return "\(b)"
        case .int(let i): return "\(i)"
        case .uint(let u): return "\(u)u"
        case .double(let d): return "\(d)"
        case .string(let s): return s.debugDescription
        case .bytes(let b): return "b\(b)"
        }
    }

    /// Every node id in the tree (entries included), to check that ids are unique and positioned.
    static func ids(_ expr: Expr) -> [Int64] {
        var out = [expr.id]
        switch expr.kind {
        case .constant, .ident: break
        case let .select(operand, _, _): out += ids(operand)
        case let .call(target, _, args):
            if let target { out += ids(target) }
            for arg in args { out += ids(arg) }
        case let .list(elements, _): for e in elements { out += ids(e) }
        case .map(let entries): for e in entries { out += [e.id] + ids(e.key) + ids(e.value) }
        case let .structure(_, fields): for f in fields { out += [f.id] + ids(f.value) }
        case .comprehension(let c):
            out += ids(c.iterRange) + ids(c.accuInit) + ids(c.loopCondition) + ids(c.loopStep) + ids(c.result)
        }
        return out
    }
}
