import ArbiterPolicy
import CEL

extension Engine {
    /// Evaluates one condition expression against a request the way a policy rule would see it
    /// (`request`, `P`, `R`, `G`, `runtime`, a fixed `now`), for `arbiter eval`. Compile errors
    /// come back rendered with the source line and a caret; runtime errors are `.error` values.
    public static func evaluate(expression: String, input: CheckInput, globals: MapValue = MapValue(),
                                now: Timestamp = Engine.currentTime()) -> Result<Value, ExpressionError> {
        let compiler = CELExpressionCompiler()
        let compiled = compiler.environment.compile(expression)
        guard let program = compiled.program, compiled.issues.isEmpty else {
            return .failure(ExpressionError(rendered: compiled.renderedIssues(source: expression)))
        }
        let context = RequestContext(principal: input.principal, resource: input.resource, auxData: input.auxData)
        let views = RequestViews(context: context)
        let bindings = EvaluationBindings(layout: compiler.layout, request: .object(RequestObject(context: context, views: views)),
                                          principal: views.principal, resource: views.resource, globals: .map(globals),
                                          now: now)
        return .success(program.evaluate(bindings.activation))
    }

    /// A compile error of `evaluate(expression:...)`, rendered like cel-go's.
    public struct ExpressionError: Error, Sendable, CustomStringConvertible {
        /// `ERROR: <input>:1:5: ...` lines with the source and a caret.
        public var rendered: String
        public var description: String { rendered }
    }
}
