import Testing
@testable import CEL

@Suite struct ExtensionMathTests {
    @Test(arguments: [
        ("math.greatest(1, 1.0)", Value.int(1)), ("math.greatest(-3, 3u)", .uint(3)), ("math.least(1.5, -2)", .int(-2)),
        ("math.greatest([5.4, 10, 3u])", .int(10)), ("math.least(3, 2, 1u)", .uint(1)),
        ("math.ceil(1.2)", .double(2)), ("math.floor(-1.2)", .double(-2)), ("math.round(2.5)", .double(3)),
        ("math.round(-2.5)", .double(-3)), ("math.trunc(-1.7)", .double(-1)),
        ("math.abs(-5)", .int(5)), ("math.abs(-5.5)", .double(5.5)), ("math.abs(5u)", .uint(5)),
        ("math.sign(-7)", .int(-1)), ("math.sign(0u)", .uint(0)), ("math.sign(2.5)", .double(1)),
        ("math.sqrt(16)", .double(4)), ("math.sqrt(2u)", .double(2.0.squareRoot())),
        ("math.isNaN(0.0 / 0.0)", .bool(true)), ("math.isInf(1.0 / 0.0)", .bool(true)), ("math.isFinite(1.0)", .bool(true)),
        ("math.bitAnd(6, 3)", .int(2)), ("math.bitOr(6u, 3u)", .uint(7)), ("math.bitXor(6, 3)", .int(5)),
        ("math.bitNot(0)", .int(-1)), ("math.bitNot(0u)", .uint(UInt64.max)),
        ("math.bitShiftLeft(1, 62)", .int(1 << 62)), ("math.bitShiftLeft(1, 64)", .int(0)),
        ("math.bitShiftRight(-1024, 3)", .int(2_305_843_009_213_693_824)), ("math.bitShiftRight(1024u, 3)", .uint(128)),
    ])
    func mathFunction_returnsCelGoResult(source: String, expected: Value) {
        #expect(ExtensionEval.eval(source) == expected)
    }

    @Test(arguments: ["math.abs(-9223372036854775807 - 1)", "math.bitShiftLeft(1, -1)", "math.bitShiftRight(1u, -2)",
                      "math.greatest(dyn([]))", "math.least(dyn(['a']))"])
    func invalidMathArguments_areErrors(source: String) {
        #expect(ExtensionEval.errorMessage(source) != nil)
    }
}
