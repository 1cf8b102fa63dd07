#if canImport(Glibc)
import Glibc
#endif
import ArbiterEngine
import ArbiterServer
import CEL
import Testing

/// Issue 19's unbounded cost per client: request shapes that are cheap to send and dear to
/// parse or decide are refused by configurable limits.
@Suite struct RequestLimitsTests {
    func violation(_ limits: RequestLimits, _ text: String) -> RPCError? {
        Array(text.utf8).withUnsafeBytes { limits.violation(in: $0) }
    }

    @Test func tooManyValues_isRefusedBeforeParsing() throws {
        let limits = RequestLimits(maxJSONValues: 1000, maxStringLength: 1 << 20)
        let many = "[" + Array(repeating: "{}", count: 1000).joined(separator: ",") + "]"
        let error = violation(limits, many)
        #expect(error?.code == -32600)
        #expect(error?.message == "Invalid Request")
        let data = try text(error?.data ?? .null)
        #expect(data.contains("server.requestLimits.maxJSONValues"), "\(data)")
        // The list and 999 objects: 1000 values.
        let fewer = "[" + Array(repeating: "{}", count: 999).joined(separator: ",") + "]"
        #expect(violation(limits, fewer) == nil)
    }

    @Test func longString_isRefused_andEscapedQuotesDoNotEndIt() {
        let limits = RequestLimits(maxJSONValues: 100_000, maxStringLength: 100)
        #expect(violation(limits, #"{"id":""# + String(repeating: "x", count: 101) + #""}"#) != nil)
        #expect(violation(limits, #"{"id":""# + String(repeating: "x", count: 100) + #""}"#) == nil)
        let escaped = #"{"id":""# + String(repeating: #"\""#, count: 60) + #""}"#
        #expect(violation(limits, escaped) != nil, "120 bytes of escaped quotes is one string")
        // Numbers and literals are one value each however long; commas inside strings are none.
        let scalars = "[" + Array(repeating: "-12.5e3", count: 8).joined(separator: ",") + ",true,null" + "]"
        #expect(violation(RequestLimits(maxJSONValues: 11, maxStringLength: 10), scalars) == nil)
        #expect(violation(RequestLimits(maxJSONValues: 10, maxStringLength: 10), scalars) != nil)
        let quotedCommas = #"{"id":""# + String(repeating: ",", count: 90) + #""}"#
        #expect(violation(RequestLimits(maxJSONValues: 10, maxStringLength: 100), quotedCommas) == nil)
    }

    @Test func dispatcher_answersAnOverLimitFrame_withInvalidRequest_andNullID() throws {
        var dispatcher = RPCDispatcher(service: FileListDecisions(), store: PolicyStore<[String]>(),
                                       identity: ServerIdentity(version: "1", build: "b"), logger: testLogger)
        dispatcher.requestLimits = RequestLimits(maxJSONValues: 50, maxStringLength: 1 << 20)
        let request = #"{"jsonrpc":"2.0","id":7,"method":"Health","params":{"x":["# + Array(repeating: "1", count: 60).joined(separator: ",") + "]}}"
        let reply = String(decoding: try #require(dispatcher.handle(Array(request.utf8))), as: UTF8.self)
        #expect(reply.hasPrefix(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid Request""#), "\(reply)")
        #expect(reply.contains("more than 50 JSON values"))
    }

    @Test func rolesPerPrincipal_overTheLimit_isAnInvalidRequestNamingTheField() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        try writeFile(dir.path + "/document.yaml", DaemonChild.policy)
        var configuration = EngineConfiguration()
        configuration.maxRolesPerPrincipal = 3
        let engine = try await EngineCompilation.compiler(configuration: configuration)(dir.path).snapshot
        func check(roles: Int) throws -> CheckResourcesResponse {
            let params = try json(#"{"principal":{"id":"alice","roles":["# + (0..<roles).map { "\"r\($0)\"" }.joined(separator: ",")
                + #"]},"resources":[{"actions":["view"],"resource":{"kind":"document","id":"d","attr":{"owner":"alice"}}}]}"#)
            return try engine.checkResources(CheckResourcesRequest(from: params))
        }
        #expect(try check(roles: 3).results.count == 1)
        #expect(throws: RequestError.self) { try check(roles: 4) }
        do {
            _ = try check(roles: 4)
        } catch let error as RequestError {
            #expect(error.path == "principal.roles")
            #expect(error.message == "number of roles (4) exceeds the configured limit (3)")
        }
    }

    @Test func configuration_readsTheNewLimits_andRejectsNonsense() throws {
        let c = try ServerConfiguration.decode(yaml: Array("""
            server:
              requestLimits:
                maxRolesPerPrincipal: 20
                maxJSONValues: 5000
                maxStringLength: 4096
            """.utf8), file: "arbiter.yaml")
        #expect(c.maxRolesPerPrincipal == 20)
        #expect(c.engineConfiguration.maxRolesPerPrincipal == 20)
        #expect(c.requestLimits == RequestLimits(maxJSONValues: 5000, maxStringLength: 4096))
        var bad = ServerConfiguration()
        bad.requestLimits.maxJSONValues = 0
        bad.maxRolesPerPrincipal = 0
        #expect(Set(bad.validate().map(\.key)) == ["server.requestLimits.maxJSONValues", "server.requestLimits.maxRolesPerPrincipal"])
        let defaults = ServerConfiguration()
        #expect(defaults.maxRolesPerPrincipal == 1000)
        #expect(defaults.requestLimits == RequestLimits(maxJSONValues: 100_000, maxStringLength: 1 << 20))
    }
}
