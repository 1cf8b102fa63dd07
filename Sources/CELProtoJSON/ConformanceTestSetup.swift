import ArbiterJSON
import CEL

/// An expression set up from a cel-spec conformance test (`expr`, `typeEnv`, `bindings`,
/// `container`, `disableMacros`, `disableCheck`) the way cel-go's conformance runner sets one up:
/// the test's declarations for the checker only, every binding declared (`dyn` unless `typeEnv`
/// says otherwise), the extended parser and all of CEL's extensions. `arbiter eval --jsonl` and
/// the conformance tests both go through it, so a replayed file means the same in both.
public struct ConformanceTestSetup: Sendable {
    /// The expression's source.
    public let source: String
    /// The environment it compiles in.
    public let environment: Environment
    /// The values of its variables.
    public let bindings: [String: Value]

    /// Reads a test (a JSON document as `JSONReader` returns it). Bindings are `{"value": V}` as
    /// in the conformance files; a bare `cel.expr.Value` is accepted too, for hand-written lines.
    public init(test: Value) throws(Value.ProtoJSONError) {
        guard let source = test[member: "expr"]?.jsonString else { throw .init("missing \"expr\" (a string)") }
        var typeEnv = Declarations()
        do { try typeEnv.add(protoJSONDecls: test[member: "typeEnv"]) } catch { throw .init("typeEnv: \(error)") }
        var variables = Array(typeEnv.variables.values)
        var bindings: [String: Value] = [:]
        switch test[member: "bindings"] {
        case nil, .null?: break
        case let raw?:
            guard let members = raw.jsonMembers else { throw .init("\"bindings\" must be an object") }
            for (name, wrapped) in members {
                let payload = wrapped.jsonMembers?.count == 1 ? wrapped[member: "value"] ?? wrapped : wrapped
                do { bindings[name] = try Value(protoJSON: payload) } catch { throw .init("binding \(name): \(error)") }
                if typeEnv.variables[name] == nil { variables.append(VariableDecl(name, .dyn)) }
            }
        }
        var options = ParserOptions.extended
        if test[member: "disableMacros"]?.jsonBool == true { options.enableMacros = false }
        self.source = source
        self.bindings = bindings
        environment = Environment(
            libraries: [TestDeclarations(declarations: Array(typeEnv.functions.values))] + CELExtensions.all,
            declaring: variables, container: test[member: "container"]?.jsonString ?? "",
            parserOptions: options, checking: test[member: "disableCheck"]?.jsonBool != true)
    }

    /// Parses and (unless the test disables it) checks the expression.
    public func compile() -> CompileResult { environment.compile(source) }

    /// Runs a compiled program of this setup with its bindings.
    public func evaluate(_ program: Program) -> Value { program.evaluate(environment.makeActivation(bindings)) }
}

/// Function declarations from a test's `typeEnv`: for the checker only, with no runtime
/// bindings, exactly as the conformance runner treats them.
struct TestDeclarations: Library {
    var name: String { "conformance.typeEnv" }
    var declarations: [FunctionDecl]
}
