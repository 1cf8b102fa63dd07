/// What `Parser.parse` produces: the tree (nil when there are issues), where each node came
/// from, and the diagnostics.
public struct ParseResult: Sendable {
    /// The expression, or nil when parsing failed.
    public var expr: Expr?
    /// Node positions, line offsets and macro calls.
    public var sourceInfo: SourceInfo
    /// Syntax errors in the order cel-go reports them; empty on success.
    public var issues: [CELIssue]

    public init(expr: Expr?, sourceInfo: SourceInfo, issues: [CELIssue]) {
        self.expr = expr
        self.sourceInfo = sourceInfo
        self.issues = issues
    }

    /// The issues rendered as cel-go prints them, against `source`.
    public func renderedIssues(source: String) -> String {
        CELIssue.render(issues, source: source, description: sourceInfo.description)
    }
}
