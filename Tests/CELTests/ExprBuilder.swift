@testable import CEL

/// Builds `Expr` trees by hand for interpreter tests that must not depend on the parser.
struct ExprBuilder {
    private var next: Int64 = 1
    mutating func id() -> Int64 { defer { next += 1 }; return next }

    mutating func int(_ v: Int64) -> Expr { Expr(id: id(), .constant(.int(v))) }
    mutating func uint(_ v: UInt64) -> Expr { Expr(id: id(), .constant(.uint(v))) }
    mutating func double(_ v: Double) -> Expr { Expr(id: id(), .constant(.double(v))) }
    mutating func string(_ v: String) -> Expr { Expr(id: id(), .constant(.string(v))) }
    mutating func bool(_ v: Bool) -> Expr { Expr(id: id(), .constant(.bool(v))) }
    mutating func ident(_ n: String) -> Expr { Expr(id: id(), .ident(n)) }
    mutating func select(_ e: Expr, _ f: String, testOnly: Bool = false) -> Expr {
        Expr(id: id(), .select(operand: e, field: f, testOnly: testOnly))
    }
    mutating func call(_ f: String, _ args: Expr...) -> Expr { Expr(id: id(), .call(target: nil, function: f, args: args)) }
    mutating func member(_ t: Expr, _ f: String, _ args: Expr...) -> Expr {
        Expr(id: id(), .call(target: t, function: f, args: args))
    }
    mutating func list(_ items: Expr...) -> Expr { Expr(id: id(), .list(elements: items, optionalIndices: [])) }

    /// `range.exists(v, pred)` expanded the way the parser's macro does it.
    mutating func exists(_ range: Expr, _ v: String, _ pred: (inout ExprBuilder) -> Expr) -> Expr {
        let accu = "@result"
        let initial = bool(false)
        let a1 = ident(accu)
        let notAccu = call("!_", a1)
        let cond = call("@not_strictly_false", notAccu)
        let p = pred(&self)
        let step = call("_||_", ident(accu), p)
        let result = ident(accu)
        return Expr(id: id(), .comprehension(Expr.Comprehension(
            iterVar: v, iterRange: range, accuVar: accu, accuInit: initial, loopCondition: cond, loopStep: step,
            result: result)))
    }

    /// `range.map(v, f)` expanded as the parser does.
    mutating func map(_ range: Expr, _ v: String, _ fn: (inout ExprBuilder) -> Expr) -> Expr {
        let accu = "@result"
        let initial = list()
        let cond = bool(true)
        let f = fn(&self)
        let step = call("_+_", ident(accu), list(f))
        let result = ident(accu)
        return Expr(id: id(), .comprehension(Expr.Comprehension(
            iterVar: v, iterRange: range, accuVar: accu, accuInit: initial, loopCondition: cond, loopStep: step,
            result: result)))
    }
}
