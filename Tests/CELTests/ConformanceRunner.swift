import CELProtoJSON
@testable import CEL
import Foundation

/// Runs one conformance case the way cel-go's runner does; returns nil on success or a failure
/// description.
enum ConformanceRunner {
    static func run(_ c: ConformanceSupport.Case) -> String? {
        let t = c.json
        guard let source = t["expr"] as? String else { return "no expr" }
        var typeEnv = Declarations()
        do { try typeEnv.add(protoJSONDecls: t["typeEnv"]) } catch { return "bad typeEnv: \(error)" }
        var variables = Array(typeEnv.variables.values)
        var bindings: [String: Value] = [:]
        for (name, wrapped) in t["bindings"] as? [String: Any] ?? [:] {
            guard let v = (wrapped as? [String: Any])?["value"] else { return "binding \(name) has no value" }
            do { bindings[name] = try Value(protoJSONObject: v) } catch { return "binding \(name): \(error)" }
            if typeEnv.variables[name] == nil { variables.append(VariableDecl(name, .dyn)) }
        }
        var options = ParserOptions.extended
        if c.flag("disableMacros") { options.enableMacros = false }
        let env = Environment(libraries: [DeclarationsOnly(declarations: Array(typeEnv.functions.values))] + CELExtensions.all,
                              declaring: variables, container: t["container"] as? String ?? "",
                              parserOptions: options, checking: !c.flag("disableCheck"))
        let compiled = env.compile(source)
        guard let program = compiled.program else {
            return "compile failed: \(compiled.renderedIssues(source: source))"
        }
        if c.flag("checkOnly") {
            guard let checked = compiled.checked else { return "checkOnly test was not checked" }
            guard let deduced = (t["typedResult"] as? [String: Any])?["deducedType"] else { return nil }
            do {
                let expected = try CheckedType(protoJSON: deduced)
                return checked.resultType == expected ? nil : "deduced \(checked.resultType), expected \(expected)"
            } catch { return "bad deducedType: \(error)" }
        }
        let result = program.evaluate(env.makeActivation(bindings))

        if t["evalError"] != nil {
            if case .error = result { return nil }
            return "expected an error, got \(describe(result))"
        }
        let expectedJSON: Any?
        if let v = t["value"] { expectedJSON = v }
        else if let tr = t["typedResult"] as? [String: Any] { expectedJSON = tr["result"] }
        else { expectedJSON = nil }
        let expected: Value
        if let expectedJSON {
            do { expected = try Value(protoJSONObject: expectedJSON) } catch { return "expected value: \(error)" }
        } else {
            expected = .bool(true)
        }
        return result == expected ? nil : "expected \(describe(expected)), got \(describe(result))"
    }

    static func describe(_ v: Value) -> String {
        if case let .error(e) = v { return "error(\(e.message))" }
        return (try? v.protoJSONText()) ?? "\(v)"
    }
}

/// Function declarations from a test's `typeEnv`, for the checker only (no runtime bindings).
struct DeclarationsOnly: Library {
    var name: String { "conformance.typeEnv" }
    var declarations: [FunctionDecl]
}
