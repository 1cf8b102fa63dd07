/// The outcome of `Environment.compile`: a program, or the issues that prevented one.
public struct CompileResult: Sendable {
    /// The planned program; nil when there are issues.
    public var program: Program?
    /// The parsed expression, when parsing got that far.
    public var expr: Expr?
    /// Positions for rendering issues.
    public var sourceInfo: SourceInfo
    /// Syntax (and, with the checker, type) errors.
    public var issues: [CELIssue]
    /// The checker's output, when the environment checks.
    public var checked: CheckedAST?

    public init(program: Program?, expr: Expr?, sourceInfo: SourceInfo, issues: [CELIssue]) {
        self.program = program; self.expr = expr; self.sourceInfo = sourceInfo; self.issues = issues
    }

    /// Issues rendered as cel-go prints them.
    public func renderedIssues(source: String) -> String {
        CELIssue.render(issues, source: source, description: sourceInfo.description)
    }
}
