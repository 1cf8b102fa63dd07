import ArbiterJSON
import CEL
import OrderedCollections
import Testing

@Suite struct JSONWriterTests {
    @Test(arguments: [
        (0.0, "0"), (-0.0, "-0"), (1, "1"), (-42, "-42"), (1.5, "1.5"), (0.1, "0.1"), (100, "100"),
        (1e20, "100000000000000000000"), (1e21, "1e+21"), (1.5e300, "1.5e+300"), (1e-6, "0.000001"),
        (1e-7, "1e-7"), (1.25e-10, "1.25e-10"), (123456.789, "123456.789"), (9007199254740993, "9007199254740992"),
        (5e-324, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"), (2.5e15, "2500000000000000"),
        (-3.25e-8, "-3.25e-8"), (0.000123, "0.000123"),
    ])
    func writeDouble_matchesGoShortestFormatting(value: Double, expected: String) throws {
        #expect(try JSONWriter.encodeString(.double(value)) == expected)
    }

    @Test func writeDouble_nonFinite_areStrings() throws {
        #expect(try JSONWriter.encodeString(.list([.double(.nan), .double(.infinity), .double(-.infinity)]))
            == #"["NaN","Infinity","-Infinity"]"#)
    }

    @Test func writeIntegers_arePlainNumbers() throws {
        #expect(try JSONWriter.encodeString(.list([.int(Int64.min), .int(0), .int(7), .uint(UInt64.max)]))
            == "[-9223372036854775808,0,7,18446744073709551615]")
    }

    @Test func writeString_escapesLikeProtojson() throws {
        #expect(try JSONWriter.encodeString(.string("a\"b\\c\n\t\u{1}\u{1f}<>&é😀"))
            == #""a\"b\\c\n\t\u0001\u001f<>&é😀""#)
    }

    @Test(arguments: [
        (Timestamp(seconds: 0), #""1970-01-01T00:00:00Z""#),
        (Timestamp(seconds: 1_700_000_000, nanos: 500_000_000), #""2023-11-14T22:13:20.500Z""#),
        (Timestamp(seconds: 951_782_400, nanos: 1000), #""2000-02-29T00:00:00.000001Z""#),
        (Timestamp(seconds: -1, nanos: 1), #""1969-12-31T23:59:59.000000001Z""#),
        (Timestamp(seconds: -62_135_596_800), #""0001-01-01T00:00:00Z""#),
        (Timestamp(seconds: 253_402_300_799), #""9999-12-31T23:59:59Z""#),
    ])
    func writeTimestamp_isRFC3339InUTC(ts: Timestamp, expected: String) throws {
        #expect(try JSONWriter.encodeString(.timestamp(ts)) == expected)
    }

    @Test func writeTimestamp_outOfRange_throws() {
        #expect(throws: JSONEncodingError.self) { try JSONWriter.encode(.timestamp(Timestamp(seconds: 253_402_300_800))) }
    }

    @Test(arguments: [
        (CELDuration(seconds: 1, nanos: 500_000_000), #""1.500s""#),
        (CELDuration(seconds: 0), #""0s""#),
        (CELDuration(seconds: -2, nanos: -250_000), #""-2.000250s""#),
        (CELDuration(seconds: 0, nanos: -5), #""-0.000000005s""#),
        (CELDuration(seconds: 3600), #""3600s""#),
    ])
    func writeDuration_isSecondsWithSuffix(d: CELDuration, expected: String) throws {
        #expect(try JSONWriter.encodeString(.duration(d)) == expected)
    }

    @Test(arguments: [([UInt8](), #""""#), ([0x66], #""Zg==""#), ([0x66, 0x6f], #""Zm8=""#), (Array("foobar".utf8), #""Zm9vYmFy""#)])
    func writeBytes_isPaddedBase64(bytes: [UInt8], expected: String) throws {
        #expect(try JSONWriter.encodeString(.bytes(bytes)) == expected)
    }

    @Test func writeMap_nonStringKeysBecomeStrings_andOptionalAndTypeWrite() throws {
        var m = MapValue()
        m.storage[.int(-1)] = .optional(nil)
        m.storage[.uint(2)] = .optional(.string("x"))
        m.storage[.bool(true)] = .type(.int)
        #expect(try JSONWriter.encodeString(.map(m)) == #"{"-1":null,"2":"x","true":"int"}"#)
    }

    @Test func writeErrorOrUnknown_throws() {
        #expect(throws: JSONEncodingError.self) { try JSONWriter.encode(.list([.error(EvalError("boom"))])) }
        #expect(throws: JSONEncodingError.self) { try JSONWriter.encode(.unknown(UnknownSet([1]))) }
    }

    @Test func readThenWrite_roundTripsADocument() throws {
        let json = #"{"requestId":"r1","principal":{"id":"john","roles":["a","b"],"attr":{"n":1.25,"big":1e+300,"neg":-3,"s":"\u00e9\n"}},"x":[]}"#
        #expect(try JSONWriter.encodeString(try JSONReader.parse(json))
            == #"{"requestId":"r1","principal":{"id":"john","roles":["a","b"],"attr":{"n":1.25,"big":1e+300,"neg":-3,"s":"é\n"}},"x":[]}"#)
    }
}
