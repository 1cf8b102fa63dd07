/// A check run on an expression that type-checked (cel-go's `ASTValidator`): it rejects
/// expressions that are well typed but certain to fail, such as `duration('1x')` or an invalid
/// regular expression literal.
public struct ASTValidator: Sendable {
    /// One problem a validator found, at a node.
    public struct Finding: Sendable, Hashable {
        /// The node the problem is at.
        public var exprID: Int64
        /// What is wrong, worded like cel-go.
        public var message: String
        /// A finding at `exprID`.
        public init(exprID: Int64, message: String) { self.exprID = exprID; self.message = message }
    }

    /// A unique name (cel-go's `cel.lib.std.validate.functions.duration` ...).
    public var name: String
    private let run: @Sendable (CheckedAST) -> [Finding]

    /// A validator from a function over the checked AST.
    public init(name: String, _ run: @escaping @Sendable (CheckedAST) -> [Finding]) {
        self.name = name
        self.run = run
    }

    /// Runs the validator.
    public func validate(_ ast: CheckedAST) -> [Finding] { run(ast) }

    /// cel-go's format validator: for every call of `function` whose argument `argIndex` (the
    /// receiver of a member call not counted) is a literal, `isValid` decides; a rejected literal
    /// is reported as `invalid <function> argument` at the literal.
    public static func literalArgument(function: String, argIndex: Int = 0,
                                       isValid: @escaping @Sendable (Expr.Constant) -> Bool) -> ASTValidator
    {
        ASTValidator(name: "cel.lib.std.validate.functions.\(function)") { ast in
            var findings: [Finding] = []
            ast.expr.forEachNode { node in
                guard case let .call(_, name, args) = node.kind, name == function, argIndex < args.count,
                      case let .constant(literal) = args[argIndex].kind, !isValid(literal) else { return }
                findings.append(Finding(exprID: args[argIndex].id, message: "invalid \(function) argument"))
            }
            return findings
        }
    }
}

extension Expr {
    /// Visits this node and all its descendants, parents before children.
    func forEachNode(_ body: (Expr) -> Void) {
        body(self)
        switch kind {
        case .constant, .ident:
            break
        case let .select(operand, _, _):
            operand.forEachNode(body)
        case let .call(target, _, args):
            target?.forEachNode(body)
            for a in args { a.forEachNode(body) }
        case let .list(elements, _):
            for e in elements { e.forEachNode(body) }
        case let .map(entries):
            for e in entries {
                e.key.forEachNode(body)
                e.value.forEachNode(body)
            }
        case let .structure(_, fields):
            for f in fields { f.value.forEachNode(body) }
        case let .comprehension(c):
            for e in [c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result] { e.forEachNode(body) }
        }
    }
}
