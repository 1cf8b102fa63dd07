import ArbiterYAML

/// A rule's `output` block.
public struct RuleOutput: Sendable {
    /// `when.ruleActivated`.
    public var ruleActivated: CELExpression?
    /// `when.conditionNotMet`.
    public var conditionNotMet: CELExpression?
    /// The deprecated `expr`, which means the same as `ruleActivated` (`when` wins).
    public var expr: CELExpression?
    /// Whether a `when` block was written (even an empty one).
    public var hasWhen: Bool
    /// Where the `output` mapping starts.
    public var mark: YAMLMark
    /// JSON-path-like location of the output.
    public var path: String

    /// Creates an output block.
    public init(ruleActivated: CELExpression?, conditionNotMet: CELExpression?, expr: CELExpression?, hasWhen: Bool, mark: YAMLMark, path: String) {
        self.ruleActivated = ruleActivated
        self.conditionNotMet = conditionNotMet
        self.expr = expr
        self.hasWhen = hasWhen
        self.mark = mark
        self.path = path
    }

    /// The expression evaluated when the rule activates: `when.ruleActivated`, else the deprecated `expr`.
    public var effectiveRuleActivated: CELExpression? { ruleActivated ?? expr }

    /// True when no expression at all was given (Cerbos's "empty output").
    public var isEmpty: Bool { ruleActivated == nil && conditionNotMet == nil && expr == nil }
}
