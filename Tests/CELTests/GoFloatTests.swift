@testable import CEL
import Testing

/// The four Go float layouts the package prints through `GoFloat`, against what Go prints.
@Suite struct GoFloatTests {
    @Test(arguments: [(123.456, "123.456"), (-4.5e-3, "-0.0045"), (1e21, "1e+21"), (1234567.0, "1.234567e+06"),
                      (100000.0, "100000"), (0.5, "0.5"), (1e-5, "1e-05"), (0.0, "0"), (-0.0, "-0"),
                      (Double.nan, "NaN"), (-Double.infinity, "-Inf"), (5e-324, "5e-324"),
                      (1.7976931348623157e308, "1.7976931348623157e+308")])
    func g_matchesStrconvShortest(value: Double, text: String) {
        #expect(GoFloat.format(value, .g) == text)
    }

    @Test(arguments: [(1e20, "100000000000000000000"), (1e21, "1e+21"), (1234567.0, "1234567"), (1e-4, "0.0001"),
                      (1e-5, "1e-05"), (2.5, "2.5"), (Double.infinity, "+Inf")])
    func v_matchesFmtPercentV(value: Double, text: String) {
        #expect(GoFloat.format(value, .v) == text)
    }

    @Test(arguments: [(1e-6, "0.000001"), (1e-7, "1e-7"), (1.5e-7, "1.5e-7"), (1e20, "100000000000000000000"),
                      (1e21, "1e+21"), (1.25e22, "1.25e+22"), (-0.1, "-0.1"), (123456789.125, "123456789.125")])
    func json_matchesEncodingJSON(value: Double, text: String) {
        #expect(GoFloat.format(value, .json) == text)
    }

    @Test(arguments: [(1e21, "1000000000000000000000"), (1e-7, "0.0000001"), (2.5, "2.5"), (-3.0, "-3")])
    func f_neverUsesAnExponent(value: Double, text: String) {
        #expect(GoFloat.format(value, .f) == text)
    }
}
