import Testing
@testable import ArbiterYAML

@Suite struct YAMLScalarResolutionTests {
    @Test(arguments: [
        ("", YAMLResolvedScalar.null), ("~", .null), ("null", .null), ("Null", .null), ("NULL", .null),
        ("true", .bool(true)), ("True", .bool(true)), ("FALSE", .bool(false)),
        ("42", .int(42)), ("-7", .int(-7)), ("+3", .int(3)), ("0x1F", .int(31)), ("0o17", .int(15)), ("0b101", .int(5)),
        ("1_000", .int(1000)), ("20210210", .int(20210210)),
        ("1.5", .double(1.5)), ("-2e3", .double(-2000)), (".5", .double(0.5)), (".inf", .double(.infinity)), ("-.Inf", .double(-.infinity)),
    ])
    func plainScalars_resolveLikeCerbos(_ text: String, _ expected: YAMLResolvedScalar) {
        #expect(YAMLScalar.resolvePlain(text) == expected)
    }

    @Test(arguments: ["yes", "no", "on", "off", "y", "n", "1.2.3", "0x", "12abc", "-", ".", "e5", "view:*", "1e"])
    func yaml11WordsAndNonNumbers_stayStrings(_ text: String) {
        #expect(YAMLScalar.resolvePlain(text) == .string(text))
    }

    @Test func nan_resolvesToDouble() {
        guard case let .double(d) = YAMLScalar.resolvePlain(".nan") else { Issue.record("not a double"); return }
        #expect(d.isNaN)
    }

    @Test func integerOverflow_fallsBackToDouble() {
        #expect(YAMLScalar.resolvePlain("99999999999999999999") == .double(99999999999999999999))
    }
}
