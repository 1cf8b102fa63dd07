/// Cerbos's naming rules: sanitised resource and principal names, policy keys and rule names
/// (spec §2.7 and §2.11).
public enum PolicyNamer {
    /// The fallback policy name when no policy applies.
    public static let noMatch = "NO_MATCH"

    /// Sanitises a resource kind or principal id the way Cerbos does: a name shaped like
    /// `^[[:alpha:]][\w@.\-/]*(:[[:alpha:]][\w@.\-/]*)*$` has every run of characters outside
    /// `[\w.]` replaced by `_`; any other name is kept verbatim.
    public static func sanitized(_ name: String) -> String {
        // Most names need no change: skip the copy when every byte is already in `[\w.]`.
        if name.utf8.allSatisfy({ isWord($0) || $0 == UInt8(ascii: ".") }) { return name }
        let bytes = Array(name.utf8)
        guard isSanitizable(bytes) else { return name }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var inRun = false
        for b in bytes {
            if isWord(b) || b == UInt8(ascii: ".") {
                out.append(b)
                inRun = false
            } else if !inRun {
                out.append(UInt8(ascii: "_"))
                inRun = true
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isAlpha(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    private static func isWord(_ b: UInt8) -> Bool {
        isAlpha(b) || (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: "_")
    }

    /// Hand-written form of the §2.7 regex: colon-separated segments, each starting with a letter
    /// and continuing with `[\w@.\-/]`.
    private static func isSanitizable(_ bytes: [UInt8]) -> Bool {
        var atSegmentStart = true
        for b in bytes {
            if atSegmentStart {
                guard isAlpha(b) else { return false }
                atSegmentStart = false
            } else if b == UInt8(ascii: ":") {
                atSegmentStart = true
            } else if !(isWord(b) || b == UInt8(ascii: "@") || b == UInt8(ascii: ".")
                        || b == UInt8(ascii: "-") || b == UInt8(ascii: "/")) {
                return false
            }
        }
        return !atSegmentStart
    }

    /// Normalises a requested scope: a leading `.` is trimmed, so `"."` is the root scope.
    public static func normalisedScope(_ scope: String) -> String {
        scope.hasPrefix(".") ? String(scope.dropFirst()) : scope
    }

    private static func withScope(_ base: String, _ scope: String) -> String {
        scope.isEmpty ? base : base + "/" + scope
    }

    /// `resource.<kind>.v<version>[/<scope>]` with the kind sanitised.
    public static func resourcePolicyKey(kind: String, version: String, scope: String) -> String {
        withScope("resource.\(sanitized(kind)).v\(version)", scope)
    }

    /// `principal.<id>.v<version>[/<scope>]` with the id sanitised.
    public static func principalPolicyKey(principal: String, version: String, scope: String) -> String {
        withScope("principal.\(sanitized(principal)).v\(version)", scope)
    }

    /// `role.<role>.v<version>[/<scope>]` (role names are not sanitised).
    public static func rolePolicyKey(role: String, version: String, scope: String) -> String {
        withScope("role.\(role).v\(version)", scope)
    }

    /// The parents of a scope, nearest first: `a.b.c` gives `a.b`, `a`, `""`; the root has none.
    public static func scopeParents(_ scope: String) -> [String] {
        guard !scope.isEmpty else { return [] }
        var parents: [String] = []
        var current = Substring(scope)
        while let dot = current.lastIndex(of: ".") {
            current = current[..<dot]
            parents.append(String(current))
        }
        parents.append("")
        return parents
    }

    /// The default name of the `index`-th (0-based) resource-policy rule: `rule-001`.
    public static func defaultResourceRuleName(index: Int) -> String {
        "rule-" + threeDigits(index + 1)
    }

    /// The default name of a principal-policy action rule: `<resource>_rule-001`.
    public static func defaultPrincipalRuleName(resource: String, index: Int) -> String {
        "\(resource)_rule-" + threeDigits(index + 1)
    }

    private static func threeDigits(_ n: Int) -> String {
        let s = String(n)
        return s.count >= 3 ? s : String(repeating: "0", count: 3 - s.count) + s
    }
}
