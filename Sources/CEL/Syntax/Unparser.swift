/// Turns an `Expr` back into CEL source, like cel-go's `parser.Unparse`: macro expansions are
/// shown as the calls they came from (when `SourceInfo.macroCalls` has them), parentheses appear
/// only where precedence needs them, strings are double-quoted and bytes are octal escapes.
public struct Unparser {
    /// An expression the unparser cannot express as source (a comprehension with no recorded
    /// macro call, or a malformed operator call).
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    private let sourceInfo: SourceInfo?
    private var out = ""

    private init(sourceInfo: SourceInfo?) {
        self.sourceInfo = sourceInfo
    }

    /// CEL source for `expr`; pass the parse's `sourceInfo` to restore macro calls.
    public static func unparse(_ expr: Expr, sourceInfo: SourceInfo? = nil) throws -> String {
        var unparser = Unparser(sourceInfo: sourceInfo)
        try unparser.visit(expr)
        return unparser.out
    }

    // MARK: operators

    /// cel-go's operator precedence: lower binds tighter; 0 for ordinary functions.
    static func precedence(_ function: String) -> Int {
        switch function {
        case "_?_:_": return 8
        case "_||_": return 7
        case "_&&_": return 6
        case "_==_", "_!=_", "_<_", "_<=_", "_>_", "_>=_", "@in": return 5
        case "_+_", "_-_": return 4
        case "_*_", "_/_", "_%_": return 3
        case "!_", "-_": return 2
        case "_[_]", "_[?_]", "_?._": return 1
        default: return 0
        }
    }

    static func binarySymbol(_ function: String) -> String? {
        switch function {
        case "_||_": return "||"
        case "_&&_": return "&&"
        case "_==_": return "=="
        case "_!=_": return "!="
        case "_<_": return "<"
        case "_<=_": return "<="
        case "_>_": return ">"
        case "_>=_": return ">="
        case "@in": return "in"
        case "_+_": return "+"
        case "_-_": return "-"
        case "_*_": return "*"
        case "_/_": return "/"
        case "_%_": return "%"
        default: return nil
        }
    }

    private static func callInfo(_ expr: Expr) -> (function: String, argCount: Int)? {
        if case let .call(_, function, args) = expr.kind { return (function, args.count) }
        return nil
    }

    /// A call with two or more arguments (a binary operator, the conditional, an index ...).
    private static func isComplex(_ expr: Expr) -> Bool {
        guard let info = callInfo(expr) else { return false }
        return info.argCount >= 2
    }

    /// Whether `expr` binds more loosely than `function`, so it needs parentheses as its operand.
    private static func isLooser(than function: String, _ expr: Expr) -> Bool {
        guard let info = callInfo(expr), info.argCount >= 2 else { return false }
        return precedence(function) < precedence(info.function)
    }

    private static func isSamePrecedence(_ function: String, _ expr: Expr) -> Bool {
        guard let info = callInfo(expr) else { return false }
        return precedence(function) == precedence(info.function)
    }

    /// An operand that would fuse with a preceding `-` or `!` when re-read: `-(1)` is not the
    /// literal `-1`, and `!(!a)` / `-(-a)` would otherwise cancel.
    private static func wouldMerge(_ function: String, _ operand: Expr) -> Bool {
        switch operand.kind {
        case .constant(.int), .constant(.double):
            return function == "-_"
        case .call(nil, let inner, let args) where args.count == 1:
            return inner == function
        default:
            return false
        }
    }

    private static func isBinaryOrTernary(_ expr: Expr) -> Bool {
        guard let info = callInfo(expr), info.argCount >= 2 else { return false }
        return binarySymbol(info.function) != nil || info.function == "_?_:_"
    }

    // MARK: visiting

    private mutating func visit(_ expr: Expr) throws {
        if let call = sourceInfo?.macroCalls[expr.id] {
            try visit(call)
            return
        }
        switch expr.kind {
        case .constant(let constant):
            out += Self.literal(constant)
        case .ident(let name):
            out += name
        case let .select(operand, field, testOnly):
            try visitSelect(operand, op: ".", field: field, testOnly: testOnly)
        case let .call(target, function, args):
            try visitCall(target: target, function: function, args: args)
        case let .list(elements, optionalIndices):
            out += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { out += ", " }
                if optionalIndices.contains(index) { out += "?" }
                try visit(element)
            }
            out += "]"
        case .map(let entries):
            out += "{"
            for (index, entry) in entries.enumerated() {
                if index > 0 { out += ", " }
                if entry.optional { out += "?" }
                try visit(entry.key)
                out += ": "
                try visit(entry.value)
            }
            out += "}"
        case let .structure(typeName, fields):
            out += typeName + "{"
            for (index, field) in fields.enumerated() {
                if index > 0 { out += ", " }
                if field.optional { out += "?" }
                out += Self.quotedField(field.field) + ": "
                try visit(field.value)
            }
            out += "}"
        case .comprehension:
            throw Failure(message: "unsupported expression: comprehension \(expr.id) has no recorded macro call")
        }
    }

    private mutating func visitNested(_ expr: Expr, _ nested: Bool) throws {
        if nested { out += "(" }
        try visit(expr)
        if nested { out += ")" }
    }

    private mutating func visitSelect(_ operand: Expr, op: String, field: String, testOnly: Bool) throws {
        if testOnly { out += "has(" }
        try visitNested(operand, !testOnly && Self.isBinaryOrTernary(operand))
        out += op + Self.quotedField(field)
        if testOnly { out += ")" }
    }

    private mutating func visitCall(target: Expr?, function: String, args: [Expr]) throws {
        if target == nil {
            switch (function, args.count) {
            case ("_?_:_", 3):
                for (index, arg) in args.enumerated() {
                    if index == 1 { out += " ? " }
                    if index == 2 { out += " : " }
                    try visitNested(arg, Self.isSamePrecedence(function, arg) || Self.isComplex(arg))
                }
                return
            case ("_?._", 2):
                guard case .constant(.string(let field)) = args[1].kind else {
                    throw Failure(message: "unsupported expression: optional select without a field name")
                }
                try visitSelect(args[0], op: ".?", field: field, testOnly: false)
                return
            case ("_[_]", 2), ("_[?_]", 2):
                try visitNested(args[0], Self.isBinaryOrTernary(args[0]))
                out += function == "_[_]" ? "[" : "[?"
                try visit(args[1])
                out += "]"
                return
            case ("!_", 1), ("-_", 1):
                out += function == "!_" ? "!" : "-"
                try visitNested(args[0], Self.isComplex(args[0]) || Self.wouldMerge(function, args[0]))
                return
            default:
                if let symbol = Self.binarySymbol(function), args.count == 2 {
                    try visitBinary(function, symbol, args[0], args[1])
                    return
                }
            }
        }
        if let target {
            try visitNested(target, Self.isBinaryOrTernary(target))
            out += "."
        }
        out += function + "("
        for (index, arg) in args.enumerated() {
            if index > 0 { out += ", " }
            try visit(arg)
        }
        out += ")"
    }

    private mutating func visitBinary(_ function: String, _ symbol: String, _ lhs: Expr, _ rhs: Expr) throws {
        let leftRecursive = function != "_&&_" && function != "_||_"
        var rhsNested = Self.isLooser(than: function, rhs)
        if !rhsNested && leftRecursive {
            rhsNested = Self.isSamePrecedence(function, rhs)
        }
        try visitNested(lhs, Self.isLooser(than: function, lhs))
        out += " \(symbol) "
        try visitNested(rhs, rhsNested)
    }
}
