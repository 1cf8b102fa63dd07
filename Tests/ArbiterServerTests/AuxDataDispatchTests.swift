import ArbiterAuxData
import ArbiterEngine
import ArbiterJSON
import ArbiterServer
import CEL
import Foundation
import Testing

/// CheckResources with `auxData` through the dispatcher and the engine: verified claims are
/// what `request.auxData.jwt` reads in a condition, on both the bytes-decoded and the `Value`
/// path, and a token that does not verify is an invalid-params error naming it.
@Suite struct AuxDataDispatchTests {
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
              all:
                of:
                  - expr: request.auxData.jwt.sub == P.id
                  - expr: request.auxData.jwt.department == R.attr.department
                  - expr: '"arbiter-tests" in request.auxData.jwt.aud'
                  - expr: type(request.auxData.jwt.exp) == string
        - actions: ["audit"]
          roles: ["user"]
          effect: EFFECT_ALLOW
          condition:
            match:
              expr: request.auxData.jwts.idp.claims.department == "security"

    """

    struct Fixture {
        let dispatcher: RPCDispatcher<EngineDecisionService>
        let key: JWTTestKey
    }

    static func fixture() async throws -> Fixture {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        try writeFile(dir.path + "/report.yaml", policy)
        let compiled = try await EngineCompilation.compiler(configuration: EngineConfiguration())(dir.path)
        let store = PolicyStore<Engine>()
        store.publish(compiled.snapshot, policyCount: compiled.policyCount, record: ReloadRecord(
            time: Timestamp(seconds: 1_700_000_000), outcome: .success, diagnostics: [], durationMilliseconds: 1, trigger: "test"))
        let key = JWTTestKey(kid: "k1")
        var config = JWTConfiguration()
        config.keySets = [JWTKeySetConfiguration(
            id: "corp", source: .localData(base64: Data(JWTTestKey.jwks([key]).utf8).base64EncodedString(), pem: false))]
        let service = EngineDecisionService(auxData: try await AuxDataVerifier(configuration: config))
        return Fixture(dispatcher: RPCDispatcher(service: service, store: store, identity: ServerIdentity(version: "t", build: "t"),
                                                 logger: testLogger), key: key)
    }

    /// A CheckResources frame; `spaced` adds whitespace the bytes decoder accepts, `general`
    /// adds a member order that sends the frame down the `Value` path.
    static func frame(auxData: String, general: Bool) -> String {
        let params = """
        {"principal":{"id":"alice","roles":["user"]},"resources":[{"actions":["view","audit"],\
        "resource":{"kind":"report","id":"r1","attr":{"department":"engineering"}}}],"auxData":\(auxData)}
        """
        return general
            ? #"{"jsonrpc":"2.0","id":1,"params":\#(params),"method":"CheckResources"}"#
            : #"{"jsonrpc":"2.0","id":1,"method":"CheckResources","params":\#(params)}"#
    }

    static func call(_ d: RPCDispatcher<EngineDecisionService>, _ frame: String) throws -> Value {
        let bytes = try #require(d.handle(Array(frame.utf8)))
        return try JSONReader.parse(bytes)
    }

    /// The response as JSON text, for failure messages.
    static func show(_ response: Value) -> Comment {
        Comment(rawValue: (try? JSONWriter.encodeString(response)) ?? "\(response)")
    }

    static func actions(_ response: Value) -> Value? {
        guard case let .map(m) = response, case let .map(result)? = m[string: "result"],
              case let .list(results)? = result[string: "results"], case let .map(first)? = results.first else { return nil }
        return first[string: "actions"]
    }

    static func error(_ response: Value) -> (code: Value?, field: Value?, reason: String)? {
        guard case let .map(m) = response, case let .map(e)? = m[string: "error"], case let .map(data)? = e[string: "data"],
              case let .string(reason)? = data[string: "reason"] else { return nil }
        return (e[string: "code"], data[string: "field"], reason)
    }

    @Test(arguments: [false, true])
    func verifiedClaims_areVisibleToConditions(general: Bool) async throws {
        let f = try await Self.fixture()
        let token = try await f.key.token(sub: "alice")
        let response = try Self.call(f.dispatcher, Self.frame(auxData: #"{"jwt":{"token":"\#(token)","keySetId":"corp"}}"#, general: general))
        let want = try JSONReader.parse(#"{"view":"EFFECT_ALLOW","audit":"EFFECT_DENY"}"#)
        #expect(Self.actions(response) == want, Self.show(response))

        let otherDepartment = try await f.key.token(sub: "alice", department: "sales")
        let denied = try Self.call(f.dispatcher, Self.frame(auxData: #"{"jwt":{"token":"\#(otherDepartment)"}}"#, general: general))
        #expect(Self.actions(denied) == (try JSONReader.parse(#"{"view":"EFFECT_DENY","audit":"EFFECT_DENY"}"#)))
    }

    @Test func namedTokens_areVisibleAsJwtsClaims() async throws {
        let f = try await Self.fixture()
        let token = try await f.key.token(sub: "alice", department: "security")
        let response = try Self.call(f.dispatcher, Self.frame(auxData: #"{"jwts":{"idp":{"token":"\#(token)"}}}"#, general: false))
        #expect(Self.actions(response) == (try JSONReader.parse(#"{"view":"EFFECT_DENY","audit":"EFFECT_ALLOW"}"#)))
    }

    @Test(arguments: [false, true])
    func expiredToken_isInvalidParamsNamingTheToken(general: Bool) async throws {
        let f = try await Self.fixture()
        let token = try await f.key.token(sub: "alice", lifetime: -3600)
        let response = try Self.call(f.dispatcher, Self.frame(auxData: #"{"jwt":{"token":"\#(token)"}}"#, general: general))
        let e = try #require(Self.error(response), Self.show(response))
        #expect(e.code == .double(-32602) && e.field == .string("auxData.jwt"))
        #expect(e.reason == "invalid auxData: failed to extract JWT: token has expired (exp)")
    }

    @Test func tokenFromAnUnknownKey_isRefused() async throws {
        let f = try await Self.fixture()
        let stranger = try await JWTTestKey(kid: "k1").token(sub: "alice")
        let response = try Self.call(f.dispatcher, Self.frame(auxData: #"{"jwt":{"token":"\#(stranger)"}}"#, general: false))
        let e = try #require(Self.error(response))
        #expect(e.reason.hasPrefix("invalid auxData: failed to extract JWT: failed to parse JWT"), "\(e.reason)")
    }

    @Test(arguments: [
        (#"{"jwt":{"token":""}}"#, "auxData.jwt.token", "value is required"),
        (#"{"jwt":{"token":"a.b.c"},"jwts":{"x":{"token":"a.b.c"}}}"#, "auxData", "Only one of the jwt or jwts fields must be set"),
        (#"{"jwt":{"token":"a.b.c","kid":"x"}}"#, "auxData.jwt.kid", "unknown field"),
        (#"{"jwt":{"token":"a.b.c","keySetId":"nope"}}"#, "auxData.jwt", "invalid auxData: failed to extract JWT: keyset not found: nope"),
    ] as [(String, String, String)])
    func malformedAuxData_isInvalidParamsNamingTheField(auxData: String, field: String, fragment: String) async throws {
        let f = try await Self.fixture()
        let response = try Self.call(f.dispatcher, Self.frame(auxData: auxData, general: false))
        let e = try #require(Self.error(response), Self.show(response))
        #expect(e.field == .string(field))
        #expect(e.reason.contains(fragment), "\(e.reason)")
    }

    /// PlanResources verifies its tokens the same way: the claims are known values in the plan,
    /// and a bad token is the same invalid-params error.
    @Test func planResources_usesVerifiedClaims_andRefusesABadToken() async throws {
        let f = try await Self.fixture()
        let token = try await f.key.token(sub: "alice")
        func plan(_ auxData: String) throws -> Value {
            try Self.call(f.dispatcher, #"{"jsonrpc":"2.0","id":1,"method":"PlanResources","params":{"action":"view","#
                + #""principal":{"id":"alice","roles":["user"]},"resource":{"kind":"report"},"includeMeta":true,"auxData":\#(auxData)}}"#)
        }
        let planned = try plan(#"{"jwt":{"token":"\#(token)","keySetId":"corp"}}"#)
        guard case let .map(m) = planned, case let .map(result)? = m[string: "result"], case let .map(meta)? = result[string: "meta"] else {
            Issue.record(Self.show(planned))
            return
        }
        // Operands stay in source order, as in Cerbos: the claim (now known) was on the left.
        #expect(meta[string: "filterDebug"] == .string(#"(eq "engineering" request.resource.attr.department)"#), Self.show(planned))

        let expired = try await f.key.token(sub: "alice", lifetime: -3600)
        let refused = try plan(#"{"jwt":{"token":"\#(expired)"}}"#)
        let e = try #require(Self.error(refused), Self.show(refused))
        #expect(e.field == .string("auxData.jwt") && e.reason.contains("token has expired"))
    }
}
