/// Matchers for the name patterns of Cerbos's policy schema.
///
/// Written by hand rather than with a regex engine: they run for every name in every policy on
/// each reload (tens of thousands per large tree), Foundation's NSRegularExpression costs an
/// allocation-heavy bridge per call on Linux, and these patterns are all simple character classes.
/// Go's `\w` is ASCII-only, so these are too.
public enum NamePattern {
    /// `^[^!*?\[\]{}]+$`: resource kinds, principal ids, role names (no glob characters).
    public static let resourcePattern = "^[^!*?\\[\\]{}]+$"
    /// `^\w+$`: versions.
    public static let versionPattern = "^\\w+$"
    /// Scope pattern: empty, `.`, or dotted segments.
    public static let scopePattern = "^(^$|\\.|[0-9a-zA-Z][\\w\\-]*(\\.\\w[\\w\\-]*)*)$"
    /// `^[\w\-\.]+$`: derived role names and import names.
    public static let importNamePattern = "^[\\w\\-\\.]+$"
    /// `^([a-zA-Z][\w@.\-]*)*$`: rule names.
    public static let ruleNamePattern = "^([a-zA-Z][\\w@.\\-]*)*$"
    /// `^[_a-zA-Z][_a-zA-Z0-9]*$`: variable and constant names.
    public static let identifierPattern = "^[_a-zA-Z][_a-zA-Z0-9]*$"

    /// Names CEL reserves that cannot be variable or constant names.
    public static let reservedIdentifiers: Set<String> = ["true", "false", "null", "in"]

    @inline(__always) static func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    @inline(__always) static func isWord(_ b: UInt8) -> Bool { isAlpha(b) || isDigit(b) || b == 0x5F }

    /// Matches ``resourcePattern``.
    public static func isResourceName(_ s: String) -> Bool {
        guard !s.isEmpty else { return false }
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "!"), UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "["), UInt8(ascii: "]"),
                 UInt8(ascii: "{"), UInt8(ascii: "}"): return false
            default: continue
            }
        }
        return true
    }

    /// Matches ``versionPattern``.
    public static func isVersion(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy(isWord)
    }

    /// Matches ``scopePattern``.
    public static func isScope(_ s: String) -> Bool {
        if s.isEmpty || s == "." { return true }
        var atSegmentStart = true
        var first = true
        for b in s.utf8 {
            if atSegmentStart {
                // The first segment must start with an alphanumeric; later ones with any word character.
                guard first ? (isAlpha(b) || isDigit(b)) : isWord(b) else { return false }
                atSegmentStart = false
                first = false
            } else if b == UInt8(ascii: ".") {
                atSegmentStart = true
            } else if !(isWord(b) || b == UInt8(ascii: "-")) {
                return false
            }
        }
        return !atSegmentStart
    }

    /// Matches ``importNamePattern``.
    public static func isImportName(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { isWord($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
    }

    /// Matches ``ruleNamePattern`` (the empty name matches).
    public static func isRuleName(_ s: String) -> Bool {
        guard let first = s.utf8.first else { return true }
        guard isAlpha(first) else { return false }
        return s.utf8.allSatisfy { isWord($0) || $0 == UInt8(ascii: "@") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    /// Matches ``identifierPattern`` (reserved words are checked separately).
    public static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.utf8.first, isAlpha(first) || first == 0x5F else { return false }
        return s.utf8.allSatisfy(isWord)
    }

    /// Why `name` cannot be a variable or constant name, or nil when it can.
    public static func identifierProblem(_ name: String) -> String? {
        if !isIdentifier(name) { return "\"\(name)\" is not a valid identifier" }
        if reservedIdentifiers.contains(name) { return "\"\(name)\" is a reserved keyword and can't be used as an identifier" }
        return nil
    }
}
