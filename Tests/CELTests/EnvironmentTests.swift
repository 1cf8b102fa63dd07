import Testing
@testable import CEL

/// A host object with two fields, as a host library would define one.
struct Principal: ObjectValue {
    var id: String
    var roles: [String]
    var celType: CELType { CELType("test.Principal") }
    func field(_ name: String) -> Value? {
        switch name {
        case "id": return .string(id)
        case "roles": return .list(roles.map(Value.string))
        default: return nil
        }
    }
    func isEqual(to other: any ObjectValue) -> Bool { (other as? Principal)?.id == id }
}

/// A host library: one function with a runtime binding and a checker declaration.
struct GreetingLibrary: Library {
    var name: String { "test.greeting" }
    var functions: [FunctionBinding] {
        [FunctionBinding("greet", [.unary("greet_string", .kind(.string)) { v in
            guard case let .string(s) = v else { return .noSuchOverload("greet") }
            return .string("hello " + s)
        }])]
    }
    var declarations: [FunctionDecl] { [FunctionDecl("greet", OverloadDecl("greet_string", [.string], .string))] }
}

@Suite struct EnvironmentTests {
    @Test func compile_undeclaredIdentifier_isACheckIssue() {
        let env = Environment(variables: ["x"])
        let result = env.compile("y + 1")
        #expect(result.program == nil)
        #expect(result.issues.contains { $0.message.contains("undeclared reference to 'y'") })
    }

    @Test func compile_syntaxError_hasLineAndColumn() {
        let result = Environment().compile("1 +\n  )")
        #expect(result.program == nil)
        #expect(result.issues.first?.line == 2)
    }

    @Test func compile_withoutChecking_reportsNoSuchOverloadAtRuntime() {
        let env = Environment(checking: false)
        guard let program = env.compile("1 + 'a'").program else { Issue.record("should plan"); return }
        guard case let .error(e) = program.evaluate() else { Issue.record("expected an error"); return }
        #expect(e.message.contains("no such overload"))
    }

    @Test func hostLibrary_functionIsCheckedAndCalled() {
        let env = Environment(libraries: [GreetingLibrary()], declaring: [VariableDecl("name", .string)])
        let result = env.compile("greet(name)")
        #expect(result.issues.isEmpty)
        #expect(result.program?.evaluate(["name": .string("bob")]) == .string("hello bob"))
    }

    @Test func objectValue_fieldsSelectAndHas() {
        let env = Environment(variables: ["P"])
        var activation = env.makeActivation()
        activation["P"] = .object(Principal(id: "alice", roles: ["admin"]))
        #expect(env.compile("P.id == 'alice' && 'admin' in P.roles").program?.evaluate(activation) == .bool(true))
        #expect(env.compile("has(P.id) && !has(P.nope)").program?.evaluate(activation) == .bool(true))
    }

    @Test func activation_reusedAcrossPrograms_byLayoutSlots() {
        let env = Environment(variables: ["a", "b"])
        var activation = env.makeActivation()
        activation["a"] = .int(2)
        activation["b"] = .int(3)
        let sum = env.compile("a + b").program
        let product = env.compile("a * b").program
        #expect(sum?.evaluate(activation) == .int(5))
        #expect(product?.evaluate(activation) == .int(6))
        #expect(env.layout.slot(of: "b") == 1)
    }

    @Test func unboundDeclaredVariable_isAnErrorNamingIt() {
        let env = Environment(variables: ["a"])
        guard case let .error(e) = env.compile("a").program?.evaluate() else { Issue.record("expected error"); return }
        #expect(e.message.contains("a"))
    }

    @Test func optionalSelect_onMissingKey_isNone() {
        let env = Environment(variables: ["m"])
        let m = Value.map(MapValue(stringKeyed: [("a", .int(1))]))
        #expect(env.compile("m.?b.orValue(7)").program?.evaluate(["m": m]) == .int(7))
        #expect(env.compile("m.?a.orValue(7)").program?.evaluate(["m": m]) == .int(1))
        #expect(env.compile("[?m.?b, ?m.?a]").program?.evaluate(["m": m]) == .list([.int(1)]))
    }

    @Test func constantCalls_foldAtPlanTime() {
        let program = Environment().compile("size('abc') + 1").program
        #expect(program?.constantResult == .int(4))
    }

    @Test func timestampAccessors_withTimeZones() {
        let env = Environment()
        let cases: [(String, Int64)] = [
            ("timestamp('2009-02-13T23:31:30Z').getHours('America/New_York')", 18),
            ("timestamp('2009-02-13T23:31:30Z').getMinutes('+05:30')", 1),
            ("timestamp('2009-02-13T23:31:30Z').getDayOfWeek()", 5),
        ]
        for (source, expected) in cases {
            #expect(env.compile(source).program?.evaluate() == .int(expected), "\(source)")
        }
    }
}
