import ArbiterPolicy
import CEL

/// Compiles and runs expressions the way the policy compiler does: Cerbos's identifiers,
/// the standard library plus `CerbosLibrary`, type-checked.
enum CerbosCEL {
    static let compiler = CELExpressionCompiler()
    /// 2021-04-22T10:05:20.021-05:00, the instant Cerbos's `cel_eval` cases pin `now` to.
    static let pinnedNow = Timestamp(seconds: 1_619_103_920, nanos: 21_000_000)

    /// Bindings with `P.attr` and `R.attr` set from `principalAttr` and `resourceAttr`.
    static func bindings(now: Timestamp = pinnedNow, principalAttr: [(String, Value)] = [],
                         resourceAttr: [(String, Value)] = []) -> EvaluationBindings {
        let p = Value.map(MapValue(stringKeyed: [("id", .string("alice")), ("attr", .map(MapValue(stringKeyed: principalAttr)))]))
        let r = Value.map(MapValue(stringKeyed: [("kind", .string("doc")), ("attr", .map(MapValue(stringKeyed: resourceAttr)))]))
        let request = Value.map(MapValue(stringKeyed: [("principal", p), ("resource", r)]))
        return EvaluationBindings(layout: compiler.layout, request: request, principal: p, resource: r,
                                  globals: .object(NamedValues(MapValue())), now: now)
    }

    /// The compiled program, or the compile error messages joined.
    static func compile(_ source: String) -> Result<any ExpressionProgram, CompileFailure> {
        switch compiler.compile(source) {
        case let .success(program, _): return .success(program)
        case let .failure(issues): return .failure(CompileFailure(message: issues.map(\.message).joined(separator: "; ")))
        }
    }

    /// Evaluates `source`; a compile failure comes back as an error value prefixed `compile:`.
    static func eval(_ source: String, _ bindings: EvaluationBindings = bindings()) -> Value {
        switch compile(source) {
        case let .success(program): return program.evaluate(bindings)
        case let .failure(f): return .error(EvalError("compile: \(f.message)"))
        }
    }

    /// The error message of a runtime error result, nil for any other result.
    static func runtimeError(_ source: String) -> String? {
        if case let .error(e) = eval(source), !e.message.hasPrefix("compile:") { return e.message }
        return nil
    }

    static func isTrue(_ v: Value) -> Bool {
        if case .bool(true) = v { return true }
        return false
    }
}

struct CompileFailure: Error {
    let message: String
}
