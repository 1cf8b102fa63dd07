import ArbiterJSON
import CEL
import Foundation
import JWTKit

/// Reads a JWK set (`{"keys": [...]}`) or a single JWK into verification keys. The JSON is
/// checked here, with Cerbos's messages; each key's cryptography is JWTKit's (`JWK`,
/// `JWTKeyCollection`).
enum JWKSetParser {
    static func keySet(_ bytes: [UInt8], optionalAlg: Bool, optionalKid: Bool) async throws(KeySetError) -> JWTKeySet {
        let document: Value
        do {
            document = try JSONReader.parse(bytes)
        } catch {
            throw KeySetError("failed to parse key data: \(error)")
        }
        guard case let .map(root) = document else { throw KeySetError("failed to parse key data: not a JSON object") }
        var entries: [MapValue] = []
        if let list = root[string: "keys"] {
            guard case let .list(items) = list else { throw KeySetError("failed to parse key data: \"keys\" must be an array") }
            for (i, item) in items.enumerated() {
                guard case let .map(m) = item else { throw KeySetError("failed to parse key data: key at idx \(i) is not an object") }
                entries.append(m)
            }
        } else {
            entries = [root]
        }
        // Parsing comes before validation, as in jwx: an unknown `alg` fails the whole document.
        for entry in entries {
            if let alg = entry[string: "alg"] {
                guard case let .string(name) = alg, JWSAlgorithmNames.signing.contains(name)
                    || JWSAlgorithmNames.encryption.contains(name) else { throw KeySetError("invalid algorithm (alg)") }
            }
        }
        if !(optionalAlg && optionalKid) {
            for (i, entry) in entries.enumerated() {
                if let problem = validationProblem(entry, optionalAlg: optionalAlg, optionalKid: optionalKid) {
                    throw KeySetError("failed to validate key at idx \(i): \(problem)")
                }
            }
        }
        var keys: [VerificationKey] = []
        for (i, entry) in entries.enumerated() {
            if case .string("enc")? = entry[string: "use"] { continue }
            if case let .string(alg)? = entry[string: "alg"], JWSAlgorithmNames.encryption.contains(alg) { continue }
            do {
                keys.append(try await key(entry))
            } catch let e as KeySetError {
                throw KeySetError("failed to parse key data: key at idx \(i): \(e.message)")
            } catch {
                throw KeySetError("failed to parse key data: key at idx \(i): \(error)")
            }
        }
        if keys.isEmpty { throw KeySetError("failed to parse key data: no signing keys in the key set") }
        return JWTKeySet(keys: keys)
    }

    /// Cerbos's key validation: `alg` and `kid` present and non-empty unless optional.
    static func validationProblem(_ entry: MapValue, optionalAlg: Bool, optionalKid: Bool) -> String? {
        if !optionalAlg {
            guard let alg = entry[string: "alg"] else { return "missing algorithm (alg)" }
            if case .string("") = alg { return "empty algorithm (alg)" }
        }
        if !optionalKid {
            guard let kid = entry[string: "kid"] else { return "missing key ID (kid)" }
            if case .string("") = kid { return "empty key ID (kid)" }
        }
        return nil
    }

    /// One key: its `kid`, its `alg` (or every algorithm of its type) and JWTKit's verifiers.
    private static func key(_ entry: MapValue) async throws -> VerificationKey {
        guard case let .string(kty)? = entry[string: "kty"] else { throw KeySetError("missing key type (kty)") }
        var kid: String?
        if case let .string(k)? = entry[string: "kid"], !k.isEmpty { kid = k }
        var declared: String?
        if case let .string(a)? = entry[string: "alg"], !a.isEmpty { declared = a }
        let candidates: [String]
        switch kty {
        case "RSA": candidates = JWSAlgorithmNames.rsa
        case "oct": candidates = JWSAlgorithmNames.hmac
        case "OKP": candidates = [JWSAlgorithmNames.eddsa]
        case "EC":
            guard case let .string(crv)? = entry[string: "crv"], let alg = JWSAlgorithmNames.ecdsaByCurve[crv] else {
                throw KeySetError("unsupported or missing EC curve (crv)")
            }
            candidates = [alg]
        default:
            throw KeySetError("unsupported key type (kty) \"\(kty)\"")
        }
        let algorithms = declared.map { [$0] } ?? candidates
        guard algorithms.allSatisfy(candidates.contains) else {
            throw KeySetError("algorithm \(declared ?? "") does not fit key type \(kty)")
        }
        var verifiers: [String: any JWTAlgorithm] = [:]
        if kty == "oct" {
            guard case let .string(k)? = entry[string: "k"], let secret = Base64URL.decode(k) else {
                throw KeySetError("missing or invalid symmetric key (k)")
            }
            for alg in algorithms { verifiers[alg] = try await hmacVerifier(secret, alg: alg) }
        } else {
            // JWTKit's JWK reads the key material; `kid` is stood in for because its key
            // collection files keys by `kid`, while selection by `kid` is done here.
            var jwk = try JWK(json: JSONWriter.encodeString(.map(entry)))
            jwk.keyIdentifier = JWKIdentifier(string: "key")
            for alg in algorithms {
                jwk.algorithm = JWK.Algorithm(rawValue: alg)
                let collection = JWTKeyCollection()
                try await collection.add(jwk: jwk)
                verifiers[alg] = try await collection.getKey(for: JWKIdentifier(string: "key"), alg: alg)
            }
        }
        return VerificationKey(kid: kid, declaredAlgorithm: declared, algorithms: verifiers)
    }

    private static func hmacVerifier(_ secret: [UInt8], alg: String) async throws -> any JWTAlgorithm {
        let digest: DigestAlgorithm = switch alg {
        case "HS384": .sha384
        case "HS512": .sha512
        default: .sha256
        }
        let collection = JWTKeyCollection()
        await collection.add(hmac: HMACKey(from: secret), digestAlgorithm: digest, kid: JWKIdentifier(string: "key"))
        return try await collection.getKey(for: JWKIdentifier(string: "key"))
    }
}
