import OrderedCollections
import Testing
@testable import CEL

/// The three small slips issue 24's differential run found, each as cel-go and cel-cpp behave.
@Suite struct Issue24SlipsTests {
    @Test(arguments: [
        ("-dyn([1]).distinct()[0]", Value.int(-1)),
        ("-dyn([1, 2]).slice(0, 1)[0]", .int(-1)),
        ("-dyn([[1]]).flatten()[0]", .int(-1)),
        ("-dyn([1]).reverse()[0]", .int(-1)),
        ("-dyn([1]).sort()[0]", .int(-1)),
        ("dyn([1, 2, 2]).distinct().size()", .int(2)),
    ])
    func listFunctionsOnDynLists_keepTheElementTypeDyn(source: String, expected: Value) {
        #expect(ExtensionEval.eval(source) == expected)
        #expect(ExtensionEval.eval(source, checked: false) == expected)
    }

    @Test(arguments: [
        ("scores", "-scores.distinct()[0] < 0", Value.bool(true)),
        ("scores", "scores.slice(0, 1).map(x, -x)[0] == -3", .bool(true)),
    ])
    func listFunctionsOnDynVariables_checkAndEvaluate(variable: String, source: String, expected: Value) {
        #expect(ExtensionEval.eval(source, [variable: .list([.int(3), .int(3)])]) == expected)
    }

    @Test(arguments: ["Z", "z", "GMT+1", "+5", "+05", "Mars/Olympus"])
    func timeZoneThatIsNeitherIANANorAnOffset_isAnError(zone: String) {
        let source = "timestamp('2024-01-01T00:00:00Z').getHours('\(zone)')"
        guard case let .error(e) = ExtensionEval.eval(source) else { Issue.record("`\(zone)` accepted"); return }
        #expect(e.message.contains("unknown time zone"), "\(e.message)")
    }

    @Test(arguments: [
        ("UTC", Value.int(0)), ("America/New_York", .int(19)), ("+05:30", .int(5)), ("-08:00", .int(16)),
        ("02:00", .int(2)), ("+1:00", .int(1)), ("-00:30", .int(23)),
    ])
    func ianaNamesAndOffsets_areTimeZones(zone: String, hours: Value) {
        #expect(ExtensionEval.eval("timestamp('2024-01-01T00:00:00Z').getHours('\(zone)')") == hours)
    }

    @Test(arguments: ["{3.0: 1}", "{1: 1, 2.5: 2}", "{-0.0: 'a'}", "{'a': 1, 3.0: 2}.size()"])
    func mapLiteralWithADoubleKey_isAnError(source: String) {
        for checked in [true, false] {
            let result = ExtensionEval.eval(source, checked: checked)
            guard case let .error(e) = result else { Issue.record("`\(source)` (checked: \(checked)) gave \(result)"); continue }
            #expect(e.message == "unsupported key type: double")
        }
    }

    /// JSON numbers are doubles; Cerbos policies key maps by them (cel-go keeps the double and
    /// finds it by numeric equality), which stays: `{n: 0}` for `n` = 1.0 equals `{1: 0}`.
    @Test func mapLiteralKeyedByADoubleFromData_keysAsAnInt() {
        #expect(ExtensionEval.eval("{n: 0} == {1: 0}", ["n": .double(1)]) == .bool(true))
    }

    @Test func requestDataWithIntegralDoubleKeys_stillFindsIntKeys() {
        let env = ExtensionEval.environment.declaring([VariableDecl("m", .dyn)])
        let program = env.compile("m[1] == 'one' && 1 in m").program
        let data = Value.map(MapValue([.int(1): .string("one")]))
        #expect(program?.evaluate(env.makeActivation(["m": data])) == .bool(true))
    }
}
