/// The CEL type checker: resolves names against `Declarations` in a container, deduces a type
/// for every node, picks candidate overloads for every call, and reports cel-go-worded
/// diagnostics (`undeclared reference to 'x' (in container '')`,
/// `found no matching overload for '_+_' applied to '(int, string)'`).
public struct Checker: Sendable {
    /// The variables, functions and message types names resolve to.
    public var declarations: Declarations
    /// The namespace that unqualified names are resolved in (cel-go's container), e.g. `com.example`.
    public var container: String

    /// Run in order on expressions that type-check; any finding makes the check fail.

    /// A checker over `declarations` (the standard library by default) in `container`.
    public init(declarations: Declarations = .standard(), container: String = "") {
        self.declarations = declarations
        self.container = container
    }

    /// Checks `expr`; the AST is nil when there is any issue.
    public func check(_ expr: Expr, sourceInfo: SourceInfo) -> (CheckedAST?, [CELIssue]) {
        var run = CheckerRun(declarations: declarations, container: container, sourceInfo: sourceInfo)
        let rewritten = run.check(expr)
        let issues = run.issues.enumerated().sorted { a, b in
            a.element.offset != b.element.offset ? a.element.offset < b.element.offset : a.offset < b.offset
        }.map(\.element)
        guard issues.isEmpty else { return (nil, issues) }
        var typeMap: [Int64: CheckedType] = [:]
        typeMap.reserveCapacity(run.types.count)
        for (id, t) in run.types { typeMap[id] = run.mapping.substitute(t, typeParamToDyn: true) }
        let ast = CheckedAST(expr: rewritten, sourceInfo: sourceInfo, typeMap: typeMap, referenceMap: run.references)
        return (ast, [])
    }

    /// Checks `expr` against `declarations` in `container` (see `Checker.check(_:sourceInfo:)`).
    public static func check(_ expr: Expr, sourceInfo: SourceInfo, declarations: Declarations,
                             container: String = "") -> (CheckedAST?, [CELIssue]) {
        Checker(declarations: declarations, container: container)
            .check(expr, sourceInfo: sourceInfo)
    }
}

/// The mutable state of one checker pass over one expression.
struct CheckerRun {
    let declarations: Declarations
    let container: String
    let sourceInfo: SourceInfo
    var mapping = TypeMapping()
    var types: [Int64: CheckedType] = [:]
    var references: [Int64: Reference] = [:]
    var issues: [CELIssue] = []
    /// Comprehension variables, innermost scope last.
    var scopes: [[String: CheckedType]] = []
    private var freeTypeVarCounter = 0

    init(declarations: Declarations, container: String, sourceInfo: SourceInfo) {
        self.declarations = declarations
        self.container = container
        self.sourceInfo = sourceInfo
    }

    // MARK: - Bookkeeping

    mutating func setType(_ id: Int64, _ t: CheckedType) { types[id] = t }

    func type(of e: Expr) -> CheckedType { types[e.id] ?? .error }

    mutating func newTypeVar() -> CheckedType {
        defer { freeTypeVarCounter += 1 }
        return .typeParam("_var\(freeTypeVarCounter)")
    }

    mutating func isAssignable(_ to: CheckedType, from: CheckedType) -> Bool {
        mapping.isAssignable(to, from: from)
    }

    func substituted(_ t: CheckedType) -> CheckedType { mapping.substitute(t, typeParamToDyn: false) }

    mutating func report(_ id: Int64, _ message: String) {
        let offset = sourceInfo.positions[id] ?? -1
        issues.append(CELIssue(message: message, offset: offset, sourceInfo: sourceInfo))
    }

    mutating func reportUndeclared(_ id: Int64, _ name: String) {
        report(id, "undeclared reference to '\(name)' (in container '\(container)')")
    }

    mutating func reportTypeMismatch(_ id: Int64, expected: CheckedType, found: CheckedType) {
        report(id, "expected type '\(substituted(expected))' but found '\(substituted(found))'")
    }

    func lookupLocal(_ name: String) -> CheckedType? {
        for scope in scopes.reversed() {
            if let t = scope[name] { return t }
        }
        return nil
    }

    // MARK: - Walk

    /// Checks `e`, records its type, and returns it rewritten with resolved names.
    mutating func check(_ e: Expr) -> Expr {
        switch e.kind {
        case let .constant(c):
            setType(e.id, Self.constantType(c))
            return e
        case let .ident(name):
            return checkIdent(e, name)
        case let .select(operand, field, testOnly):
            return checkSelect(e, operand: operand, field: field, testOnly: testOnly)
        case let .call(target, function, args):
            return checkCall(e, target: target, function: function, args: args)
        case let .list(elements, optionalIndices):
            return checkList(e, elements: elements, optionalIndices: optionalIndices)
        case let .map(entries):
            return checkMap(e, entries: entries)
        case let .structure(typeName, fields):
            return checkStruct(e, typeName: typeName, fields: fields)
        case let .comprehension(comp):
            return checkComprehension(e, comp)
        }
    }

    static func constantType(_ c: Expr.Constant) -> CheckedType {
        switch c {
        case .null: return .null
        case .bool: return .bool
        case .int: return .int
        case .uint: return .uint
        case .double: return .double
        case .string: return .string
        case .bytes: return .bytes
        }
    }

    private mutating func checkIdent(_ e: Expr, _ name: String) -> Expr {
        // Comprehension variables shadow every global, whatever the container.
        if !name.hasPrefix("."), let local = lookupLocal(name) {
            setType(e.id, local)
            return e
        }
        if let decl = declarations.resolveIdentifier(name, container: container) {
            setType(e.id, decl.type)
            references[e.id] = .identifier(decl.name)
            return Expr(id: e.id, .ident(decl.name))
        }
        setType(e.id, .error)
        reportUndeclared(e.id, name)
        return e
    }

    /// `a.b.c` as a dotted name, when `e` is a chain of non-test selects over an identifier.
    static func qualifiedName(_ e: Expr) -> String? {
        switch e.kind {
        case let .ident(name): return name
        case let .select(operand, field, testOnly):
            guard !testOnly, let prefix = qualifiedName(operand) else { return nil }
            return prefix + "." + field
        default: return nil
        }
    }

    /// Whether the first segment of a dotted name is a comprehension variable (which then shadows
    /// every global name starting the same way; a leading dot opts out).
    func isLocalRoot(_ qname: String) -> Bool {
        guard !qname.hasPrefix(".") else { return false }
        let root = qname.split(separator: ".", maxSplits: 1).first.map(String.init) ?? qname
        return lookupLocal(root) != nil
    }

    /// Resolves a dotted name to a global declaration, unless its first segment is a local variable.
    func resolveQualified(_ qname: String) -> VariableDecl? {
        isLocalRoot(qname) ? nil : declarations.resolveIdentifier(qname, container: container)
    }

    private mutating func checkSelect(_ e: Expr, operand: Expr, field: String, testOnly: Bool) -> Expr {
        if !testOnly, let qname = Self.qualifiedName(e), let decl = resolveQualified(qname) {
            setType(e.id, decl.type)
            references[e.id] = .identifier(decl.name)
            return Expr(id: e.id, .ident(decl.name))
        }
        let (newOperand, resultType) = checkSelectField(e.id, operand: operand, field: field, optional: false)
        setType(e.id, testOnly ? .bool : substituted(resultType))
        return Expr(id: e.id, .select(operand: newOperand, field: field, testOnly: testOnly))
    }

    /// The type of `operand.field` (wrapped in `optional_type` for `.?` or an optional operand).
    mutating func checkSelectField(_ id: Int64, operand: Expr, field: String, optional: Bool) -> (Expr, CheckedType) {
        let newOperand = check(operand)
        let operandType = substituted(type(of: newOperand))
        let target = operandType.optionalElement ?? operandType
        let isOptional = operandType.optionalElement != nil
        var result: CheckedType
        switch target {
        case let .map(_, value):
            result = value
        case let .message(name):
            result = lookupFieldType(id, messageName: name, field: field) ?? .error
        case .typeParam:
            // Pin the variable to dyn so that it cannot later unify with an incompatible type.
            _ = isAssignable(.dyn, from: target)
            result = .dyn
        default:
            if !target.isDynOrError {
                report(id, "type '\(target)' does not support field selection")
            }
            result = .dyn
        }
        if isOptional || optional { result = .optional(result) }
        return (newOperand, result)
    }

    mutating func lookupFieldType(_ id: Int64, messageName: String, field: String) -> CheckedType? {
        guard let message = declarations.messageTypes[messageName] else {
            if CheckedType.wellKnown(messageName) != nil { return .dyn }
            report(id, "unexpected failed resolution of '\(messageName)'")
            return nil
        }
        if let t = message.fields[field] { return t }
        if message.acceptsAnyField { return .dyn }
        report(id, "undefined field '\(field)'")
        return nil
    }
}
