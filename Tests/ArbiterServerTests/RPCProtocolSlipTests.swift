import ArbiterJSON
import ArbiterServer
import CEL
import Testing

/// Issue 19's protocol slips: what a notification and an out-of-double-range id get back.
@Suite struct RPCProtocolSlipTests {
    let store = PolicyStore<[String]>()
    let decodes = BytesFileListDecisions.Counter()

    var dispatcher: RPCDispatcher<BytesFileListDecisions> {
        RPCDispatcher(service: BytesFileListDecisions(decodes: decodes), store: store,
                      identity: ServerIdentity(version: "1", build: "b"), logger: testLogger)
    }

    func answer(_ request: String) -> String? {
        dispatcher.handle(Array(request.utf8)).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test(arguments: [
        #"{"jsonrpc":"2.0","method":"Health","params":[1]}"#,
        #"{"jsonrpc":"2.0","method":"Health","params":"x"}"#,
        #"{"jsonrpc":"2.0","method":"Nope"}"#,
        #"{"jsonrpc":"2.0","method":"CheckResources","params":{"principal":{}}}"#,
    ])
    func notificationWithBadParamsOrMethod_getsNoAnswer(_ request: String) {
        store.publish(["x.yaml"], policyCount: 1, record: ReloadRecord(
            time: Timestamp(seconds: 1), outcome: .success, diagnostics: [], durationMilliseconds: 1, trigger: "test"))
        #expect(answer(request) == nil)
    }

    @Test func malformedRequestWithoutID_isStillAnsweredWithNullID() {
        // Not a notification: not a valid request at all (JSON-RPC answers those with id null).
        #expect(answer(#"{"jsonrpc":"1.0","method":"Health"}"#)?.hasPrefix(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32600"#) == true)
    }

    @Test(arguments: ["12345678901234567890", "-9223372036854775808", "9007199254740993", "18446744073709551615"])
    func hugeIntegerID_isEchoedExactly_onTheGeneralPath(_ id: String) {
        let reply = answer(#"{"jsonrpc":"2.0","id":"# + id + #","method":"ServerInfo"}"#)
        #expect(reply?.hasPrefix(#"{"jsonrpc":"2.0","id":"# + id + ",") == true, "\(reply ?? "nil")")
    }

    @Test func hugeIntegerID_isEchoedExactly_onTheDecodedCheckPath() {
        store.publish(["x.yaml"], policyCount: 1, record: ReloadRecord(
            time: Timestamp(seconds: 1), outcome: .success, diagnostics: [], durationMilliseconds: 1, trigger: "test"))
        let reply = answer(#"{"jsonrpc":"2.0","id": 12345678901234567891 ,"method":"CheckResources","params":{"principal":{"id":"a"}}}"#)
        #expect(decodes.value == 1)
        #expect(reply == #"{"jsonrpc":"2.0","id":12345678901234567891,"result":{"principal":"a","files":["x.yaml"]}}"#)
    }

    @Test func ordinaryNumericIDs_areEchoedAsBefore() {
        #expect(answer(#"{"jsonrpc":"2.0","id":42,"method":"ServerInfo"}"#)?.hasPrefix(#"{"jsonrpc":"2.0","id":42,"#) == true)
        #expect(answer(#"{"jsonrpc":"2.0","id":1.5,"method":"ServerInfo"}"#)?.hasPrefix(#"{"jsonrpc":"2.0","id":1.5,"#) == true)
    }

    @Test func health_whenWatchesAreLost_isDegradedWithTheReason() {
        store.publish(["x.yaml"], policyCount: 1, record: ReloadRecord(
            time: Timestamp(seconds: 1), outcome: .success, diagnostics: [], durationMilliseconds: 1, trigger: "test"))
        store.setDegraded("cannot watch /p: Permission denied")
        let reply = answer(#"{"jsonrpc":"2.0","id":1,"method":"Health"}"#) ?? ""
        #expect(reply.contains(#""status":"DEGRADED""#), "\(reply)")
        #expect(reply.contains(#""degradedReason":"cannot watch /p: Permission denied""#), "\(reply)")
        store.setDegraded(nil)
        #expect(answer(#"{"jsonrpc":"2.0","id":1,"method":"Health"}"#)?.contains(#""status":"SERVING""#) == true)
    }

    @Test func systemdStatusLine_saysDegradedOnOneLine() {
        let line = SystemdNotifier.statusLine(policyCount: 3, generation: 2, lastReload: nil, degradedReason: "cannot watch /p:\nEACCES")
        #expect(line == "3 policies, generation 2; DEGRADED: cannot watch /p: EACCES")
    }
}
