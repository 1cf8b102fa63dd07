#if canImport(Glibc)
import Glibc
#endif
import ArbiterEngine
import ArbiterJSON
import ArbiterServer
import CEL
import Logging
import Testing

/// Every CheckResources and PlanResources response carries a fresh `cerbosCallId`, as Cerbos's
/// do, whether or not auditing is on.
@Suite struct CallIDWithoutAuditTests {
    static let crockford = Set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    func dispatcher(_ dir: TemporaryDirectory) async throws -> RPCDispatcher<EngineDecisionService> {
        let policies = dir.path + "/policies"
        mkdir(policies, 0o755)
        try writeFile(policies + "/document.yaml", DaemonChild.policy)
        let engine = try await EngineCompilation.compiler(configuration: EngineConfiguration())(policies).snapshot
        let store = PolicyStore<Engine>()
        store.publish(engine, policyCount: 1, record: ReloadRecord(
            time: Timestamp(seconds: 0), outcome: .success, diagnostics: [], durationMilliseconds: 0, trigger: "test"))
        let d = RPCDispatcher(service: EngineDecisionService(), store: store,
                              identity: ServerIdentity(version: "t", build: "t"), logger: Logger(label: "call-id-test"))
        #expect(d.recorder == nil)
        return d
    }

    func callID(_ d: RPCDispatcher<EngineDecisionService>, _ frame: String) throws -> String {
        let response = try #require(d.handle(Array(frame.utf8)))
        let value = try JSONReader.parse(response)
        guard case let .map(envelope) = value, case let .map(result)? = envelope[string: "result"],
              case let .string(id)? = result[string: "cerbosCallId"] else {
            throw TestSetupError("no cerbosCallId in \(String(decoding: response, as: UTF8.self))")
        }
        return id
    }

    static let check = #"{"jsonrpc":"2.0","id":1,"method":"CheckResources","params":{"requestId":"r1","principal":{"id":"alice","roles":["user"]},"resources":[{"actions":["view"],"resource":{"kind":"document","id":"d1","attr":{"owner":"alice"}}}]}}"#
    /// The same request with `params` first, which the decoded fast path declines: the `Value` path.
    static let checkValuePath = #"{"jsonrpc":"2.0","params":{"requestId":"r1","principal":{"id":"alice","roles":["user"]},"resources":[{"actions":["view"],"resource":{"kind":"document","id":"d1","attr":{"owner":"alice"}}}]},"id":1,"method":"CheckResources"}"#
    static let plan = #"{"jsonrpc":"2.0","id":2,"method":"PlanResources","params":{"requestId":"p1","action":"view","principal":{"id":"alice","roles":["user"]},"resource":{"kind":"document"}}}"#

    @Test func everyResponse_withAuditingOff_carriesAFreshULID() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let d = try await dispatcher(dir)
        let ids = try [Self.check, Self.check, Self.checkValuePath, Self.plan].map { try callID(d, $0) }
        for id in ids {
            #expect(id.count == 26 && id.allSatisfy { Self.crockford.contains($0) }, "\(id)")
        }
        #expect(Set(ids).count == ids.count, "\(ids)")
        // A ULID's first 10 characters are its Unix time in milliseconds: now, give or take a minute.
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        let nowMillis = Int64(ts.tv_sec) * 1000
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        for id in ids {
            let millis = id.prefix(10).reduce(Int64(0)) { $0 * 32 + Int64(alphabet.firstIndex(of: $1) ?? 0) }
            #expect(abs(millis - nowMillis) < 60_000, "\(id) decodes to \(millis), now is \(nowMillis)")
        }
    }
}
