import Testing
@testable import CEL

/// Compiles and evaluates CEL with every extension library, recording a test issue when the
/// source does not compile.
enum ExtensionEval {
    static let environment = Environment(libraries: CELExtensions.all)
    /// Without the checker (and so without validators), to reach runtime errors.
    static let uncheckedEnvironment = Environment(libraries: CELExtensions.all, checking: false)

    static func eval(_ source: String, _ bindings: [String: Value] = [:], checked: Bool = true,
                     sourceLocation: SourceLocation = #_sourceLocation) -> Value {
        let base = checked ? environment : uncheckedEnvironment
        let env = bindings.isEmpty ? base : base.declaring(bindings.keys.map { VariableDecl($0, .dyn) })
        let compiled = env.compile(source)
        guard let program = compiled.program else {
            Issue.record("`\(source)` did not compile: \(compiled.renderedIssues(source: source))",
                         sourceLocation: sourceLocation)
            return .err("compile failed")
        }
        return program.evaluate(env.makeActivation(bindings))
    }

    /// The error message of an evaluation that must fail, nil (and a recorded issue) otherwise.
    static func errorMessage(_ source: String, checked: Bool = true,
                             sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        if case let .error(e) = eval(source, checked: checked, sourceLocation: sourceLocation) { return e.message }
        Issue.record("`\(source)` did not fail", sourceLocation: sourceLocation)
        return nil
    }
}
