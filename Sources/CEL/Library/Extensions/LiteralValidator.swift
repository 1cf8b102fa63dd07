/// cel-go's `ValidateDurationLiterals`, `ValidateTimestampLiterals` and `ValidateRegexLiterals`
/// (and the network library's `ip`/`cidr` validators): a constant argument of `duration(...)`,
/// `timestamp(...)`, `ip(...)`, `cidr(...)`, `matches` or a `regex.*` pattern that cannot be
/// converted or compiled is a compile error at that argument.
///
/// One validator may check several kinds in a single walk of the tree: walking once per kind
/// was a tenth of a 10,000-policy compile, since every node visit copies its payload out of the
/// indirect enum.
public struct LiteralValidator: ASTValidator {
    /// What a literal argument must be.
    public enum Kind: Sendable {
        case duration, timestamp, regex, ip, cidr

        /// cel-go's validator name.
        var validatorName: String {
            switch self {
            case .duration: return "cel.lib.std.validate.functions.duration"
            case .timestamp: return "cel.lib.std.validate.functions.timestamp"
            case .regex: return "cel.lib.std.validate.functions.matches"
            case .ip: return "cel.validator.network.ip"
            case .cidr: return "cel.validator.network.cidr"
            }
        }
    }
    /// What this validator checks; issues are reported kind by kind in this order, as separate
    /// validators would report them.
    public let kinds: [Kind]
    /// A validator of `kind` literals.
    public init(_ kind: Kind) { self.kinds = [kind] }
    /// A validator of each of `kinds`, in one walk.
    public init(_ kinds: [Kind]) { self.kinds = kinds }

    /// The validator names, comma-separated when there are several kinds.
    public var name: String { kinds.map(\.validatorName).joined(separator: ",") }

    /// Issues for invalid literal arguments, at the argument.
    public func validate(_ ast: CheckedAST) -> [CELIssue] {
        let sourceInfo = ast.sourceInfo
        var issues = [[CELIssue]](repeating: [], count: kinds.count)
        LiteralValidator.visitCalls(ast.expr) { id, function, target, args in
            for (index, kind) in kinds.enumerated() {
                guard let (arg, display) = LiteralValidator.literalArgument(kind, function, target, args),
                      case let .constant(.string(text)) = arg.kind,
                      let problem = LiteralValidator.check(kind, text) else { continue }
                let offset = sourceInfo.positions[arg.id] ?? sourceInfo.positions[id] ?? -1
                issues[index].append(CELIssue(message: "invalid \(display) argument: \(problem)", offset: offset,
                                              sourceInfo: sourceInfo))
            }
        }
        return issues.flatMap { $0 }
    }

    /// The argument a `kind` validator checks in a call, and the function name to report.
    private static func literalArgument(_ kind: Kind, _ function: String, _ target: Expr?, _ args: [Expr]) -> (Expr, String)? {
        switch kind {
        case .duration:
            return target == nil && function == "duration" && args.count == 1 ? (args[0], "duration") : nil
        case .timestamp:
            return target == nil && function == "timestamp" && args.count == 1 ? (args[0], "timestamp") : nil
        case .ip:
            return target == nil && function == "ip" && args.count == 1 ? (args[0], "ip") : nil
        case .cidr:
            return target == nil && function == "cidr" && args.count == 1 ? (args[0], "cidr") : nil
        case .regex:
            if function == "matches" {
                if target != nil, args.count == 1 { return (args[0], "matches") }
                if target == nil, args.count == 2 { return (args[1], "matches") }
                return nil
            }
            let namespaced = target.flatMap { t -> String? in
                if case let .ident(n) = t.kind { return n + "." + function }
                return nil
            } ?? function
            switch namespaced {
            case "regex.replace", "regex.extract", "regex.extractAll":
                return args.count >= 2 ? (args[1], namespaced) : nil
            default: return nil
            }
        }
    }

    private static func check(_ kind: Kind, _ text: String) -> String? {
        switch kind {
        case .duration:
            return CELDuration(goSyntax: text) == nil ? "invalid duration: \(text)" : nil
        case .timestamp:
            guard let t = Timestamp(rfc3339: text) else { return "timestamp parse error: \(text)" }
            return t.isInRange ? nil : "timestamp out of range"
        case .ip:
            if case let .failure(e) = NetworkLibrary.parseIP(text) { return e.message }
            return nil
        case .cidr:
            if case let .failure(e) = NetworkLibrary.parseCIDR(text) { return e.message }
            return nil
        case .regex:
            do { _ = try RE2Regex(text); return nil } catch let e as EvalError { return e.message } catch {
                return "invalid regular expression"
            }
        }
    }

    /// Calls `body` for every call node, depth first.
    static func visitCalls(_ e: Expr, _ body: (Int64, String, Expr?, [Expr]) -> Void) {
        switch e.kind {
        case .constant, .ident: break
        case let .select(operand, _, _): visitCalls(operand, body)
        case let .call(target, function, args):
            body(e.id, function, target, args)
            if let target { visitCalls(target, body) }
            for a in args { visitCalls(a, body) }
        case let .list(elements, _): for x in elements { visitCalls(x, body) }
        case let .map(entries): for x in entries { visitCalls(x.key, body); visitCalls(x.value, body) }
        case let .structure(_, fields): for f in fields { visitCalls(f.value, body) }
        case let .comprehension(c):
            visitCalls(c.iterRange, body)
            visitCalls(c.accuInit, body)
            visitCalls(c.loopCondition, body)
            visitCalls(c.loopStep, body)
            visitCalls(c.result, body)
        }
    }
}
