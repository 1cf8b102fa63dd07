/// A compiled glob in the gobwas/glob dialect with `:` as the separator, as Cerbos uses for
/// actions, roles and resource kinds.
///
/// `*` matches any run of characters except `:`, `**` matches anything, `?` one non-separator
/// character, `[abc]`/`[!a-z]` a character class and `{a,b}` alternatives. A pattern that is
/// exactly `*` is treated as `**` (Cerbos rewrites it so that it matches every name).
public struct GlobPattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern text as written.
    public let source: String
    private let matcher: Matcher

    private enum Matcher: Sendable, Hashable {
        case everything
        case exact([UInt8])
        /// `prefix*` where the star may not cross a separator (the common `view:*` shape).
        case prefixSegment([UInt8])
        case general([Token])
    }

    fileprivate indirect enum Token: Sendable, Hashable {
        case literal(UInt8)
        case star
        case superStar
        case single
        case charClass(ranges: [ClosedRange<UInt8>], negated: Bool)
        case alternatives([[Token]])
    }

    private static let separator = UInt8(ascii: ":")

    /// Compiles `pattern`; malformed brackets or braces are taken literally rather than rejected.
    public init(_ pattern: String) {
        source = pattern
        let bytes = Array(pattern.utf8)
        if pattern == "*" || pattern == "**" {
            matcher = .everything
            return
        }
        var parser = GlobParser(bytes: bytes)
        let tokens = parser.parseSequence(stopAtComma: false)
        if tokens.allSatisfy({ if case .literal = $0 { return true } else { return false } }) {
            matcher = .exact(bytes)
        } else if case .star? = tokens.last,
                  tokens.dropLast().allSatisfy({ if case .literal = $0 { return true } else { return false } }) {
            matcher = .prefixSegment(Array(bytes.dropLast()))
        } else {
            matcher = .general(tokens)
        }
    }

    /// Whether the pattern contains glob syntax; Cerbos compares other keys exactly.
    public static func isGlob(_ text: String) -> Bool { text.contains("*") }

    /// Whether `name` matches the whole pattern.
    public func matches(_ name: String) -> Bool {
        switch matcher {
        case .everything:
            return true
        case let .exact(bytes):
            return name.utf8.elementsEqual(bytes)
        case let .prefixSegment(prefix):
            let utf8 = name.utf8
            guard utf8.count >= prefix.count, utf8.starts(with: prefix) else { return false }
            return !utf8.dropFirst(prefix.count).contains(Self.separator)
        case let .general(tokens):
            let bytes = Array(name.utf8)
            return Self.match(tokens[...], bytes[...])
        }
    }

    public var description: String { source }

    private static func match(_ tokens: ArraySlice<Token>, _ input: ArraySlice<UInt8>) -> Bool {
        guard let first = tokens.first else { return input.isEmpty }
        let rest = tokens.dropFirst()
        switch first {
        case let .literal(byte):
            guard input.first == byte else { return false }
            return match(rest, input.dropFirst())
        case .single:
            guard let c = input.first, c != separator else { return false }
            return match(rest, input.dropFirst())
        case let .charClass(ranges, negated):
            guard let c = input.first else { return false }
            let inClass = ranges.contains { $0.contains(c) }
            guard inClass != negated else { return false }
            return match(rest, input.dropFirst())
        case .star:
            var remaining = input
            while true {
                if match(rest, remaining) { return true }
                guard let c = remaining.first, c != separator else { return false }
                remaining = remaining.dropFirst()
            }
        case .superStar:
            var remaining = input
            while true {
                if match(rest, remaining) { return true }
                guard !remaining.isEmpty else { return false }
                remaining = remaining.dropFirst()
            }
        case let .alternatives(options):
            for option in options where match(ArraySlice(option + rest), input) { return true }
            return false
        }
    }
}

/// Turns glob bytes into tokens; kept apart so the matcher stays small.
private struct GlobParser {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func parseSequence(stopAtComma: Bool) -> [GlobPattern.Token] {
        var tokens: [GlobPattern.Token] = []
        while index < bytes.count {
            let c = bytes[index]
            switch c {
            case UInt8(ascii: ",") where stopAtComma, UInt8(ascii: "}") where stopAtComma:
                return tokens
            case UInt8(ascii: "\\") where index + 1 < bytes.count:
                tokens.append(.literal(bytes[index + 1]))
                index += 2
            case UInt8(ascii: "*"):
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "*") {
                    tokens.append(.superStar)
                    index += 2
                } else {
                    tokens.append(.star)
                    index += 1
                }
            case UInt8(ascii: "?"):
                tokens.append(.single)
                index += 1
            case UInt8(ascii: "["):
                if let cls = parseClass() { tokens.append(cls) } else { tokens.append(.literal(c)); index += 1 }
            case UInt8(ascii: "{"):
                let start = index
                if let alt = parseAlternatives() { tokens.append(alt) } else { index = start + 1; tokens.append(.literal(c)) }
            default:
                tokens.append(.literal(c))
                index += 1
            }
        }
        return tokens
    }

    private mutating func parseClass() -> GlobPattern.Token? {
        var i = index + 1
        var negated = false
        if i < bytes.count, bytes[i] == UInt8(ascii: "!") || bytes[i] == UInt8(ascii: "^") { negated = true; i += 1 }
        var ranges: [ClosedRange<UInt8>] = []
        while i < bytes.count, bytes[i] != UInt8(ascii: "]") {
            let lo = bytes[i]
            if i + 2 < bytes.count, bytes[i + 1] == UInt8(ascii: "-"), bytes[i + 2] != UInt8(ascii: "]") {
                let hi = bytes[i + 2]
                ranges.append(min(lo, hi)...max(lo, hi))
                i += 3
            } else {
                ranges.append(lo...lo)
                i += 1
            }
        }
        guard i < bytes.count, !ranges.isEmpty else { return nil }
        index = i + 1
        return .charClass(ranges: ranges, negated: negated)
    }

    private mutating func parseAlternatives() -> GlobPattern.Token? {
        index += 1
        var options: [[GlobPattern.Token]] = []
        while true {
            options.append(parseSequence(stopAtComma: true))
            guard index < bytes.count else { return nil }
            let c = bytes[index]
            index += 1
            if c == UInt8(ascii: "}") { return .alternatives(options) }
        }
    }
}
