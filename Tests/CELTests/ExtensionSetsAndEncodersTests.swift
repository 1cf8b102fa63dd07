import CELProtoJSON
@testable import CEL
import Testing

@Suite struct ExtensionSetsAndEncodersTests {
    @Test(arguments: [
        ("sets.contains([1, 2, 3], [3, 1])", true), ("sets.contains([1, 2], [1.0, 2u])", true),
        ("sets.contains([1], [2])", false), ("sets.contains([], [])", true),
        ("sets.equivalent([1, 2, 2], [2, 1])", true), ("sets.equivalent([1], [1, 2])", false),
        ("sets.intersects([1, 2], [dyn(2.0)])", true), ("sets.intersects([1], [])", false),
    ])
    func setFunction_usesHeterogeneousEquality(source: String, expected: Bool) {
        #expect(ExtensionEval.eval(source) == .bool(expected))
    }

    @Test func base64_roundTripsWithAndWithoutPadding() {
        #expect(ExtensionEval.eval("base64.encode(b'hello')") == .string("aGVsbG8="))
        #expect(ExtensionEval.eval("base64.decode('aGVsbG8=')") == .bytes(Array("hello".utf8)))
        #expect(ExtensionEval.eval("base64.decode('aGVsbG8')") == .bytes(Array("hello".utf8)))
        #expect(ExtensionEval.eval("base64.decode('')") == .bytes([]))
        #expect(ExtensionEval.errorMessage("base64.decode('a*==')") != nil)
        #expect(ExtensionEval.errorMessage("base64.decode('aGVsbG8=x')") != nil)
    }

    @Test(arguments: [
        ("json.encode({'b': [1, 2.5, true, null], 'a': 'x\"y'})", "{\"a\":\"x\\\"y\",\"b\":[1,2.5,true,null]}"),
        ("json.encode(9007199254740993)", "\"9007199254740993\""), ("json.encode(1e-7)", "1e-7"),
        ("json.encode(b'hi')", "\"aGk=\""), ("json.encode(duration('1.5s'))", "\"1.5s\""),
        ("json.encode(timestamp('2024-01-02T03:04:05Z'))", "\"2024-01-02T03:04:05Z\""),
    ])
    func jsonEncode_writesCompactProtoJSON(source: String, expected: String) {
        #expect(ExtensionEval.eval(source) == .string(expected))
    }

    @Test func jsonEncode_rejectsNonStringMapKeys() {
        #expect(ExtensionEval.errorMessage("json.encode({1: 2})") != nil)
    }
}
