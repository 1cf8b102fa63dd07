/// Why a token was refused. `description` reads like Cerbos's error chain, e.g.
/// `failed to extract JWT: token has expired (exp)`.
public struct JWTVerificationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, without the `failed to extract JWT` prefix.
    public var reason: String

    /// Creates an error.
    public init(_ reason: String) { self.reason = reason }

    public var description: String { "failed to extract JWT: \(reason)" }

    /// Cerbos's text for an expired token.
    static let expired = JWTVerificationError("token has expired (exp)")
    /// Cerbos's text for a token used before its `nbf`.
    static let notYetValid = JWTVerificationError("token is not valid yet (nbf)")
    /// Cerbos's text for an `iat` in the future.
    static let issuedInFuture = JWTVerificationError("issued at time is in the future (iat)")

    /// Cerbos's generic text for a token that does not parse or verify, with the detail.
    static func unparsable(_ detail: String) -> JWTVerificationError {
        JWTVerificationError("failed to parse JWT: \(detail)")
    }
}
