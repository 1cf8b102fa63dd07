/// The `cel.block` macros that cel-go defines only inside its conformance runner (the output
/// format of its common-subexpression optimiser). Offered so that `block_ext` tests parse; no
/// production environment needs them.
extension Macro {
    /// `cel.block([...], e)` → `cel.@block([...], e)`, `cel.index(i)` → `@index<i>`,
    /// `cel.iterVar(d, u)` → `@it:<d>:<u>`, `cel.accuVar(d, u)` → `@ac:<d>:<u>`.
    public static let block: [Macro] = [
        .receiver("block", argCount: 2) { f, target, args in
            guard isNamespace(target, "cel") else { return nil }
            guard case .list = args[0].kind else {
                throw f.error("cel.block requires the first arg to be a list literal", at: args[0].id)
            }
            return f.newCall("cel.@block", args: args)
        },
        .receiver("index", argCount: 1) { f, target, args in
            guard isNamespace(target, "cel") else { return nil }
            guard case .constant(.int(let index)) = args[0].kind, index >= 0 else {
                throw f.error("cel.index requires a single non-negative int constant arg", at: args[0].id)
            }
            return f.newIdent("@index\(index)")
        },
        .receiver("iterVar", argCount: 2) { f, t, a in try expandComprehensionVariable("cel.iterVar", "@it", f, t, a) },
        .receiver("accuVar", argCount: 2) { f, t, a in try expandComprehensionVariable("cel.accuVar", "@ac", f, t, a) },
    ]

    private static func expandComprehensionVariable(_ function: String, _ prefix: String, _ f: MacroExprFactory,
                                                    _ target: Expr?, _ args: [Expr]) throws -> Expr? {
        guard isNamespace(target, "cel") else { return nil }
        var parts: [Int64] = []
        for arg in args {
            guard case .constant(.int(let value)) = arg.kind, value >= 0 else {
                throw f.error("\(function) requires two non-negative int constant args", at: arg.id)
            }
            parts.append(value)
        }
        return f.newIdent("\(prefix):\(parts[0]):\(parts[1])")
    }
}
