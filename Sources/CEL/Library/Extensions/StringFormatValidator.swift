/// cel-go's `string.format` validator (on by default in `ext.Strings`): a constant format string
/// applied to a list literal is parsed at compile time, each clause is checked against the
/// checked type of its argument, and unused arguments are reported.
public struct StringFormatValidator: ASTValidator {
    /// The validator; it has no options.
    public init() {}
    /// The validator name.
    public var name: String { "cel.validator.string_format" }

    /// Issues for malformed format strings, mistyped arguments and surplus arguments.
    public func validate(_ ast: CheckedAST) -> [CELIssue] {
        var issues: [CELIssue] = []
        func report(_ message: String, at id: Int64) {
            issues.append(CELIssue(message: message, offset: ast.sourceInfo.positions[id] ?? -1, sourceInfo: ast.sourceInfo))
        }
        LiteralValidator.visitCalls(ast.expr) { id, function, target, args in
            guard function == "format", let target, case let .constant(.string(template)) = target.kind, args.count == 1,
                  case let .list(elements, _) = args[0].kind else { return }
            var requested = 0
            var errorID = id
            let failure = StringFormatter.scan(template, literal: { _ in }, argument: { index in
                requested += 1
                return index < elements.count ? nil : EvalError("index \(index) out of range")
            }, clause: { clause, index in
                guard let (badID, type) = mismatch(clause.verb, elements[index], ast.typeMap) else { return nil }
                errorID = badID
                return EvalError("error during formatting: " + StringFormatter.typeError(verb: clause.verb, typeName: typeName(type)))
            })
            if let failure {
                report(failure.message, at: errorID)
            } else if elements.count > requested {
                report("too many arguments supplied to string.format (expected \(requested), got \(elements.count))", at: id)
            }
        }
        return issues
    }

    /// The node and type that a clause cannot format, nil when the argument is acceptable.
    private func mismatch(_ verb: UInt8, _ arg: Expr, _ types: [Int64: CheckedType]) -> (Int64, CheckedType)? {
        let type = types[arg.id] ?? .dyn
        if case .dyn = type { return nil }
        let kind = Self.kind(type)
        switch verb {
        case UInt8(ascii: "s"):
            let allowed: Set<String> = ["list", "map", "int", "uint", "double", "bool", "string", "timestamp", "bytes",
                                        "duration", "type", "null"]
            guard allowed.contains(kind) else { return (arg.id, type) }
            switch arg.kind {
            case let .list(elements, _):
                for e in elements { if let bad = mismatch(verb, e, types) { return bad } }
            case let .map(entries):
                for e in entries {
                    if let bad = mismatch(verb, e.key, types) { return bad }
                    if let bad = mismatch(verb, e.value, types) { return bad }
                }
            default: break
            }
            return nil
        case UInt8(ascii: "d"), UInt8(ascii: "f"), UInt8(ascii: "e"):
            return ["int", "uint", "double"].contains(kind) ? nil : (arg.id, type)
        case UInt8(ascii: "b"):
            return ["bool", "int", "uint"].contains(kind) ? nil : (arg.id, type)
        case UInt8(ascii: "x"), UInt8(ascii: "X"):
            return ["int", "uint", "string", "bytes"].contains(kind) ? nil : (arg.id, type)
        default:
            return ["int", "uint"].contains(kind) ? nil : (arg.id, type)
        }
    }

    /// The kind cel-go compares (parameters ignored; wrappers count as their primitive).
    private static func kind(_ t: CheckedType) -> String {
        switch t {
        case .null: return "null"
        case .bool: return "bool"
        case .int: return "int"
        case .uint: return "uint"
        case .double: return "double"
        case .string: return "string"
        case .bytes: return "bytes"
        case .timestamp: return "timestamp"
        case .duration: return "duration"
        case .list: return "list"
        case .map: return "map"
        case .type: return "type"
        case let .wrapper(p): return kind(p)
        default: return "other"
        }
    }

    /// A type's name as cel-go's `TypeName()` prints it in these messages: the runtime name,
    /// except that a wrapper is named by its primitive and the types without one are `dyn`.
    private func typeName(_ t: CheckedType) -> String {
        switch t {
        case let .wrapper(p): return typeName(p)
        case .dyn, .any, .error, .typeParam: return "dyn"
        default: return t.runtimeTypeName
        }
    }
}
