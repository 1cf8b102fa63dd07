/// A compile-time check over a type-checked expression, like cel-go's `ASTValidator`: it reports
/// issues (with positions) for mistakes that would otherwise surface only at evaluation.
public protocol ASTValidator: Sendable {
    /// A unique name (`cel.validator.duration` ...).
    var name: String { get }
    /// The issues found in `ast`; positions come from its source info.
    func validate(_ ast: CheckedAST) -> [CELIssue]
}

/// A library that contributes validators which `Environment.compile` runs after a successful check.
public protocol ValidatingLibrary: Library {
    /// The validators, run in order.
    var validators: [any ASTValidator] { get }
}
