import ArbiterJSON
@testable import ArbiterSchema
import CEL
import Testing

/// Punycode (RFC 3492) both ways, and the IDNA2008 rules behind the `hostname` and
/// `idn-hostname` formats beyond what the JSON Schema Test Suite covers.
@Suite struct IDNATests {
    @Test(arguments: [
        ("他们为什么不说中文", "ihqwcrb4cv8a8dqg056pqjye"),
        ("3年B組金八先生", "3B-ww4c5e180e575a65lsy2b"),
        ("bücher", "bcher-kva"),
        ("Pročprostěnemluvíčesky", "Proprostnemluvesky-uyb24dma41a"),
    ])
    func punycode_roundTrips_rfc3492Samples(unicode: String, punycode: String) throws {
        #expect(Punycode.encode(Array(unicode.unicodeScalars)) == punycode)
        let decoded = try #require(Punycode.decode(punycode[...].utf8))
        #expect(String(String.UnicodeScalarView(decoded)) == unicode)
    }

    @Test(arguments: ["X", "ab-X", "99999999999999999999", "a!", "b\u{E9}"])
    func punycode_rejectsTruncatedOverflowingOrNonBasicInput(text: String) {
        #expect(Punycode.decode(text[...].utf8) == nil)
    }

    func valid(_ format: String, _ text: String) throws -> Bool {
        let schema = try SchemaCompiler(assertFormat: true).compile(.map(MapValue(stringKeyed: [("format", .string(format))])), uri: "t.json")
        return schema.isValid(.string(text)) && schema.validate(.string(text)).isEmpty
    }

    @Test(arguments: [
        ("idn-hostname", "bücher.example", true),
        ("idn-hostname", "BÜCHER.example", false),       // Ü is not PVALID: U-labels are not case-mapped
        ("idn-hostname", "Bücher.example", true),        // ASCII letters compare case-insensitively
        ("hostname", "xn--bcher-kva.example", true),
        ("hostname", "XN--BCHER-KVA.example", true),
        ("hostname", "xn--bcher-kva9.example", false),   // decodes, but to another label
        ("hostname", "bücher.example", false),           // U-labels only in idn-hostname
        ("idn-hostname", "שלום.example", true),          // right-to-left label beside a left-to-right one
        ("idn-hostname", "שלום1.example", true),         // RTL label may end in a European digit
        ("idn-hostname", "1שלום.example", false),        // but not start with one
        ("idn-email", "user@bücher.example", true),
        ("idn-email", "user@xn--X.example", false),
        ("idn-hostname", "a\u{200C}b", false),           // ZWNJ between Latin letters: no joining context
    ])
    func hostnameFormats_followIDNA2008(format: String, text: String, expected: Bool) throws {
        #expect(try valid(format, text) == expected)
    }

    @Test func rangeTable_findsValuesAtRangeEdges() {
        let table = UnicodeRangeTable("2d=5,30-39=4,5d0-5ea=1")
        #expect(table.value("-") == 5)
        #expect(table.value("0") == 4 && table.value("9") == 4)
        #expect(table.value("a") == 0)
        #expect(table.value("\u{5D0}") == 1 && table.value("\u{5EA}") == 1 && table.value("\u{5EB}") == 0)
        #expect(table.value("\u{10FFFF}") == 0 && table.value("\u{0}") == 0)
        // The generated derived-property table: LDH is PVALID, upper case and space are not.
        #expect(IDNATables.derived.value("a") == 1 && IDNATables.derived.value("A") == 0 && IDNATables.derived.value(" ") == 0)
        #expect(IDNATables.derived.value("\u{200D}") == 2 && IDNATables.derived.value("\u{30FB}") == 3)
    }
}
