import ArbiterJSON
import Foundation
import Testing
@testable import CEL

/// Numbers, strings and bytes in every form the grammar has, and their escapes.
@Suite struct ParserLiteralTests {
    private func constant(_ source: String) -> Expr.Constant? {
        guard let expr = ParserTestSupport.parse(source).expr, case .constant(let c) = expr.kind else { return nil }
        return c
    }

    @Test(arguments: [
        ("0", Expr.Constant.int(0)),
        ("42", .int(42)),
        ("017", .int(17)),
        ("0x1F", .int(31)),
        ("-0x10", .int(-16)),
        ("9223372036854775807", .int(Int64.max)),
        ("-9223372036854775808", .int(Int64.min)),
        ("0u", .uint(0)),
        ("23U", .uint(23)),
        ("0xFFu", .uint(255)),
        ("18446744073709551615u", .uint(UInt64.max)),
        ("1.5", .double(1.5)),
        ("1e3", .double(1000)),
        ("1E-2", .double(0.01)),
        ("2.5e+2", .double(250)),
        (".5", .double(0.5)),
        (".5e1", .double(5)),
        ("-1.5", .double(-1.5)),
        ("true", .bool(true)),
        ("false", .bool(false)),
        ("null", .null),
    ])
    func numbersAndKeywords_parseToConstants(source: String, expected: Expr.Constant) {
        #expect(constant(source) == expected)
    }

    @Test(arguments: [
        ("9223372036854775808", "invalid int literal"),
        ("-9223372036854775809", "invalid int literal"),
        ("0x8000000000000000", "invalid int literal"),
        ("18446744073709551616u", "invalid uint literal"),
        ("1e400", "invalid double literal"),
    ])
    func outOfRangeNumbers_areReported(source: String, message: String) {
        let result = ParserTestSupport.parse(source)
        #expect(result.expr == nil)
        #expect(result.issues.map(\.message) == [message])
    }

    @Test func numberFollowedByLetters_isNotAnExponent() {
        #expect(ParserTestSupport.tree("1.e") == "1.e")
        #expect(ParserTestSupport.tree("x.size()") == "x.size()")
    }

    @Test(arguments: [
        (#"'hello'"#, "hello"),
        (#""hello""#, "hello"),
        (#"'''a'b"c'''"#, "a'b\"c"),
        (#""""a"b'c""""#, "a\"b'c"),
        ("'''line\nbreak'''", "line\nbreak"),
        (#"" \a \b \f \n \r \t \v \\ \' \" \` \? ""#, " \u{07} \u{08} \u{0C} \n \r \t \u{0B} \\ ' \" ` ? "),
        (#""\xC3\XBF""#, "\u{C3}\u{BF}"),
        (#""\303\277""#, "\u{C3}\u{BF}"),
        (#""hi\u263A \u263Athere""#, "hi\u{263A} \u{263A}there"),
        (#""\U000003A8\?""#, "\u{3A8}?"),
        (#""\U0001F62C""#, "\u{1F62C}"),
        (#"r'\n\x00'"#, "\\n\\x00"),
        (#"R"\\""#, "\\\\"),
        (#"r'''a\'''"#, "a\\"),
        ("'✌ é'", "✌ é"),
        (#"'\uD800'"#, "\u{FFFD}"),
        ("'''a\r\nb\rc'''", "a\nb\nc"),
        ("r'''a\r\nb'''", "a\nb"),
    ])
    func strings_decodeEveryEscapeAndForm(source: String, expected: String) {
        #expect(constant(source) == .string(expected))
    }

    @Test(arguments: [
        (#"b'abc'"#, Array("abc".utf8)),
        (#"B"\x00\xFF\377\001""#, [0x00, 0xFF, 0xFF, 0x01]),
        (#"b'ÿ'"#, [0xC3, 0xBF]),
        (#"br'\x00'"#, Array(#"\x00"#.utf8)),
        (#"bR"""a\n""""#, Array(#"a\n"#.utf8)),
        (#"b'\n\t\\'"#, [0x0A, 0x09, 0x5C]),
        (#"b'\u00e9\U0001F600'"#, [0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80]),
        ("b'''\r\n'''", [0x0A]),
    ])
    func bytes_keepRawEscapesAsBytes(source: String, expected: [UInt8]) {
        #expect(constant(source) == .bytes(expected))
    }

    @Test(arguments: [
        #"'\U00110000'"#,
        #"'\q'"#,
        #"'\x4'"#,
        #"'\400'"#,
        "'unterminated",
        "'line\nbreak'",
    ])
    func invalidLiterals_areReportedNotCrashed(source: String) {
        let result = ParserTestSupport.parse(source)
        #expect(result.expr == nil)
        #expect(!result.issues.isEmpty)
    }

    /// The `parse` conformance file states the value of every string and bytes literal form.
    @Test func conformanceLiteralSections_decodeToTheirExpectedValues() throws {
        let file = ConformanceData.celSpecFiles().first { $0.lastPathComponent == "parse.json" }
        let cases = try ConformanceData.cases(in: try #require(file))
            .filter { $0.section == "string_literals" || $0.section == "bytes_literals" }
        #expect(cases.count > 100)
        for test in cases {
            let expected = try #require(test.json[member: "value"], "\(test.name)")
            let actual = constant(test.expr)
            if let text = expected[member: "stringValue"]?.jsonString {
                #expect(actual == .string(text), "\(test.section)/\(test.name)")
            } else if let base64 = expected[member: "bytesValue"]?.jsonString {
                let bytes = try #require(Data(base64Encoded: base64))
                #expect(actual == .bytes(Array(bytes)), "\(test.section)/\(test.name)")
            } else {
                Issue.record("\(test.name): unexpected value \(expected)")
            }
        }
    }
}
