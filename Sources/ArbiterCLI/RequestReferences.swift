import CEL

/// Whether a CEL expression reads the request (`request`, `P` or `R`), found on its parse tree,
/// so that `arbiter eval` can warn when it evaluates one without `--request`.
enum RequestReferences {
    static let requestIdentifiers: Set<String> = ["request", "P", "R"]

    /// The request identifiers `source` reads, sorted; empty when it reads none or does not parse
    /// (the compile step reports syntax errors itself).
    static func identifiers(in source: String) -> [String] {
        guard let expr = Parser().parse(source).expr else { return [] }
        var found = Set<String>()
        collect(expr, bound: [], into: &found)
        return found.sorted()
    }

    /// `bound` holds the comprehension variables in scope, which shadow the request names.
    private static func collect(_ expr: Expr, bound: Set<String>, into found: inout Set<String>) {
        switch expr.kind {
        case let .ident(name):
            if requestIdentifiers.contains(name), !bound.contains(name) { found.insert(name) }
        case let .select(operand, _, _):
            collect(operand, bound: bound, into: &found)
        case let .call(target, _, args):
            if let target { collect(target, bound: bound, into: &found) }
            for arg in args { collect(arg, bound: bound, into: &found) }
        case let .list(elements, _):
            for element in elements { collect(element, bound: bound, into: &found) }
        case let .map(entries):
            for entry in entries {
                collect(entry.key, bound: bound, into: &found)
                collect(entry.value, bound: bound, into: &found)
            }
        case let .structure(_, fields):
            for field in fields { collect(field.value, bound: bound, into: &found) }
        case let .comprehension(c):
            collect(c.iterRange, bound: bound, into: &found)
            collect(c.accuInit, bound: bound, into: &found)
            let inner = bound.union([c.iterVar, c.iterVar2, c.accuVar])
            for part in [c.loopCondition, c.loopStep, c.result] { collect(part, bound: inner, into: &found) }
        case .constant:
            break
        }
    }
}
