import JWTKit

/// One key of a key set, ready for the request path: JWTKit's verifier for every JWS `alg`
/// the key may check, built once when the set is loaded (JWTKit's key collection is an actor,
/// but an algorithm's `verify` is synchronous and `Sendable`, so decisions never await).
struct VerificationKey: Sendable {
    /// `kid`; nil when the key has none (PEM keys, JWKs allowed by `optionalKid`).
    let kid: String?
    /// The key's own `alg`; nil when it has none, and then `algorithms` holds every algorithm
    /// of its key type, used only under `optionalAlg`.
    let declaredAlgorithm: String?
    /// `alg` name → verifier.
    let algorithms: [String: any JWTAlgorithm]
}

/// JWS algorithm names, grouped the way key types accept them.
enum JWSAlgorithmNames {
    static let rsa = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]
    static let hmac = ["HS256", "HS384", "HS512"]
    static let ecdsaByCurve = ["P-256": "ES256", "P-384": "ES384", "P-521": "ES512"]
    static let eddsa = "EdDSA"
    /// Every signature algorithm a key's `alg` may name.
    static let signing: Set<String> = Set(rsa + hmac + ecdsaByCurve.values + [eddsa])
    /// Key-management and encryption algorithms: valid in a JWK, but such a key signs nothing,
    /// so it is left out of the set rather than refused.
    static let encryption: Set<String> = [
        "RSA1_5", "RSA-OAEP", "RSA-OAEP-256", "RSA-OAEP-384", "RSA-OAEP-512", "A128KW", "A192KW", "A256KW", "dir",
        "ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW", "ECDH-ES+A256KW", "A128GCMKW", "A192GCMKW", "A256GCMKW",
        "PBES2-HS256+A128KW", "PBES2-HS384+A192KW", "PBES2-HS512+A256KW",
    ]
}
