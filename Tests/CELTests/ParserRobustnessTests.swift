import Testing
@testable import CEL

/// Malformed and random input never crashes the parser: every parse yields either a tree with
/// no issues or issues with sensible positions and no tree.
@Suite struct ParserRobustnessTests {
    /// SplitMix64, so the inputs are the same on every run.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let fragments = [
        "a", "b.c", "1", "2u", "3.5", "-", "!", "+", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "&&", "||",
        "?", ":", "(", ")", "[", "]", "{", "}", ",", ".", ".?", "[?", "in", "'s'", "b'x'", "r'\\d'", "'''t'''",
        "has(", "all(", ".exists(", ".map(", "cel.bind(", "Msg{", "f:", "`q-r`", "null", "true", " ", "\n",
        "// c\n", "\"\\u00e9\"", "'\\x", "\"", "$", "é", "😀", "\t", "0x", "1e", "while", ".size()",
    ]

    private func checkInvariants(_ source: String, _ result: ParseResult) {
        if result.issues.isEmpty {
            #expect(result.expr != nil, "no issues but no tree for \(source.debugDescription)")
        } else {
            #expect(result.expr == nil, "issues and a tree for \(source.debugDescription)")
            let scalarCount = source.unicodeScalars.count
            for issue in result.issues {
                #expect(issue.offset >= 0 && issue.offset <= scalarCount, "\(issue) in \(source.debugDescription)")
                #expect(issue.line >= 1 && issue.column >= 1, "\(issue) in \(source.debugDescription)")
            }
            _ = result.renderedIssues(source: source)
        }
    }

    @Test func randomFragmentSoup_neverCrashes() {
        var generator = Generator(state: 42)
        let parser = Parser(options: .extended)
        for _ in 0..<3_000 {
            let count = Int.random(in: 1...25, using: &generator)
            var source = ""
            for _ in 0..<count {
                source += Self.fragments.randomElement(using: &generator)!
            }
            checkInvariants(source, parser.parse(source))
        }
    }

    @Test func mutatedConformanceExpressions_neverCrash() throws {
        var generator = Generator(state: 7)
        let parser = Parser(options: .extended)
        var mutated = 0
        for file in ConformanceData.celSpecFiles() {
            for test in try ConformanceData.cases(in: file) {
                var scalars = Array(test.expr.unicodeScalars)
                guard !scalars.isEmpty else { continue }
                let position = Int.random(in: 0..<scalars.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: scalars.remove(at: position)
                case 1: scalars.insert(Self.fragments.randomElement(using: &generator)!.unicodeScalars.first!, at: position)
                default: scalars.swapAt(position, Int.random(in: 0..<scalars.count, using: &generator))
                }
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars)
                let source = String(view)
                checkInvariants(source, parser.parse(source))
                mutated += 1
            }
        }
        #expect(mutated > 2000)
    }
}
