import ArbiterJSON
import CEL
import OrderedCollections
import Testing

/// Renders a value back to JSON so that tests compare structure and number kinds in one string.
private func roundTrip(_ json: String) throws -> String {
    try JSONWriter.encodeString(try JSONReader.parse(json))
}

@Suite struct JSONReaderTests {
    @Test(arguments: [
        (#"[{"a":1},{"b":2}]"#, #"[{"a":1},{"b":2}]"#),
        (#"{"x":[1,{"a":2}],"y":3}"#, #"{"x":[1,{"a":2}],"y":3}"#),
        (#"[[1,2],{"k":[{"m":[3]},4]},5]"#, #"[[1,2],{"k":[{"m":[3]},4]},5]"#),
    ])
    func parse_objectsInsideArraysAfterOtherElements_keepTheirMembers(text: String, expected: String) throws {
        #expect(try JSONWriter.encodeString(JSONReader.parse(text)) == expected)
    }

    @Test func parse_object_keepsInsertionOrderAndStringKeys() throws {
        let v = try JSONReader.parse(#"{"b":1,"a":[true,false,null],"c":{"d":"e"}}"#)
        guard case let .map(m) = v else { Issue.record("expected a map, got \(v)"); return }
        #expect(m.storage.keys.map { $0 } == [.string("b"), .string("a"), .string("c")])
        guard case let .list(items)? = m[string: "a"] else { Issue.record("a is not a list"); return }
        #expect(items.count == 3)
        guard case .bool(true) = items[0], case .bool(false) = items[1], case .null = items[2] else {
            Issue.record("unexpected list items \(items)"); return
        }
    }

    @Test func parse_protocolMemberNames_andNearMisses_keepTheirSpelling() throws {
        let names = ["id", "ids", "i", "kind", "kinD", "principal", "principals", "policy_version", "policy_versioN",
                     "requestContext", "requestContexts", "é", "jsonrpc", "resources", "attr", ""]
        let json = "{" + names.enumerated().map { "\"\($0.element)\":\($0.offset)" }.joined(separator: ",") + "}"
        guard case let .map(m) = try JSONReader.parse(json) else { Issue.record("expected a map"); return }
        #expect(m.storage.keys.map { $0 } == names.map { MapKey.string($0) })
        for (i, name) in names.enumerated() {
            guard case let .double(d)? = m[string: name] else { Issue.record("\(name) missing"); continue }
            #expect(d == Double(i))
        }
    }

    @Test(arguments: [
        ("0", 0.0), ("-0", -0.0), ("42", 42), ("-17", -17), ("1.5", 1.5), ("1e3", 1000), ("1E-2", 0.01),
        ("123456789012345678", 123456789012345678), ("9007199254740993", 9007199254740992),
        ("0.1", 0.1), ("-2.5e+2", -250),
    ])
    func parse_numbers_areDoubles(text: String, expected: Double) throws {
        let v = try JSONReader.parse(text)
        guard case let .double(d) = v else { Issue.record("expected double, got \(v)"); return }
        #expect(d == expected)
        #expect(d.sign == expected.sign)
    }

    @Test(arguments: [
        (#""plain""#, "plain"),
        (#""q\"b\\s\/""#, "q\"b\\s/"),
        (#""\b\f\n\r\t""#, "\u{8}\u{c}\n\r\t"),
        (#""\u00e9\u4e2d""#, "é中"),
        (#""\uD83D\uDE00 smile""#, "😀 smile"),
        (#""raw é 中 😀""#, "raw é 中 😀"),
    ])
    func parse_strings_decodeEveryEscape(text: String, expected: String) throws {
        let v = try JSONReader.parse(text)
        guard case let .string(s) = v else { Issue.record("expected string, got \(v)"); return }
        #expect(s == expected)
    }

    @Test func parse_whitespaceAroundValues_isAccepted() throws {
        #expect(try roundTrip(" \n\t{ \"a\" : [ 1 , 2 ] }\r\n ") == #"{"a":[1,2]}"#)
    }

    @Test func parse_nestingAtLimit_succeeds_andBeyondLimit_fails() throws {
        let ok = String(repeating: "[", count: 5) + String(repeating: "]", count: 5)
        _ = try JSONReader.parse(ok, options: .init(maxDepth: 5))
        let deep = String(repeating: "[", count: 6) + String(repeating: "]", count: 6)
        let error = #expect(throws: JSONParseError.self) { try JSONReader.parse(deep, options: .init(maxDepth: 5)) }
        #expect(error?.offset == 5)
        #expect(error?.message.contains("nesting deeper than the limit of 5") == true)
    }

    @Test func parse_bytesWithInvalidUTF8_failsAtTheByte() throws {
        let bytes: [UInt8] = Array(#"{"a":"x"#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        let error = #expect(throws: JSONParseError.self) { try JSONReader.parse(bytes) }
        #expect(error?.offset == 7)
    }
}

/// Malformed documents and the position and wording of the error each must produce.
struct MalformedCase: Sendable, CustomStringConvertible {
    var json: String
    var offset: Int
    var line: Int
    var column: Int
    var fragment: String
    var description: String { json }
}

@Suite struct JSONReaderErrorTests {
    static let cases: [MalformedCase] = [
        .init(json: "", offset: 0, line: 1, column: 1, fragment: "expected a JSON value, found end of input"),
        .init(json: "{", offset: 1, line: 1, column: 2, fragment: "expected a string object key"),
        .init(json: #"{"a" 1}"#, offset: 5, line: 1, column: 6, fragment: "expected ':' after object key \"a\""),
        .init(json: #"{"a":1,}"#, offset: 7, line: 1, column: 8, fragment: "expected a string object key, found '}'"),
        .init(json: "{\n  \"a\": 1\n  \"b\": 2}", offset: 13, line: 3, column: 3, fragment: "expected ',' or '}' after object member"),
        .init(json: "[1,2", offset: 4, line: 1, column: 5, fragment: "expected ',' or ']' in array opened at byte 0"),
        .init(json: "[1 2]", offset: 3, line: 1, column: 4, fragment: "expected ',' or ']' after array element"),
        .init(json: #"{"a":1,"a":2}"#, offset: 7, line: 1, column: 8, fragment: "duplicate object key \"a\""),
        // Past 16 members duplicates are found with a set instead of a linear scan.
        .init(json: #"{"k0":0,"k1":0,"k2":0,"k3":0,"k4":0,"k5":0,"k6":0,"k7":0,"k8":0,"k9":0,"k10":0,"k11":0,"k12":0,"k13":0,"k14":0,"k15":0,"k16":0,"k17":0,"k18":0,"k19":0,"k3":1}"#, offset: 151, line: 1, column: 152, fragment: "duplicate object key \"k3\""),
        .init(json: #"{"x":[{"a":1},{"b":{"c":2,"c":3}}]}"#, offset: 26, line: 1, column: 27, fragment: "duplicate object key \"c\""),
        // Protocol member names are shared strings; an escaped spelling is still the same key.
        .init(json: #"{"id":1,"\u0069d":2}"#, offset: 8, line: 1, column: 9, fragment: "duplicate object key \"id\""),
        .init(json: #"{"principal" 1}"#, offset: 13, line: 1, column: 14, fragment: "expected ':' after object key \"principal\""),
        .init(json: "tru", offset: 0, line: 1, column: 1, fragment: "expected a JSON value, found 't'"),
        .init(json: "nulls", offset: 0, line: 1, column: 1, fragment: "expected a JSON value"),
        .init(json: "01", offset: 0, line: 1, column: 1, fragment: "leading zeros"),
        .init(json: "1.", offset: 2, line: 1, column: 3, fragment: "expected a digit after '.'"),
        .init(json: "-", offset: 1, line: 1, column: 2, fragment: "expected a digit in number"),
        .init(json: "1e", offset: 2, line: 1, column: 3, fragment: "expected a digit in the exponent"),
        .init(json: "1e400", offset: 0, line: 1, column: 1, fragment: "out of the range of a double"),
        .init(json: "NaN", offset: 0, line: 1, column: 1, fragment: "expected a JSON value, found 'N'"),
        .init(json: "1 2", offset: 2, line: 1, column: 3, fragment: "expected end of input after the JSON value, found '2'"),
        .init(json: #""abc"#, offset: 4, line: 1, column: 5, fragment: "expected '\"' to close the string opened at byte 0"),
        .init(json: "\"a\u{1}\"", offset: 2, line: 1, column: 3, fragment: "control character U+0001 must be escaped"),
        .init(json: #""\x""#, offset: 1, line: 1, column: 2, fragment: "invalid escape '\\x'"),
        .init(json: #""\u12G4""#, offset: 5, line: 1, column: 6, fragment: "expected a hex digit"),
        .init(json: #""\uD800""#, offset: 1, line: 1, column: 2, fragment: "high surrogate \\uD800 is not followed by a low surrogate"),
        .init(json: #""\uD800\u0041""#, offset: 7, line: 1, column: 8, fragment: "expected a low surrogate escape"),
        .init(json: #""\uDC00""#, offset: 1, line: 1, column: 2, fragment: "low surrogate \\uDC00 without a preceding high surrogate"),
        .init(json: "[\"é\", x]", offset: 7, line: 1, column: 7, fragment: "expected a JSON value, found 'x'"),
    ]

    @Test(arguments: cases)
    func parse_malformed_reportsPositionAndExpectation(_ c: MalformedCase) throws {
        let error = #expect(throws: JSONParseError.self) { try JSONReader.parse(c.json) }
        guard let error else { return }
        #expect(error.offset == c.offset, "\(error)")
        #expect(error.line == c.line, "\(error)")
        #expect(error.column == c.column, "\(error)")
        #expect(error.message.contains(c.fragment), "\(error)")
    }
}
