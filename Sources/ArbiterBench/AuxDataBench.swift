import ArbiterAuxData
import ArbiterEngine
import ArbiterJSON
import ArbiterPolicy
import CEL
import Dispatch
import Foundation
import JWTKit

/// The cost an ES384 JWT adds to a CheckResources request (issue 15): the same request decided
/// without auxData, with a token verified every time (cache off), and with the token found in
/// the verified-token cache. Keys are the conformance ones (`cerbos/auxdata/keys`).
enum AuxDataBench {
    static let policy = """
    apiVersion: api.cerbos.dev/v1
    resourcePolicy:
      resource: report
      version: default
      rules:
        - actions: ["view"]
          roles: ["user"]
          effect: EFFECT_ALLOW
          condition:
            match:
              expr: request.auxData.jwt.sub == P.id

    """

    struct Claims: JWTPayload {
        var sub: String
        var iss: String
        var aud: [String]
        var exp: Int
        var scope: String
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    static func run(report: BenchReport, quick: Bool) throws {
        let keys = try conformanceRoot() + "/cerbos/auxdata/keys"
        let dir = try makeTemporaryDirectory("arbiter-bench-auxdata")
        defer { removeTree(dir) }
        try writeFile(dir + "/report.yaml", policy)
        let compiled = PolicyCompiler(expressionCompiler: CELExpressionCompiler()).compile(PolicyLoader.load(directory: dir))
        guard let set = compiled.policySet, compiled.diagnostics.isEmpty else { throw BenchFailure("bench policy does not compile") }
        let engine = Engine(policySet: set)

        let (token, uncached, cached) = try blocking { () async throws -> (String, AuxDataVerifier, AuxDataVerifier) in
            guard let signing = readFile(keys + "/signing_key.jwk") else { throw BenchFailure("no \(keys)/signing_key.jwk") }
            let collection = JWTKeyCollection()
            try await collection.add(jwk: JWK(json: String(decoding: signing, as: UTF8.self)))
            let claims = Claims(sub: "alice", iss: "https://idp.example.com", aud: ["arbiter"],
                                exp: Int(Date().timeIntervalSince1970) + 3600, scope: "reports:read")
            let token = try await collection.sign(claims, kid: JWKIdentifier(string: "19LfZatEdg83YNc5r23guMJqrn4="))
            func verifier(cacheSize: Int) async throws -> AuxDataVerifier {
                var c = JWTConfiguration()
                c.cacheSize = cacheSize
                c.keySets = [JWTKeySetConfiguration(id: "idp", source: .localFile(path: keys + "/verify_key.jwk", pem: false))]
                return try await AuxDataVerifier(configuration: c)
            }
            return (token, try await verifier(cacheSize: 0), try await verifier(cacheSize: 256))
        }
        let request = try CheckResourcesRequest(from: JSONReader.parse("""
        {"principal":{"id":"alice","roles":["user"]},"resources":[{"actions":["view"],"resource":{"kind":"report","id":"r1"}}]}
        """))
        let tokens = AuxDataTokens(jwt: .init(token: token, keySetId: "idp"))

        func decide(_ verifier: AuxDataVerifier?) throws -> Bool {
            let now = Engine.currentTime()
            let aux = try verifier.map { try $0.verify(tokens, now: now) } ?? nil
            let response = try engine.checkResources(request, auxData: aux, now: now)
            return response.results.first?.actions.first?.effect == .allow
        }
        guard try decide(uncached), try decide(cached), try !decide(nil) else {
            throw BenchFailure("the token's claims did not decide as expected")
        }
        let rounds = quick ? 3 : 7
        func perRequest(_ verifier: AuxDataVerifier?, target: UInt64) throws -> Double {
            let n = calibratedCount(targetNanos: target) { n in for _ in 0..<n { _ = try? decide(verifier) } }
            return try medianNanosPerOp(rounds: rounds) {
                for _ in 0..<n { _ = try decide(verifier) }
                return n
            }
        }
        let target: UInt64 = quick ? 50_000_000 : 200_000_000
        let plain = try perRequest(nil, target: target)
        let verified = try perRequest(uncached, target: target)
        let hit = try perRequest(cached, target: target)
        report.add("auxdata", "CheckResources without auxData", plain / 1000, "µs/req")
        report.add("auxdata", "ES384 JWT added, verified each time", (verified - plain) / 1000, "µs/req",
                   note: "cacheSize 0: parse, signature check, claims")
        report.add("auxdata", "ES384 JWT added, cached", (hit - plain) / 1000, "µs/req",
                   note: "the same token again: one cache lookup and the exp check")
    }

    /// Runs async set-up (JWTKit's key collection is an actor) from the synchronous bench.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Result<T, any Error>?
        Task {
            do { result = .success(try await body()) } catch { result = .failure(error) }
            done.signal()
        }
        done.wait()
        return try result!.get()
    }
}
