import CEL

/// SPIFFE IDs, trust domains and matchers (`cerbos.lib.spiffeID`, `cerbos.lib.spiffeTrustDomain`,
/// `cerbos.lib.spiffeMatcher`), parsed by the rules of go-spiffe v2's `spiffeid` package.
public enum SPIFFE {
    /// A parse failure, with go-spiffe's wording.
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        /// The message, e.g. `path cannot contain dot segments`.
        public let message: String
        public var description: String { message }
        static let empty = ParseError(message: "cannot be empty")
        static let wrongScheme = ParseError(message: "scheme is missing or invalid")
        static let badTrustDomainChar = ParseError(
            message: "trust domain characters are limited to lowercase letters, numbers, dots, dashes, and underscores")
        static let missingTrustDomain = ParseError(message: "trust domain is missing")
        static let badPathSegmentChar = ParseError(
            message: "path segment characters are limited to letters, numbers, dots, dashes, and underscores")
        static let emptySegment = ParseError(message: "path cannot contain empty segments")
        static let dotSegment = ParseError(message: "path cannot contain dot segments")
        static let trailingSlash = ParseError(message: "path cannot have a trailing slash")
        static let noLeadingSlash = ParseError(message: "path must have a leading slash")
    }

    static let scheme = "spiffe://"

    static func isTrustDomainChar(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
            || c == UInt8(ascii: ".") || c == UInt8(ascii: "-") || c == UInt8(ascii: "_")
    }

    static func isPathChar(_ c: UInt8) -> Bool {
        isTrustDomainChar(c) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
    }

    /// Validates a path (`""` or `/seg/seg`), checking each segment as it ends.
    static func validatePath(_ path: [UInt8]) -> ParseError? {
        guard let first = path.first else { return nil }
        guard first == UInt8(ascii: "/") else { return .noLeadingSlash }
        var start = 0
        func segmentProblem(_ end: Int, last: Bool) -> ParseError? {
            let seg = path[start..<end]
            if seg.count == 1 { return last ? .trailingSlash : .emptySegment }
            if seg.dropFirst().allSatisfy({ $0 == UInt8(ascii: ".") }) && seg.count <= 3 { return .dotSegment }
            return nil
        }
        for (k, c) in path.enumerated() {
            if c == UInt8(ascii: "/") {
                if k > 0, let e = segmentProblem(k, last: false) { return e }
                start = k
                continue
            }
            if !isPathChar(c) { return .badPathSegmentChar }
        }
        return segmentProblem(path.count, last: true)
    }

    /// A SPIFFE ID such as `spiffe://example.org/service`.
    public struct ID: ObjectValue, Hashable {
        /// The CEL type name.
        public static let typeName = "cerbos.lib.spiffeID"
        /// The checker type.
        public static let checkedType = CheckedType.opaque(typeName, [])
        /// The whole ID as written.
        public let text: String
        /// The trust domain name.
        public let trustDomainName: String
        /// The path (empty or starting with `/`).
        public let path: String

        /// Parses like go-spiffe's `spiffeid.FromString`.
        public static func parse(_ s: String) -> Result<ID, ParseError> {
            let bytes = Array(s.utf8)
            if bytes.isEmpty { return .failure(.empty) }
            guard s.hasPrefix(SPIFFE.scheme) else { return .failure(.wrongScheme) }
            var k = SPIFFE.scheme.utf8.count
            let tdStart = k
            while k < bytes.count && bytes[k] != UInt8(ascii: "/") {
                if !isTrustDomainChar(bytes[k]) { return .failure(.badTrustDomainChar) }
                k += 1
            }
            if k == tdStart { return .failure(.missingTrustDomain) }
            if let e = validatePath(Array(bytes[k...])) { return .failure(e) }
            return .success(ID(text: s, trustDomainName: String(decoding: bytes[tdStart..<k], as: UTF8.self),
                               path: String(decoding: bytes[k...], as: UTF8.self)))
        }

        /// The trust domain this ID belongs to.
        public var trustDomain: TrustDomain { TrustDomain(name: trustDomainName) }

        public var celType: CELType { CELType(Self.typeName) }
        public func field(_ name: String) -> Value? { nil }
        public func isEqual(to other: any ObjectValue) -> Bool { (other as? ID)?.text == text }
    }

    /// A trust domain such as `example.org`.
    public struct TrustDomain: ObjectValue, Hashable {
        /// The CEL type name.
        public static let typeName = "cerbos.lib.spiffeTrustDomain"
        /// The checker type.
        public static let checkedType = CheckedType.opaque(typeName, [])
        /// The name, e.g. `example.org`.
        public let name: String

        /// Parses like go-spiffe's `spiffeid.TrustDomainFromString`: a bare name, or an ID
        /// (anything containing `:/`) whose trust domain is taken.
        public static func parse(_ s: String) -> Result<TrustDomain, ParseError> {
            if s.isEmpty { return .failure(.missingTrustDomain) }
            if GoStrings.split(s, ":/").count > 1 { return ID.parse(s).map(\.trustDomain) }
            guard s.utf8.allSatisfy(isTrustDomainChar) else { return .failure(.badTrustDomainChar) }
            return .success(TrustDomain(name: s))
        }

        /// `spiffe://<name>`.
        public var idString: String { SPIFFE.scheme + name }

        public var celType: CELType { CELType(Self.typeName) }
        public func field(_ name: String) -> Value? { nil }
        public func isEqual(to other: any ObjectValue) -> Bool { (other as? TrustDomain)?.name == name }
    }

    /// A predicate over SPIFFE IDs (`spiffeMatchAny()`, `spiffeMatchExact(id)` ...).
    public struct Matcher: ObjectValue {
        /// The CEL type name.
        public static let typeName = "cerbos.lib.spiffeMatcher"
        /// The checker type.
        public static let checkedType = CheckedType.opaque(typeName, [])

        /// What the matcher accepts.
        public enum Rule: Sendable, Hashable {
            case any
            case oneOf(Set<String>)
            case memberOf(String)
        }

        /// The rule.
        public let rule: Rule

        /// Whether `id` satisfies the rule.
        public func matches(_ id: ID) -> Bool {
            switch rule {
            case .any: return true
            case let .oneOf(ids): return ids.contains(id.text)
            case let .memberOf(td): return id.trustDomainName == td
            }
        }

        public var celType: CELType { CELType(Self.typeName) }
        public func field(_ name: String) -> Value? { nil }
        /// Matchers never compare equal, as in Cerbos.
        public func isEqual(to other: any ObjectValue) -> Bool { false }
    }
}
