import ArbiterAuxData
import ArbiterEngine
import CEL
import Foundation
import JWTKit
import OrderedCollections
import Testing

/// Token verification against the conformance keys, as Cerbos's `TestExtract_*` tests do:
/// ES384 tokens signed with `keys/signing_key.jwk`, verified with `keys/verify_key.jwk`.
@Suite struct TokenVerificationTests {
    static func verifier(skew: Duration = .seconds(60), extra: [JWTKeySetConfiguration] = [],
                         disableVerification: Bool = false, cacheSize: Int = 256) async throws -> AuxDataVerifier {
        var c = JWTConfiguration()
        c.acceptableTimeSkew = skew
        c.disableVerification = disableVerification
        c.cacheSize = cacheSize
        c.keySets = [JWTKeySetConfiguration(id: "local_file", source: .localFile(path: AuxDataFixtures.verifyKeyPath, pem: false))] + extra
        return try await AuxDataVerifier(configuration: c)
    }

    static var nowSeconds: Int { Int(Date().timeIntervalSince1970) }

    @Test func validToken_claimsAreMappedAsCerbosMapsThem() async throws {
        let exp = Self.nowSeconds + 3600
        let token = try await AuxDataFixtures.signedToken(expiringAt: exp)
        let claims = try await Self.verifier().claims(of: .init(token: token), now: AuxDataFixtures.now)
        #expect(claims[string: "iss"] == .string("cerbos-test-suite"))
        #expect(claims[string: "aud"] == .list([.string("cerbos-jwt-tests")]))
        #expect(claims[string: "exp"] == .string(Timestamp(seconds: Int64(exp)).rfc3339))
        #expect(claims[string: "customString"] == .string("foobar"))
        #expect(claims[string: "customInt"] == .double(42))
        #expect(claims[string: "customArray"] == .list([.string("A"), .string("B"), .string("C")]))
        guard case let .map(m)? = claims[string: "customMap"] else { Issue.record("customMap is not a map"); return }
        #expect(m[string: "B"] == .string("BB"))
        #expect(claims.storage.count == 7)
    }

    @Test func expiryWithinSkew_isAccepted_andBeyondSkew_isRefused() async throws {
        let verifier = try await Self.verifier(skew: .seconds(60))
        let within = try await AuxDataFixtures.signedToken(expiringAt: Self.nowSeconds - 2)
        #expect(throws: Never.self) { try verifier.claims(of: .init(token: within), now: AuxDataFixtures.now) }
        let beyond = try await AuxDataFixtures.signedToken(expiringAt: Self.nowSeconds - 61)
        let error = #expect(throws: JWTVerificationError.self) { try verifier.claims(of: .init(token: beyond), now: AuxDataFixtures.now) }
        #expect(error?.description == "failed to extract JWT: token has expired (exp)")
    }

    @Test func defaultSkewOfTwoSeconds_refusesATokenExpiredTenSecondsAgo() async throws {
        var c = JWTConfiguration()
        c.keySets = [JWTKeySetConfiguration(id: "k", source: .localFile(path: AuxDataFixtures.verifyKeyPath, pem: false))]
        let verifier = try await AuxDataVerifier(configuration: c)
        let token = try await AuxDataFixtures.signedToken(expiringAt: Self.nowSeconds - 10)
        #expect(throws: JWTVerificationError.self) { try verifier.claims(of: .init(token: token), now: AuxDataFixtures.now) }
    }

    @Test func keySetId_isRequiredWhenSeveralKeySetsAreConfigured_andMustExist() async throws {
        let keyBytes = try AuxDataFixtures.read(AuxDataFixtures.verifyKeyPath)
        let verifier = try await Self.verifier(extra: [
            JWTKeySetConfiguration(id: "local_data", source: .localData(base64: Data(keyBytes).base64EncodedString(), pem: false)),
        ])
        let token = try await AuxDataFixtures.signedToken(expiringAt: Self.nowSeconds + 3600)
        let none = #expect(throws: JWTVerificationError.self) { try verifier.claims(of: .init(token: token), now: AuxDataFixtures.now) }
        #expect(none?.reason == "cannot determine keyset to use for validating the JWT")
        let unknown = #expect(throws: JWTVerificationError.self) {
            try verifier.claims(of: .init(token: token, keySetId: "blah"), now: AuxDataFixtures.now)
        }
        #expect(unknown?.reason == "keyset not found: blah")
        for id in ["local_file", "local_data"] {
            let claims = try verifier.claims(of: .init(token: token, keySetId: id), now: AuxDataFixtures.now)
            #expect(claims[string: "customString"] == .string("foobar"))
        }
    }

    @Test func tamperedPayload_isRefused() async throws {
        let token = try await AuxDataFixtures.signedToken(expiringAt: Self.nowSeconds + 3600)
        let parts = token.split(separator: ".")
        let forged = Data(#"{"iss":"cerbos-test-suite","customString":"admin","exp":4102444800}"#.utf8).base64EncodedString()
            .replacingOccurrences(of: "=", with: "").replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        let tampered = "\(parts[0]).\(forged).\(parts[2])"
        let verifier = try await Self.verifier()
        let error = #expect(throws: JWTVerificationError.self) { try verifier.claims(of: .init(token: tampered), now: AuxDataFixtures.now) }
        #expect(error?.reason.hasPrefix("failed to parse JWT") == true)
    }

    @Test(arguments: ["not-a-jwt", "a.b", "....", "e30.e30.e30"])
    func malformedToken_isARequestErrorNamingTheToken(_ token: String) async throws {
        let verifier = try await Self.verifier()
        let error = #expect(throws: RequestError.self) {
            try verifier.verify(AuxDataTokens(jwt: .init(token: token)), now: AuxDataFixtures.now)
        }
        #expect(error?.path == "auxData.jwt")
        #expect(error?.message.hasPrefix("invalid auxData: failed to extract JWT: failed to parse JWT") == true)
    }

    @Test func tokenWithCriticalExtensions_isRefused_evenWithVerificationDisabled() async throws {
        let header = JWTHeader(fields: ["crit": .array([.string("exp")])])
        let token = try await AuxDataFixtures.signedToken(expiringAt: Self.nowSeconds + 3600, header: header)
        let strict = try await Self.verifier()
        let error = #expect(throws: JWTVerificationError.self) { try strict.claims(of: .init(token: token), now: AuxDataFixtures.now) }
        #expect(error?.reason == "failed to parse JWT: the header marks extensions as critical (crit: exp), which this server does not support")
        let unverified = try await Self.verifier(disableVerification: true)
        #expect(throws: JWTVerificationError.self) { try unverified.claims(of: .init(token: token), now: AuxDataFixtures.now) }
    }

    @Test func tokenWithoutKid_isRefusedUnlessOptionalKid() async throws {
        let token = try await AuxDataFixtures.signedToken(expiringAt: Self.nowSeconds + 3600, withKid: false)
        let strict = try await Self.verifier()
        #expect(throws: JWTVerificationError.self) { try strict.claims(of: .init(token: token), now: AuxDataFixtures.now) }
        var c = JWTConfiguration()
        c.keySets = [JWTKeySetConfiguration(id: "k", source: .localFile(path: AuxDataFixtures.verifyKeyPath, pem: false), optionalKid: true)]
        let lenient = try await AuxDataVerifier(configuration: c)
        #expect(try lenient.claims(of: .init(token: token), now: AuxDataFixtures.now)[string: "iss"] == .string("cerbos-test-suite"))
    }

    @Test func noKeySetsConfigured_refusesEveryToken() async throws {
        let token = try await AuxDataFixtures.signedToken(expiringAt: Self.nowSeconds + 3600)
        let error = #expect(throws: JWTVerificationError.self) { try AuxDataVerifier().claims(of: .init(token: token), now: AuxDataFixtures.now) }
        #expect(error?.reason == "cannot determine keyset to use for validating the JWT")
    }

    @Test func disableVerification_acceptsAnUnverifiableToken_butStillChecksExpiry() async throws {
        var c = JWTConfiguration()
        c.disableVerification = true
        let verifier = try await AuxDataVerifier(configuration: c)
        let header = Data(#"{"alg":"none"}"#.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
        let body = Data(#"{"sub":"alice","exp":4102444800}"#.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
        let claims = try verifier.claims(of: .init(token: "\(header).\(body).c2ln"), now: AuxDataFixtures.now)
        #expect(claims[string: "sub"] == .string("alice"))
        let expired = try await AuxDataFixtures.signedToken(expiringAt: Self.nowSeconds - 3600)
        #expect(throws: JWTVerificationError.self) { try verifier.claims(of: .init(token: expired), now: AuxDataFixtures.now) }
    }

    @Test func namedTokens_becomeJwtsSortedByName_andAFailureNamesTheToken() async throws {
        let verifier = try await Self.verifier()
        let good = try await AuxDataFixtures.signedToken(expiringAt: Self.nowSeconds + 3600)
        let aux = try verifier.verify(AuxDataTokens(jwts: ["b": .init(token: good), "a": .init(token: good)]), now: AuxDataFixtures.now)
        #expect(aux?.jwts.map(\.name) == ["a", "b"])
        #expect(aux?.jwts.first?.claims[string: "customInt"] == .double(42))
        let expired = try await AuxDataFixtures.signedToken(expiringAt: Self.nowSeconds - 3600)
        let error = #expect(throws: RequestError.self) {
            try verifier.verify(AuxDataTokens(jwts: ["a": .init(token: good), "c": .init(token: expired)]), now: AuxDataFixtures.now)
        }
        #expect(error?.path == "auxData.jwts[\"c\"]")
        #expect(error?.message == "invalid auxData: failed to extract JWT: token has expired (exp)")
    }

    @Test func cachedToken_stillExpiresOnTime() async throws {
        let verifier = try await Self.verifier(skew: .seconds(0))
        let exp = Self.nowSeconds + 100
        let token = try await AuxDataFixtures.signedToken(expiringAt: exp)
        _ = try verifier.claims(of: .init(token: token), now: AuxDataFixtures.now)
        #expect(verifier.cachedTokenCount == 1)
        _ = try verifier.claims(of: .init(token: token), now: AuxDataFixtures.now)
        #expect(verifier.cachedTokenCount == 1)
        let error = #expect(throws: JWTVerificationError.self) {
            try verifier.claims(of: .init(token: token), now: Timestamp(seconds: Int64(exp + 1)))
        }
        #expect(error?.reason == "token has expired (exp)")
    }

    @Test func cache_isBoundedByCacheSize() async throws {
        let verifier = try await Self.verifier(cacheSize: 2)
        for offset in 0..<4 {
            let token = try await AuxDataFixtures.signedToken(expiringAt: Self.nowSeconds + 3600 + offset)
            _ = try verifier.claims(of: .init(token: token), now: AuxDataFixtures.now)
        }
        #expect(verifier.cachedTokenCount == 2)
    }
}

/// PEM key sets: keys without `kid` and `alg`, usable (as in Cerbos) only with both insecure options.
@Suite struct PEMKeySetTests {
    /// A token signed with the private JWK of `single_key.ec.es384.yaml`, whose PEM form is
    /// `single_key.ec.es384.pem.yaml`.
    static func tokenAndPEMConfiguration(insecure: Bool) async throws -> (String, JWTConfiguration) {
        let jwkCase = try AuxDataConformanceTests.load("single_key.ec.es384.yaml")
        let pemCase = try AuxDataConformanceTests.load("single_key.ec.es384.pem.yaml")
        let keys = JWTKeyCollection()
        try await keys.add(jwk: JWK(json: jwkCase.key))
        let token = try await keys.sign(AuxDataFixtures.TestClaims(exp: TokenVerificationTests.nowSeconds + 3600),
                                        kid: JWKIdentifier(string: "cerbos-test"))
        var c = JWTConfiguration()
        c.keySets = [JWTKeySetConfiguration(id: "pem", source: .localData(base64: Data(pemCase.key.utf8).base64EncodedString(), pem: true),
                                            optionalAlg: insecure, optionalKid: insecure)]
        return (token, c)
    }

    @Test func pemKey_verifiesWithOptionalAlgAndKid() async throws {
        let (token, c) = try await Self.tokenAndPEMConfiguration(insecure: true)
        let verifier = try await AuxDataVerifier(configuration: c)
        #expect(try verifier.claims(of: .init(token: token), now: AuxDataFixtures.now)[string: "customString"] == .string("foobar"))
    }

    @Test func pemKey_withoutInsecureOptions_verifiesNothing() async throws {
        let (token, c) = try await Self.tokenAndPEMConfiguration(insecure: false)
        let verifier = try await AuxDataVerifier(configuration: c)
        #expect(throws: JWTVerificationError.self) { try verifier.claims(of: .init(token: token), now: AuxDataFixtures.now) }
    }
}
