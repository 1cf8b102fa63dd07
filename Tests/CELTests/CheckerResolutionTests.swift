import Testing
@testable import CEL

@Suite struct CheckerResolutionTests {
    private func decls(_ vars: [(String, CheckedType)]) -> Declarations {
        var d = Declarations.standardWithExtensions()
        for (name, t) in vars { d.add(VariableDecl(name, t)) }
        return d
    }

    @Test func qualifiedIdentifier_resolvesToLongestDeclaredName() throws {
        let d = decls([("a.b", .map(.string, .int)), ("a", .map(.string, .dyn))])
        let (ast, issues) = checkExpression("a.b.c", declarations: d)
        #expect(issues.isEmpty)
        let checked = try #require(ast)
        guard case let .select(operand, field, _) = checked.expr.kind else {
            Issue.record("expected a select, got \(checked.expr)")
            return
        }
        #expect(field == "c")
        #expect(operand.kind == .ident("a.b"))
        #expect(checked.referenceMap[operand.id] == .identifier("a.b"))
        #expect(checked.resultType == .int)
    }

    @Test(arguments: [
        ("y", "x.y", CheckedType.bool), (".y", "y", .string), ("x.y", "x.y", .bool), ("z", "z", .int),
    ])
    func container_prefixesUnqualifiedNames(source: String, resolved: String, type: CheckedType) throws {
        let d = decls([("x.y", .bool), ("y", .string), ("z", .int)])
        let (ast, issues) = checkExpression(source, declarations: d, container: "x")
        #expect(issues.isEmpty)
        let checked = try #require(ast)
        #expect(checked.expr.kind == .ident(resolved))
        #expect(checked.referenceMap[checked.expr.id] == .identifier(resolved))
        #expect(checked.resultType == type)
    }

    @Test func comprehensionVariable_shadowsGlobalsInAnyContainer() throws {
        let d = decls([("com.example.y", .string), ("y.z", .string)])
        let (ast, issues) = checkExpression("[0].exists(y, y == 0) && [{'z': 1}].all(y, y.z == 1)",
                                            declarations: d, container: "com.example")
        #expect(issues.isEmpty, "\(issues)")
        #expect(try #require(ast).referenceMap.values.contains(.identifier("com.example.y")) == false)
    }

    @Test func namespacedFunction_dropsReceiverAndCarriesFullName() throws {
        let (ast, issues) = checkExpression("math.abs(-1)")
        #expect(issues.isEmpty)
        let checked = try #require(ast)
        guard case let .call(target, function, args) = checked.expr.kind else {
            Issue.record("expected a call, got \(checked.expr)")
            return
        }
        #expect(target == nil)
        #expect(function == "math.abs")
        #expect(args.count == 1)
        #expect(checked.referenceMap[checked.expr.id] == .function(overloadIDs: ["math_abs_int"]))
    }

    @Test func dynArguments_keepEveryCandidateOverload() throws {
        let (ast, _) = checkExpression("dyn(1) < 2")
        let checked = try #require(ast)
        guard case let .function(ids) = checked.referenceMap[checked.expr.id] else {
            Issue.record("no function reference")
            return
        }
        #expect(Set(ids) == ["less_int64", "less_double_int64", "less_uint64_int64"])
        #expect(checked.resultType == .bool)
    }

    @Test func addedFunctionDecl_mergesOverloadsIntoExistingFunction() throws {
        let hierarchy = CheckedType.opaque("example.hierarchy", [])
        var d = Declarations.standard()
        d.add(FunctionDecl("hierarchy", OverloadDecl("hierarchy_string", [.string], hierarchy)))
        d.add(FunctionDecl("size", .member("hierarchy_size", [hierarchy], .int)))
        d.add(FunctionDecl("_[_]", OverloadDecl("hierarchy_index", [hierarchy, .int], .string)))
        let (ast, issues) = checkExpression("hierarchy('a.b').size() == 2 && hierarchy('a.b')[0] == 'a'",
                                            declarations: d)
        #expect(issues.isEmpty, "\(issues)")
        #expect(ast?.referenceMap.values.contains(.function(overloadIDs: ["hierarchy_size"])) == true)
        #expect(d.function(named: "size")?.overloads.count == 9)
    }

    @Test func genericOverload_bindsTypeParametersPerCall() {
        let a = CheckedType.typeParam("A")
        var d = Declarations.standard()
        d.add(FunctionDecl("intersect", OverloadDecl("intersect_list", [.list(a), .list(a)], .list(a))))
        #expect(checkExpression("intersect([1], [2]).size()", declarations: d).1.isEmpty)
        #expect(checkExpression("intersect([1], [2]) + intersect(['a'], ['b'])", declarations: d).1.map(\.message)
            == ["found no matching overload for '_+_' applied to '(list(int), list(string))'"])
        #expect(checkExpression("intersect([1], ['a'])", declarations: d).1.map(\.message)
            == ["found no matching overload for 'intersect' applied to '(list(int), list(string))'"])
    }

    @Test func messageType_fieldsAreTypedAndUnknownFieldsRejected() throws {
        var d = Declarations.standard()
        d.add(MessageTypeDecl("test.Resource", fields: ["id": .string, "attr": .map(.string, .dyn)]))
        d.add(MessageTypeDecl("test.Variables", fields: [:], acceptsAnyField: true))
        d.add(VariableDecl("R", .message("test.Resource")))
        d.add(VariableDecl("V", .message("test.Variables")))
        let (ast, issues) = checkExpression("R.id + R.attr.owner", declarations: d)
        #expect(issues.isEmpty)
        #expect(ast?.resultType == .string)
        #expect(checkExpression("R.kind", declarations: d).1.map(\.message) == ["undefined field 'kind'"])
        #expect(checkExpression("V.anything.goes", declarations: d).0?.resultType == .dyn)
        #expect(checkExpression("has(V.x) && has(R.id)", declarations: d).1.isEmpty)
        let (built, buildIssues) = checkExpression("test.Resource{id: 'a'}", declarations: d)
        #expect(buildIssues.isEmpty)
        #expect(built?.resultType == .message("test.Resource"))
        #expect(checkExpression("test.Resource{id: 1}", declarations: d).1.map(\.message)
            == ["expected type of field 'id' is 'string' but provided type is 'int'"])
    }
}
