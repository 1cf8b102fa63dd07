import Foundation
@testable import CEL

/// Runs one conformance case the way cel-go's runner does; returns nil on success or a failure
/// description.
enum ConformanceRunner {
    static func run(_ c: ConformanceSupport.Case) -> String? {
        let t = c.json
        guard let source = t["expr"] as? String else { return "no expr" }
        var names: [String] = []
        for decl in t["typeEnv"] as? [[String: Any]] ?? [] where decl["ident"] != nil {
            if let n = decl["name"] as? String { names.append(n) }
        }
        var bindings: [String: Value] = [:]
        for (name, wrapped) in t["bindings"] as? [String: Any] ?? [:] {
            guard let v = (wrapped as? [String: Any])?["value"] else { return "binding \(name) has no value" }
            do { bindings[name] = try Value(protoJSONObject: v) } catch { return "binding \(name): \(error)" }
            names.append(name)
        }
        var options = ParserOptions.extended
        if c.flag("disableMacros") { options.enableMacros = false }
        let env = Environment(libraries: CELExtensions.all, variables: names, container: t["container"] as? String ?? "", parserOptions: options)
        let compiled = env.compile(source)
        guard let program = compiled.program else {
            return "compile failed: \(compiled.renderedIssues(source: source))"
        }
        if c.flag("checkOnly") { return "checkOnly needs the checker" }
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
