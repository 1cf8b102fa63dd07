import Testing
@testable import ArbiterYAML

@Suite struct YAMLParserTests {
    private func parseOne(_ text: String) throws -> YAMLNode {
        let docs = try YAMLParser.parse(text, file: "t.yaml")
        try #require(docs.count == 1)
        return docs[0]
    }

    private func value(_ node: YAMLNode, _ key: String) -> YAMLNode? {
        node.mapping?.first { $0.key.scalar?.value == key }?.value
    }

    @Test func nodes_carryFileLineAndOneBasedColumn() throws {
        let root = try parseOne("a: 1\nb:\n  - x\n  - y: z\n")
        #expect(root.file == "t.yaml")
        #expect(root.mark == YAMLMark(line: 1, column: 1))
        let b = try #require(value(root, "b"))
        let items = try #require(b.sequence)
        #expect(items[0].mark == YAMLMark(line: 3, column: 5))
        #expect(items[1].mark == YAMLMark(line: 4, column: 5))
        let pair = try #require(items[1].mapping?.first)
        #expect(pair.key.mark == YAMLMark(line: 4, column: 5))
        #expect(pair.value.mark == YAMLMark(line: 4, column: 8))
    }

    @Test func mapping_keepsSourceOrder() throws {
        let root = try parseOne("z: 1\na: 2\nm: 3\n")
        #expect(root.mapping?.map { $0.key.scalar!.value } == ["z", "a", "m"])
    }

    @Test func scalars_keepStyleAndTag() throws {
        let root = try parseOne("p: plain\ns: 'single'\nd: \"double\"\nl: |\n  lit\nf: >\n  fol\nt: !!str 12\n")
        #expect(value(root, "p")?.scalar?.style == .plain)
        #expect(value(root, "s")?.scalar?.style == .singleQuoted)
        #expect(value(root, "d")?.scalar?.style == .doubleQuoted)
        #expect(value(root, "l")?.scalar?.style == .literal)
        #expect(value(root, "l")?.scalar?.value == "lit\n")
        #expect(value(root, "f")?.scalar?.style == .folded)
        #expect(value(root, "t")?.scalar?.tag == "tag:yaml.org,2002:str")
        #expect(value(root, "t")?.scalar?.resolved == .string("12"))
    }

    @Test func blockScalar_contentStartsOnNextLineAtItsIndentation() throws {
        let root = try parseOne("rule:\n  expr: |-\n\n      a == b\n      && c\n")
        let rule = try #require(value(root, "rule"))
        let expr = try #require(value(rule, "expr"))
        #expect(expr.mark == YAMLMark(line: 2, column: 9))
        #expect(expr.scalar?.contentStart == YAMLMark(line: 4, column: 7))
        #expect(expr.scalar?.value == "\na == b\n&& c")
    }

    @Test func quotedScalar_contentStartsAfterQuote() throws {
        let root = try parseOne("expr: 'a == b'\n")
        #expect(value(root, "expr")?.scalar?.contentStart == YAMLMark(line: 1, column: 8))
    }

    @Test func aliases_resolveToAnchoredNode() throws {
        let root = try parseOne("a: &x [1, 2]\nb: *x\n")
        #expect(value(root, "b")?.sequence?.map { $0.scalar!.value } == ["1", "2"])
    }

    @Test func aliases_resolveAcrossDocuments() throws {
        let docs = try YAMLParser.parse("a: &x hello\n---\nb: *x\n", file: "t.yaml")
        #expect(docs.count == 2)
        #expect(value(docs[1], "b")?.scalar?.value == "hello")
    }

    @Test func unknownAlias_isAnErrorWithPosition() {
        #expect(throws: YAMLError.self) { try YAMLParser.parse("a: *nope\n", file: "t.yaml") }
    }

    @Test func mergeKey_explicitKeysWinWherever_theyAppear() throws {
        let root = try parseOne("base: &b {x: 1, y: 2}\nm:\n  y: 9\n  <<: *b\n")
        let m = try #require(value(root, "m")?.mapping)
        #expect(m.map { $0.key.scalar!.value } == ["y", "x"])
        #expect(m.first { $0.key.scalar?.value == "y" }?.value.scalar?.value == "9")
    }

    @Test func mergeKey_sequenceOfMappings_earlierWins() throws {
        let root = try parseOne("a: &a {k: 1}\nb: &b {k: 2, j: 3}\nm:\n  <<: [*a, *b]\n")
        let m = try #require(value(root, "m"))
        #expect(value(m, "k")?.scalar?.value == "1")
        #expect(value(m, "j")?.scalar?.value == "3")
    }

    @Test func mergeKey_withScalarValue_isAnError() {
        #expect(throws: YAMLError.self) { try YAMLParser.parse("m:\n  <<: 3\n", file: "t.yaml") }
    }

    @Test func quotedMergeKey_isAnOrdinaryKey() throws {
        let root = try parseOne("m:\n  '<<': 3\n")
        let m = try #require(value(root, "m"))
        #expect(value(m, "<<")?.scalar?.value == "3")
    }

    @Test(arguments: ["", "   ", "# only a comment\n# and another\n", "\n\n"])
    func emptyOrCommentOnlyInput_yieldsNoDocuments(_ text: String) throws {
        #expect(try YAMLParser.parse(text, file: "t.yaml").isEmpty)
    }

    @Test func multipleDocuments_areAllReturned() throws {
        #expect(try YAMLParser.parse("a: 1\n---\nb: 2\n", file: "t.yaml").count == 2)
    }

    @Test func syntaxError_reportsProblemAndPosition() {
        do {
            _ = try YAMLParser.parse("a: 1\nb: \"unterminated\n", file: "bad.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.file == "bad.yaml")
            #expect(error.mark.line >= 2)
            #expect(error.message.contains("quoted scalar"))
        }
    }

    @Test func json_escapesIncludingSlashAndUnicode() throws {
        let root = try parseOne(#"{"a": "x\/y", "b": "caf\u00e9 \u2713", "c": [1, 2.5, true, null]}"#)
        #expect(value(root, "a")?.scalar?.value == "x/y")
        #expect(value(root, "b")?.scalar?.value == "café ✓")
        let c = try #require(value(root, "c")?.sequence)
        #expect(c.map { $0.scalar!.resolved } == [.int(1), .double(2.5), .bool(true), .null])
    }

    @Test func json_quotedValuesStayStrings() throws {
        let root = try parseOne(#"{"n": "12", "t": "true"}"#)
        #expect(value(root, "n")?.scalar?.resolved == .string("12"))
        #expect(value(root, "t")?.scalar?.resolved == .string("true"))
    }

    @Test func aliasBomb_failsInsteadOfExhaustingMemory() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 {
            text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        #expect(throws: YAMLError.self) { try YAMLParser.parse(text, file: "bomb.yaml") }
    }
}

@Suite struct JSONSurrogateTests {
    @Test func json_surrogatePairEscapes_decodeToOneCharacter() throws {
        let docs = try YAMLParser.parse(#"{"e": "a\ud83d\ude00b", "k": "\\ud83d\\ude00"}"#, file: "t.json")
        let pairs = try #require(docs.first?.mapping)
        #expect(pairs[0].value.scalar?.value == "a😀b")
        #expect(pairs[1].value.scalar?.value == #"\ud83d\ude00"#)
    }

    @Test func json_loneSurrogate_isStillAnError() {
        #expect(throws: YAMLError.self) { try YAMLParser.parse(#"{"e": "\ud83d"}"#, file: "t.json") }
    }

    @Test func json_tabsBetweenTokens_areAccepted() throws {
        let docs = try YAMLParser.parse("{\n\t\"a\":\t\"b\"\n}", file: "t.json")
        #expect(docs.first?.mapping?.first?.value.scalar?.value == "b")
    }
}

@Suite struct BlockScalarOffsetTests {
    private func scalar(_ text: String) throws -> YAMLScalar {
        let docs = try YAMLParser.parse(text, file: "t.yaml")
        return try #require(docs.first?.mapping?.first?.value.scalar)
    }

    /// Every recorded line start must point at the character the source line begins with.
    private func checkLineStarts(_ s: YAMLScalar, source: String) {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        let value = Array(s.value.unicodeScalars)
        for start in s.lineStarts {
            let line = Array(lines[start.mark.line - 1].unicodeScalars)
            #expect(value[start.offset] == line[start.mark.column - 1], "line \(start.mark.line)")
        }
    }

    @Test func literal_mapsEveryOffsetToItsLine() throws {
        let source = "expr: |\n  a &&\n\n    b ||\n  café\n"
        let s = try scalar(source)
        #expect(s.value == "a &&\n\n  b ||\ncafé\n")
        checkLineStarts(s, source: source)
        #expect(s.location(ofOffset: 0) == YAMLMark(line: 2, column: 3))
        #expect(s.location(ofOffset: 8) == YAMLMark(line: 4, column: 5))
        #expect(s.location(ofOffset: 13) == YAMLMark(line: 5, column: 3))
    }

    @Test func folded_mapsOffsetsAcrossFoldedBreaks() throws {
        let source = "expr: >-\n  a ==\n  b\n\n  && c\n    more\n  d\n"
        let s = try scalar(source)
        #expect(s.value == "a == b\n&& c\n  more\nd")
        checkLineStarts(s, source: source)
        #expect(s.location(ofOffset: 5) == YAMLMark(line: 3, column: 3))
        #expect(s.location(ofOffset: 10) == YAMLMark(line: 5, column: 6))
    }

    @Test func flowScalar_offsetsCountFromAfterTheQuote() throws {
        let s = try scalar("expr: \"a == b\"\n")
        #expect(s.location(ofOffset: 5) == YAMLMark(line: 1, column: 13))
    }
}

@Suite struct YAMLLimitTests {
    @Test func deeplyNestedInput_failsWithAPositionInsteadOfCrashing() {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        do {
            _ = try YAMLParser.parse(text, file: "deep.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("nested more than"))
            #expect(error.mark == YAMLMark(line: 1, column: YAMLParser.maximumDepth + 1))
        }
    }

    @Test func invalidUTF8_isAnError() {
        #expect(throws: YAMLError.self) { try YAMLParser.parse([0x61, 0x3A, 0x20, 0xFF, 0xFE, 0x0A], file: "bin.yaml") }
    }

    /// The expansion guard counts each node once: a deep but small document is not "too large".
    /// (It used to recount every subtree once per enclosing level.)
    @Test func deepButSmallDocument_isNotMistakenForAnAliasBomb() throws {
        var text = ""
        for depth in 0..<200 {
            let indent = String(repeating: "  ", count: depth)
            text += indent + "k\(depth):\n"
            for i in 0..<120 { text += indent + "  s\(i): v\n" }
        }
        text += String(repeating: "  ", count: 200) + "leaf: end\n"
        let documents = try YAMLParser.parse(Array(text.utf8), file: "deep.yaml")
        #expect(documents.count == 1)
    }
}
