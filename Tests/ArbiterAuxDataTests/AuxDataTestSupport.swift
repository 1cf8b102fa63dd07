import ArbiterAuxData
import ArbiterEngine
import ArbiterTestSupport
import CEL
import Foundation
import JWTKit

/// Paths and helpers shared by the auxData tests.
enum AuxDataFixtures {
    /// `$ARBITER_CONFORMANCE_DIR`, else `<package root>/../shared/conformance`.
    static var conformanceRoot: String { TestPaths.conformance }

    static var auxDataDirectory: String { conformanceRoot + "/cerbos/auxdata" }
    static var verifyKeyPath: String { auxDataDirectory + "/keys/verify_key.jwk" }
    static var signingKeyPath: String { auxDataDirectory + "/keys/signing_key.jwk" }

    static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FixtureError("cannot read \(path); set ARBITER_CONFORMANCE_DIR to the conformance folder")
        }
        return [UInt8](data)
    }

    /// A temporary file holding `bytes`; removed by the caller.
    static func temporaryFile(_ bytes: [UInt8], name: String) throws -> String {
        let dir = NSTemporaryDirectory() + "arbiter-auxdata-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/" + name
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { throw FixtureError("cannot write \(path)") }
        return path
    }

    /// The claims Cerbos's own tests sign (`mkSignedToken` in internal/auxdata/jwt_test.go).
    struct TestClaims: JWTPayload {
        var iss = "cerbos-test-suite"
        var aud = "cerbos-jwt-tests"
        var exp: Int
        var customString = "foobar"
        var customInt = 42
        var customArray = ["A", "B", "C"]
        var customMap = ["A": "AA", "B": "BB", "C": "CC"]

        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    /// A token signed with the conformance signing key (ES384, kid of verify_key.jwk).
    /// With `withKid` false the header carries no `kid`.
    /// `header` adds fields to the JOSE header (`alg` and `kid` are set by the signer).
    static func signedToken(expiringAt exp: Int, withKid: Bool = true, header: JWTHeader = JWTHeader()) async throws -> String {
        let keys = JWTKeyCollection()
        try await keys.add(jwk: JWK(json: String(decoding: try read(signingKeyPath), as: UTF8.self)))
        return try await keys.sign(TestClaims(exp: exp), kid: withKid ? JWKIdentifier(string: signingKid) : nil, header: header)
    }

    /// The `kid` of the conformance signing and verification keys.
    static let signingKid = "19LfZatEdg83YNc5r23guMJqrn4="

    /// The current time as a CEL timestamp, and in whole seconds.
    static var now: Timestamp { Timestamp(seconds: Int64(Date().timeIntervalSince1970)) }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
