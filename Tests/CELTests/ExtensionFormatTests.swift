import Testing
@testable import CEL

@Suite struct ExtensionFormatTests {
    @Test(arguments: [
        ("'%s and %d'.format(['a', 1])", "a and 1"), ("'100%% %s'.format(['x'])", "100% x"),
        ("'%.3f'.format([1.2345])", "1.234"), ("'%.0f'.format([2.5])", "2"), ("'%.0f'.format([3.5])", "4"),
        ("'%f'.format([2])", "2.000000"), ("'%e'.format([1052.032911275])", "1.052033e+03"),
        ("'%b %o %x %X'.format([5, 11, 30, 30])", "101 13 1e 1E"), ("'%x'.format(['Hi'])", "4869"),
        ("'%x'.format([-1])", "-1"), ("'%b'.format([true])", "1"),
        ("'%d'.format([double('NaN')])", "NaN"), ("'%f'.format([double('-Infinity')])", "-Infinity"),
        ("'%d'.format([1.5])", "1.5"), ("'%s'.format([1e20])", "100000000000000000000"),
        ("'%s'.format([0.000001])", "0.000001"),
        ("'%s'.format([[1, 'a', null, 2.5]])", "[1, a, null, 2.5]"),
        ("'%s'.format([{'b': 1, 'a': duration('1.5s'), 2: true}])", "{2: true, a: 1.5s, b: 1}"),
        ("'%s'.format([timestamp('2023-02-03T23:31:20.120Z')])", "2023-02-03T23:31:20.12Z"),
        ("'%s'.format([type(1)])", "int"), ("'%s'.format([b'xyz'])", "xyz"),
    ])
    func format_rendersLikeCelGo(source: String, expected: String) {
        #expect(ExtensionEval.eval(source) == .string(expected))
    }

    @Test(arguments: [
        ("'%a'.format([1])", "could not parse formatting clause: unrecognized formatting clause \"a\""),
        ("'%d %d'.format([1])", "index 1 out of range"),
        ("'%s %'.format([1, 2])", "unexpected end of string"),
        ("'%b'.format(['abc'])", "error during formatting: only ints, uints, and bools can be formatted as binary, was given string"),
        ("'%d'.format([null])", "error during formatting: decimal clause can only be used on ints, uints, and doubles, was given null_type"),
        ("'%.101f'.format([1.0])", "could not parse formatting clause: error while parsing precision: precision 101 exceeds maximum allowed precision 100"),
        ("'%s'.format([[optional.none()]])", "error during formatting: string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, types, durations, and timestamps, was given optional_type"),
    ])
    func format_atRuntime_reportsCelGoErrors(source: String, message: String) {
        #expect(ExtensionEval.errorMessage(source, checked: false) == message)
    }

    @Test(arguments: [
        ("'%a'.format([1])", "1:12: could not parse formatting clause: unrecognized formatting clause \"a\""),
        ("'%d %d'.format([1])", "1:15: index 1 out of range"),
        ("'%b'.format(['abc'])", "1:14: error during formatting: only ints, uints, and bools can be formatted as binary, was given string"),
        ("'%s'.format([[1, optional.none()]])", "1:31: error during formatting: string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, types, durations, and timestamps, was given optional_type"),
        ("'%s'.format([1, 2])", "1:12: too many arguments supplied to string.format (expected 1, got 2)"),
    ])
    func literalFormatCall_isValidatedAtCompileTime(source: String, rendered: String) {
        let compiled = ExtensionEval.environment.compile(source)
        #expect(compiled.program == nil)
        #expect(compiled.issues.map(\.description) == [rendered])
    }

    @Test(arguments: ["'%d %s %x'.format([dyn('a'), 1, b'x'])", "f.format([1, 2])", "'%s'.format(l)"])
    func formatCallsWithDynOrNonLiteralParts_compile(source: String) {
        let env = ExtensionEval.environment.declaring([VariableDecl("f", .string), VariableDecl("l", .list(.dyn))])
        #expect(env.compile(source).issues.isEmpty)
    }

    @Test func format_precisionOfOneHundredIsAllowed() {
        guard case let .string(s) = ExtensionEval.eval("'%.100f'.format([0.5])") else {
            Issue.record("no string")
            return
        }
        #expect(s.count == 102)
        #expect(s.hasPrefix("0.5000"))
    }
}
