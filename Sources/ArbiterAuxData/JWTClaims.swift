import CEL
import OrderedCollections

/// A token's claims as Cerbos hands them to CEL: the JSON payload as protobuf values
/// (numbers are doubles), except the registered claims jwx types: `aud` is always a list of
/// strings, and `exp`, `nbf` and `iat` are RFC 3339 strings in UTC, whole seconds.
struct JWTClaims: Sendable {
    /// `request.auxData.jwt` (or `jwts.<name>.claims`).
    let map: MapValue
    /// `exp`, `nbf` and `iat` in whole seconds, for validation on every use.
    let expiresAt: Int64?
    let notBefore: Int64?
    let issuedAt: Int64?

    private static let timeClaims = ["exp", "nbf", "iat"]
    private static let stringClaims = ["iss", "sub", "jti"]

    /// Reads the decoded payload; a registered claim of the wrong type is an error, as in jwx.
    init(payload: Value) throws(JWTVerificationError) {
        guard case let .map(object) = payload else { throw .unparsable("the payload is not a JSON object") }
        var out = MapValue()
        var times: [String: Int64] = [:]
        for (key, value) in object.storage {
            guard case let .string(name) = key else { continue }
            var converted = value
            if Self.timeClaims.contains(name) {
                guard case let .double(d) = value, d.isFinite, abs(d) < 1e15 else {
                    throw .unparsable("\(name) must be a number of seconds")
                }
                let seconds = Int64(d.rounded(.down))
                times[name] = seconds
                converted = .string(Timestamp(seconds: seconds).rfc3339)
            } else if Self.stringClaims.contains(name) {
                guard case .string = value else { throw .unparsable("\(name) must be a string") }
            } else if name == "aud" {
                switch value {
                case .string: converted = .list([value])
                case let .list(items):
                    guard items.allSatisfy({ if case .string = $0 { true } else { false } }) else {
                        throw .unparsable("aud must be a string or an array of strings")
                    }
                default:
                    throw .unparsable("aud must be a string or an array of strings")
                }
            }
            out.storage[key] = converted
        }
        map = out
        expiresAt = times["exp"]
        notBefore = times["nbf"]
        issuedAt = times["iat"]
    }

    /// jwx's checks at `now` with `skew` seconds of leeway: not expired, not before `nbf`,
    /// not issued in the future.
    func validate(now: Int64, skew: Int64) throws(JWTVerificationError) {
        if let exp = expiresAt, now >= exp + skew { throw .expired }
        if let nbf = notBefore, now + skew < nbf { throw .notYetValid }
        if let iat = issuedAt, iat > now + skew { throw .issuedInFuture }
    }
}
