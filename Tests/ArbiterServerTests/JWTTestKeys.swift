import Foundation
import JWTKit

/// A fresh ES384 key pair per instance: tokens signed with it and its public JWKS, for the
/// server's auxData tests (the conformance keys are the ArbiterAuxData tests' fixtures).
struct JWTTestKey: Sendable {
    let kid: String
    let privateKey: ES384PrivateKey

    init(kid: String) {
        self.kid = kid
        privateKey = ES384PrivateKey()
    }

    /// The public half as a JWK object (JSON text).
    var publicJWK: String {
        let p = privateKey.publicKey.parameters!
        return #"{"kty":"EC","crv":"P-384","alg":"ES384","use":"sig","kid":"\#(kid)","x":"\#(p.x)","y":"\#(p.y)"}"#
    }

    /// `{"keys":[…]}` for `keys`.
    static func jwks(_ keys: [JWTTestKey]) -> String {
        #"{"keys":["# + keys.map(\.publicJWK).joined(separator: ",") + "]}"
    }

    struct Claims: JWTPayload {
        var sub: String
        var aud: [String]
        var exp: Int
        var department: String

        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    /// A token for `sub`, expiring `lifetime` seconds from now (negative: already expired).
    func token(sub: String, department: String = "engineering", lifetime: Int = 3600) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(ecdsa: privateKey, kid: JWKIdentifier(string: kid))
        let claims = Claims(sub: sub, aud: ["arbiter-tests"], exp: Int(Date().timeIntervalSince1970) + lifetime, department: department)
        return try await keys.sign(claims, kid: JWKIdentifier(string: kid))
    }
}
