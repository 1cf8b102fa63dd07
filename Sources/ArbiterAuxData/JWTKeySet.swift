import JWTKit

/// An immutable set of verification keys, loaded from a JWK set, a single JWK or PEM blocks.
public struct JWTKeySet: Sendable {
    let keys: [VerificationKey]

    init(keys: [VerificationKey]) { self.keys = keys }

    /// Number of keys usable for verification.
    public var count: Int { keys.count }

    /// The `kid`s of the keys, in document order (nil for keys without one).
    public var keyIDs: [String?] { keys.map(\.kid) }

    /// Loads a key set document. Non-PEM keys must carry `alg` and `kid` unless the insecure
    /// options allow otherwise (Cerbos validates JWKs, not PEM keys).
    public static func load(_ bytes: [UInt8], pem: Bool, optionalAlg: Bool = false, optionalKid: Bool = false)
        async throws(KeySetError) -> JWTKeySet
    {
        if pem { return try await PEMKeyParser.keySet(bytes) }
        return try await JWKSetParser.keySet(bytes, optionalAlg: optionalAlg, optionalKid: optionalKid)
    }

    /// The verifiers that may check a token with header `kid` and `alg`, as jwx selects them
    /// for Cerbos: the token's `kid` picks the keys with that `kid`, except under
    /// `optionalKid`, where every key is tried; a key with its own `alg` verifies only that
    /// algorithm, a key without one only under `optionalAlg`.
    func verifiers(kid: String?, alg: String, optionalKid: Bool, optionalAlg: Bool) -> [any JWTAlgorithm] {
        var out: [any JWTAlgorithm] = []
        for key in keys {
            if !optionalKid {
                guard let kid, key.kid == kid else { continue }
            }
            if let declared = key.declaredAlgorithm {
                guard declared == alg else { continue }
            } else if !optionalAlg {
                continue
            }
            if let verifier = key.algorithms[alg] { out.append(verifier) }
        }
        return out
    }
}
