import Foundation
import JWTKit

/// Reads PEM blocks (public keys, private keys, certificates) into verification keys with
/// JWTKit's key types. PEM keys carry neither `kid` nor `alg`, so, as in Cerbos, tokens verify
/// with them only under the insecure `optionalKid` and `optionalAlg` options.
enum PEMKeyParser {
    static func keySet(_ bytes: [UInt8]) async throws(KeySetError) -> JWTKeySet {
        let text = String(decoding: bytes, as: UTF8.self)
        let blocks = Self.blocks(text)
        if blocks.isEmpty { throw KeySetError("failed to parse key data: no PEM blocks found") }
        var keys: [VerificationKey] = []
        for (i, block) in blocks.enumerated() {
            guard let algorithms = await verifiers(block) else {
                throw KeySetError("failed to parse key data: PEM block \(i) (\(block.label)) is not a supported RSA, EC or Ed25519 key")
            }
            keys.append(VerificationKey(kid: nil, declaredAlgorithm: nil, algorithms: algorithms))
        }
        return JWTKeySet(keys: keys)
    }

    struct Block {
        var label: String
        var text: String
    }

    /// The `-----BEGIN X-----` … `-----END X-----` blocks of `text`, in order.
    static func blocks(_ text: String) -> [Block] {
        var out: [Block] = []
        var rest = Substring(text)
        while let begin = rest.range(of: "-----BEGIN ") {
            guard let labelEnd = rest[begin.upperBound...].range(of: "-----") else { break }
            let label = String(rest[begin.upperBound..<labelEnd.lowerBound])
            let endMarker = "-----END \(label)-----"
            guard let end = rest[labelEnd.upperBound...].range(of: endMarker) else { break }
            out.append(Block(label: label, text: String(rest[begin.lowerBound..<end.upperBound])))
            rest = rest[end.upperBound...]
        }
        return out
    }

    /// Every algorithm the block's key can verify, or nil when no JWTKit key type reads it.
    /// Each key type is tried in turn: a PEM label does not say which curve or algorithm.
    private static func verifiers(_ block: Block) async -> [String: any JWTAlgorithm]? {
        let pem = block.text
        if block.label == "CERTIFICATE" {
            if let v = await ecdsa([("ES256", { try ES256PublicKey(certificate: pem) }), ("ES384", { try ES384PublicKey(certificate: pem) }),
                                    ("ES512", { try ES512PublicKey(certificate: pem) })]) { return v }
            if let k = try? Insecure.RSA.PublicKey(certificatePEM: pem) { return await rsaVerifiers(k) }
            return nil
        }
        if block.label.hasSuffix("PRIVATE KEY") {
            if let v = await ecdsa([("ES256", { try ES256PrivateKey(pem: pem) }), ("ES384", { try ES384PrivateKey(pem: pem) }),
                                    ("ES512", { try ES512PrivateKey(pem: pem) })]) { return v }
            if let k = try? Insecure.RSA.PrivateKey(pem: pem) { return await rsaVerifiers(k) }
            if let k = try? EdDSA.PrivateKey(pem: pem) { return await eddsaVerifier(k) }
            return nil
        }
        if let v = await ecdsa([("ES256", { try ES256PublicKey(pem: pem) }), ("ES384", { try ES384PublicKey(pem: pem) }),
                                ("ES512", { try ES512PublicKey(pem: pem) })]) { return v }
        if let k = try? Insecure.RSA.PublicKey(pem: pem) { return await rsaVerifiers(k) }
        if let k = try? EdDSA.PublicKey(pem: pem) { return await eddsaVerifier(k) }
        return nil
    }

    /// The verifier of the first curve whose key type reads the block.
    private static func ecdsa(_ attempts: [(alg: String, make: () throws -> any ECDSAKey)]) async -> [String: any JWTAlgorithm]? {
        for (alg, make) in attempts {
            guard let key = try? make() else { continue }
            let kid = JWKIdentifier(string: "key")
            let collection = JWTKeyCollection()
            await collection.add(ecdsa: key, kid: kid)
            return (try? await collection.getKey(for: kid)).map { [alg: $0] }
        }
        return nil
    }

    private static func eddsaVerifier(_ key: some EdDSAKey) async -> [String: any JWTAlgorithm]? {
        let kid = JWKIdentifier(string: "key")
        let collection = JWTKeyCollection()
        await collection.add(eddsa: key, kid: kid)
        return (try? await collection.getKey(for: kid)).map { ["EdDSA": $0] }
    }

    /// RS256…RS512 and PS256…PS512 for one RSA key.
    private static func rsaVerifiers(_ key: some RSAKey) async -> [String: any JWTAlgorithm]? {
        var out: [String: any JWTAlgorithm] = [:]
        let digests: [(String, DigestAlgorithm)] = [("256", .sha256), ("384", .sha384), ("512", .sha512)]
        for (bits, digest) in digests {
            let kid = JWKIdentifier(string: "key")
            let pkcs1 = JWTKeyCollection()
            await pkcs1.add(rsa: key, digestAlgorithm: digest, kid: kid)
            let pss = JWTKeyCollection()
            await pss.add(pss: key, digestAlgorithm: digest, kid: kid)
            guard let a = try? await pkcs1.getKey(for: kid), let b = try? await pss.getKey(for: kid) else { return nil }
            out["RS" + bits] = a
            out["PS" + bits] = b
        }
        return out
    }
}
