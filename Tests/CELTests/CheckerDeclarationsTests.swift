import Testing
@testable import CEL

@Suite struct CheckerDeclarationsTests {
    @Test(arguments: [
        ("a.b", "", ["a.b"]),
        ("a.b", "x.y", ["x.y.a.b", "x.a.b", "a.b"]),
        (".a.b", "x.y", ["a.b"]),
        ("f", "com.example.v1", ["com.example.v1.f", "com.example.f", "com.f", "f"]),
    ])
    func candidateNames_followCelSpecNameResolution(name: String, container: String, expected: [String]) {
        #expect(Declarations.candidateNames(name, container: container) == expected)
    }

    @Test func overloadDecl_collectsTypeParametersFromItsSignature() {
        let a = CheckedType.typeParam("A"), b = CheckedType.typeParam("B")
        let o = OverloadDecl("get", [.map(a, b), a], .optional(b))
        #expect(o.typeParams == ["A", "B"])
        #expect(OverloadDecl("size_string", [.string], .int).typeParams.isEmpty)
    }

    @Test func removeOverloads_dropsThemAndEmptyFunctions() {
        var d = Declarations.standard()
        d.removeOverloads(["less_int64_double", "matches", "matches_string"])
        #expect(d.function(named: "_<_")?.overloads.contains { $0.id == "less_int64_double" } == false)
        #expect(d.function(named: "matches") == nil)
        #expect(checkExpression("1 < 1.5", declarations: d).1.map(\.message)
            == ["found no matching overload for '_<_' applied to '(int, double)'"])
    }

    @Test func standardLibrary_hasEveryCelSpecFunction() {
        let d = Declarations.standard()
        let names = ["_?_:_", "_&&_", "_||_", "!_", "@not_strictly_false", "_==_", "_!=_", "_+_", "_-_", "_*_", "_/_",
                     "_%_", "-_", "_<_", "_<=_", "_>_", "_>=_", "_[_]", "@in", "size", "type", "bool", "bytes",
                     "double", "duration", "dyn", "int", "string", "timestamp", "uint", "contains", "endsWith",
                     "startsWith", "matches", "getFullYear", "getMonth", "getDayOfYear", "getDayOfMonth", "getDate",
                     "getDayOfWeek", "getHours", "getMinutes", "getSeconds", "getMilliseconds"]
        for name in names { #expect(d.function(named: name) != nil, "\(name) is not declared") }
        let ids = Set(d.functions.values.flatMap { $0.overloads.map(\.id) })
        for id in ["add_int64", "add_string", "size_string", "matches_string", "timestamp_to_year_with_tz",
                   "timestamp_to_seconds_tz", "duration_to_milliseconds", "less_uint64_double", "in_map"] {
            #expect(ids.contains(id), "\(id) is not declared")
        }
    }

    @Test func typeIdentifier_declaresAbstractTypeNameAsValue() {
        let hierarchy = CheckedType.opaque("example.hierarchy", [])
        var d = Declarations.standard()
        d.addTypeIdentifier(hierarchy)
        d.add(FunctionDecl("hierarchy", OverloadDecl("hierarchy_string", [.string], hierarchy)))
        let (ast, issues) = checkExpression("type(hierarchy('a')) == example.hierarchy", declarations: d)
        #expect(issues.isEmpty)
        #expect(ast?.resultType == .bool)
    }

    @Test func addContentsOf_mergesFunctionsAndKeepsBothSidesDeclarations() {
        var host = Declarations()
        host.add([VariableDecl("P", .map(.string, .dyn))])
        host.add(FunctionDecl("size", .member("custom_size", [.opaque("example.bag", [])], .int)))
        var d = Declarations.standard()
        d.add(contentsOf: host)
        #expect(d.function(named: "size")?.overloads.count == 9)
        #expect(checkExpression("size(P) + P.size()", declarations: d).1.isEmpty)
    }

    @Test(arguments: [
        (CheckedType.int, CELType.int), (.list(.string), .list), (.map(.string, .dyn), .map), (.null, .null),
        (.timestamp, .timestamp), (.optional(.int), .optional), (.type(.int), .type),
    ])
    func runtimeType_isTheTypeValueOfTheValues(checked: CheckedType, runtime: CELType) {
        #expect(checked.runtimeType == runtime)
    }
}
