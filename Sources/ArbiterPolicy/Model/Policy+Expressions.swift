/// Every CEL expression in a policy, for the compile step to check and map errors back to the file.
extension Policy {
    /// What an expression is used for.
    public enum ExpressionRole: Sendable, Hashable {
        /// A variable definition (`variables.local`, top-level `variables`, `exportVariables.definitions`).
        case variable(name: String)
        /// A leaf of a rule's or derived role's `condition.match` tree.
        case condition
        /// `output.when.ruleActivated` or the deprecated `output.expr`.
        case outputRuleActivated
        /// `output.when.conditionNotMet`.
        case outputConditionNotMet
    }

    /// All expressions in source order of their blocks: variables first, then rules and definitions.
    public var expressions: [(role: ExpressionRole, expression: CELExpression)] {
        var result: [(ExpressionRole, CELExpression)] = []
        for v in effectiveLocalVariables { result.append((.variable(name: v.name.value), v.expression)) }
        func add(_ condition: Condition?, _ output: RuleOutput?) {
            for e in condition?.match?.expressions ?? [] { result.append((.condition, e)) }
            if let output {
                if let e = output.ruleActivated { result.append((.outputRuleActivated, e)) }
                if let e = output.expr { result.append((.outputRuleActivated, e)) }
                if let e = output.conditionNotMet { result.append((.outputConditionNotMet, e)) }
            }
        }
        switch kind {
        case let .resource(p): for r in p.rules { add(r.condition, r.output) }
        case let .principal(p): for r in p.rules { for a in r.actions { add(a.condition, a.output) } }
        case let .role(p): for r in p.rules { add(r.condition, r.output) }
        case let .derivedRoles(p): for d in p.definitions { add(d.condition, nil) }
        case let .exportVariables(p): for v in p.definitions { result.append((.variable(name: v.name.value), v.expression)) }
        case .exportConstants: break
        }
        return result
    }
}
