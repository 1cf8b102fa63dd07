import ArbiterJSON
import CELProtoJSON
@testable import CEL

/// Runs one conformance case the way cel-go's runner does (the setup is `ConformanceTestSetup`,
/// shared with `arbiter eval --jsonl`); returns nil on success or a failure description.
enum ConformanceRunner {
    static func run(_ c: ConformanceData.Case) -> String? {
        let t = c.json
        if let bindings = t[member: "bindings"]?.jsonMembers,
           let unwrapped = bindings.first(where: { $0.value[member: "value"] == nil }) {
            return "binding \(unwrapped.name) has no value"
        }
        let setup: ConformanceTestSetup
        do { setup = try ConformanceTestSetup(test: t) } catch { return "bad test: \(error)" }
        let compiled = setup.compile()
        guard let program = compiled.program else {
            return "compile failed: \(compiled.renderedIssues(source: setup.source))"
        }
        if c.flag("checkOnly") {
            guard let checked = compiled.checked else { return "checkOnly test was not checked" }
            guard let deduced = t[member: "typedResult"]?[member: "deducedType"] else { return nil }
            do {
                let expected = try CheckedType(protoJSON: deduced)
                return checked.resultType == expected ? nil : "deduced \(checked.resultType), expected \(expected)"
            } catch { return "bad deducedType: \(error)" }
        }
        let result = setup.evaluate(program)

        if t[member: "evalError"] != nil {
            if case .error = result { return nil }
            return "expected an error, got \(describe(result))"
        }
        let expected: Value
        if let expectedJSON = t[member: "value"] ?? t[member: "typedResult"]?[member: "result"] {
            do { expected = try Value(protoJSON: expectedJSON) } catch { return "expected value: \(error)" }
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
