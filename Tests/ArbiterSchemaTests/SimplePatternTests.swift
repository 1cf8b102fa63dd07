@testable import ArbiterSchema
import CEL
import Testing

/// `SimplePattern` answers exactly as RE2 does for the patterns it accepts, and refuses the rest.
@Suite struct SimplePatternTests {
    static let supported = [
        "^[A-Z]{2}[0-9]{3,}$", "^[0-9]{5}$", "[a-c]+x", "^a?b*c+$", "ab{2,3}c", #"^\d+-\w*$"#, "[-a]", "[]a]b", "^$", "",
        "x{0}", "^[a-z_][a-z0-9_]{0,3}$", #"\."#, #"a\$"#, "^[A-Za-z ]+$", #"\s"#, "z$", "^a", "a{2}", "[0-9]{2,4}[a-b]?$", "[.]",
    ]
    static let unsupported = ["a|b", "(ab)", "a.b", "[^a]", "a*?", #"a\b"#, #"\p{L}"#, "[[:alpha:]]", "a{2}{3}", #"\D"#, "(?i)a"]

    /// Deterministic texts over an alphabet that exercises classes, anchors and non-ASCII bytes.
    static func texts() -> [String] {
        let alphabet = Array("aAbBcZxz019_-. $\n]é")
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var out = ["", "XX125", "XX12", "xx125", "AB1234567", "10001", "1000", "abbc", "abbbbc", String(repeating: "a", count: 70)]
        for _ in 0..<400 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            var text = ""
            for k in 0..<Int(state >> 60) {
                text.append(alphabet[Int((state >> UInt64(4 * (k % 12))) & 0xFF) % alphabet.count])
            }
            out.append(text)
        }
        return out
    }

    @Test(arguments: supported)
    func simplePattern_agreesWithRE2(pattern: String) throws {
        let simple = try #require(SimplePattern(pattern))
        let re2 = try RE2Regex(pattern)
        for text in Self.texts() {
            let answer = simple.matches(text)
            if text.utf8.count >= 64 { #expect(answer == nil) } else { #expect(answer == re2.matches(text), "\(pattern) on \(text.debugDescription)") }
        }
    }

    @Test(arguments: unsupported)
    func simplePattern_refusesWhatItCannotMatch(pattern: String) {
        #expect(SimplePattern(pattern) == nil)
    }
}
