/// Hands out nodes to macro expanders: every node made here gets a fresh id positioned at the
/// macro call, so diagnostics about expanded code point at the call.
public final class MacroExprFactory {
    private let parser: ExprParser
    private let callOffset: Int

    init(parser: ExprParser, callOffset: Int) {
        self.parser = parser
        self.callOffset = callOffset
    }

    /// The accumulator variable of the standard comprehensions, as cel-go names it.
    public static let accumulatorName = "@result"

    /// A fresh node id located at the macro call.
    public func nextID() -> Int64 {
        parser.newID(at: callOffset)
    }

    /// A new node of the given kind.
    public func make(_ kind: Expr.Kind) -> Expr {
        Expr(id: nextID(), kind)
    }

    public func newIdent(_ name: String) -> Expr { make(.ident(name)) }

    /// `@result`, the comprehension accumulator.
    public func newAccuIdent() -> Expr { newIdent(Self.accumulatorName) }

    public func newLiteral(_ constant: Expr.Constant) -> Expr { make(.constant(constant)) }

    public func newList(_ elements: [Expr] = [], optionalIndices: [Int] = []) -> Expr {
        make(.list(elements: elements, optionalIndices: optionalIndices))
    }

    /// An empty map literal, or one with the given entries.
    public func newMap(_ entries: [Expr.MapEntry] = []) -> Expr { make(.map(entries: entries)) }

    public func newMapEntry(key: Expr, value: Expr, optional: Bool = false) -> Expr.MapEntry {
        Expr.MapEntry(id: nextID(), key: key, value: value, optional: optional)
    }

    /// A message construction `typeName{fields}`.
    public func newStructure(_ typeName: String, fields: [Expr.FieldEntry] = []) -> Expr {
        make(.structure(typeName: typeName, fields: fields))
    }

    public func newField(_ field: String, value: Expr, optional: Bool = false) -> Expr.FieldEntry {
        Expr.FieldEntry(id: nextID(), field: field, value: value, optional: optional)
    }

    /// A global call such as `_&&_(a, b)`.
    public func newCall(_ function: String, _ args: Expr...) -> Expr {
        make(.call(target: nil, function: function, args: args))
    }

    /// A global call with an argument array.
    public func newCall(_ function: String, args: [Expr]) -> Expr {
        make(.call(target: nil, function: function, args: args))
    }

    /// A member call `target.function(args)`.
    public func newMemberCall(_ function: String, target: Expr, _ args: Expr...) -> Expr {
        make(.call(target: target, function: function, args: args))
    }

    public func newSelect(_ operand: Expr, field: String) -> Expr {
        make(.select(operand: operand, field: field, testOnly: false))
    }

    /// The presence test that `has(a.f)` becomes.
    public func newPresenceTest(_ operand: Expr, field: String) -> Expr {
        make(.select(operand: operand, field: field, testOnly: true))
    }

    /// A comprehension; `iterVar2` is non-empty for the two-variable forms.
    public func newComprehension(iterRange: Expr, iterVar: String, iterVar2: String = "", accuVar: String,
                                 accuInit: Expr, loopCondition: Expr, loopStep: Expr, result: Expr) -> Expr {
        make(.comprehension(Expr.Comprehension(
            iterVar: iterVar, iterVar2: iterVar2, iterRange: iterRange, accuVar: accuVar, accuInit: accuInit,
            loopCondition: loopCondition, loopStep: loopStep, result: result)))
    }

    /// A deep copy of `expr` with fresh ids (an expression may appear only once in a tree).
    public func copy(_ expr: Expr) -> Expr {
        let id = nextID()
        switch expr.kind {
        case .constant, .ident:
            return Expr(id: id, expr.kind)
        case let .select(operand, field, testOnly):
            return Expr(id: id, .select(operand: copy(operand), field: field, testOnly: testOnly))
        case let .call(target, function, args):
            return Expr(id: id, .call(target: target.map(copy), function: function, args: args.map(copy)))
        case let .list(elements, optionalIndices):
            return Expr(id: id, .list(elements: elements.map(copy), optionalIndices: optionalIndices))
        case let .map(entries):
            return Expr(id: id, .map(entries: entries.map {
                Expr.MapEntry(id: nextID(), key: copy($0.key), value: copy($0.value), optional: $0.optional)
            }))
        case let .structure(typeName, fields):
            return Expr(id: id, .structure(typeName: typeName, fields: fields.map {
                Expr.FieldEntry(id: nextID(), field: $0.field, value: copy($0.value), optional: $0.optional)
            }))
        case let .comprehension(c):
            return Expr(id: id, .comprehension(Expr.Comprehension(
                iterVar: c.iterVar, iterVar2: c.iterVar2, iterRange: copy(c.iterRange), accuVar: c.accuVar,
                accuInit: copy(c.accuInit), loopCondition: copy(c.loopCondition), loopStep: copy(c.loopStep),
                result: copy(c.result))))
        }
    }

    /// An error to throw from an expander, located at node `exprID`.
    public func error(_ message: String, at exprID: Int64) -> MacroError {
        MacroError(message: message, exprID: exprID)
    }

    /// The name of a plain identifier, or nil for anything else.
    public func identName(_ expr: Expr) -> String? {
        if case .ident(let name) = expr.kind { return name }
        return nil
    }
}
