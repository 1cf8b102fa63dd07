import ArbiterJSON
import ArbiterServer
import CEL
import Testing

@Suite struct RPCDispatcherTests {
    let store = PolicyStore<[String]>()
    var dispatcher: RPCDispatcher<FileListDecisions> {
        RPCDispatcher(service: FileListDecisions(), store: store, identity: ServerIdentity(version: "1.2.3", build: "abc"), logger: testLogger)
    }

    func call(_ request: String) throws -> Value? {
        guard let bytes = dispatcher.handle(Array(request.utf8)) else { return nil }
        return try JSONReader.parse(bytes)
    }

    func publish(_ files: [String]) {
        store.publish(files, policyCount: files.count, record: ReloadRecord(
            time: Timestamp(seconds: 1_700_000_000), outcome: .success, diagnostics: [], durationMilliseconds: 1, trigger: "test"))
    }

    @Test func serverInfo_reportsVersionBuildAndProtocolVersion() throws {
        let r = try #require(try call(#"{"jsonrpc":"2.0","id":7,"method":"ServerInfo"}"#))
        #expect(try text(r) == #"{"jsonrpc":"2.0","id":7,"result":{"version":"1.2.3","build":"abc","protocolVersion":1,"methods":["CheckResources","PlanResources","ServerInfo","Health"]}}"#)
    }

    @Test func health_beforeFirstLoad_isNotServing() throws {
        let r = try #require(try call(#"{"jsonrpc":"2.0","id":"h","method":"Health","params":{}}"#))
        #expect(try text(r) == #"{"jsonrpc":"2.0","id":"h","result":{"status":"NOT_SERVING","generation":0,"policyCount":0}}"#)
    }

    @Test func health_afterPublishAndFailedReload_reportsGenerationAndDiagnostics() throws {
        publish(["a.yaml", "b.yaml"])
        store.recordFailure(ReloadRecord(time: Timestamp(seconds: 1_700_000_001, nanos: 500_000_000), outcome: .failure,
                                         diagnostics: ["a.yaml:3:1: bad"], durationMilliseconds: 2.5, trigger: "inotify"))
        let r = try #require(try call(#"{"jsonrpc":"2.0","id":1,"method":"Health"}"#))
        #expect(try text(r) == #"{"jsonrpc":"2.0","id":1,"result":{"status":"SERVING","generation":1,"policyCount":2,"lastReload":{"time":"2023-11-14T22:13:21.500Z","outcome":"FAILURE","trigger":"inotify","durationMs":2.5,"diagnostics":["a.yaml:3:1: bad"]}}}"#)
    }

    @Test func checkResources_dispatchesParamsAndCurrentSnapshotToTheService() throws {
        publish(["x.yaml"])
        let r = try #require(try call(#"{"jsonrpc":"2.0","id":"c1","method":"CheckResources","params":{"principal":{"id":"john"}}}"#))
        #expect(try text(r) == #"{"jsonrpc":"2.0","id":"c1","result":{"principal":"john","files":["x.yaml"]}}"#)
    }

    @Test func checkResources_serviceInvalidParams_isSentWithField() throws {
        publish(["x.yaml"])
        let r = try #require(try call(#"{"jsonrpc":"2.0","id":2,"method":"CheckResources","params":{"principal":{}}}"#))
        #expect(try text(r) == #"{"jsonrpc":"2.0","id":2,"error":{"code":-32602,"message":"Invalid params","data":{"field":"principal.id","reason":"principal.id is required"}}}"#)
    }

    @Test func checkResources_otherServiceError_isInternalError() throws {
        publish(["x.yaml"])
        let r = try #require(try call(#"{"jsonrpc":"2.0","id":3,"method":"CheckResources","params":{"principal":{"id":"explode"}}}"#))
        #expect(try text(r) == #"{"jsonrpc":"2.0","id":3,"error":{"code":-32603,"message":"Internal error","data":{"reason":"CheckResources failed"}}}"#)
    }

    @Test func checkResources_withoutSnapshot_isInternalErrorPointingAtHealth() throws {
        let r = try #require(try call(#"{"jsonrpc":"2.0","id":4,"method":"CheckResources","params":{"principal":{"id":"a"}}}"#))
        #expect(try text(r).contains(#""code":-32603"#))
        #expect(try text(r).contains("no policy set is loaded yet"))
    }

    @Test func planResources_notImplementedByService_isMethodNotFound() throws {
        publish([])
        let r = try #require(try call(#"{"jsonrpc":"2.0","id":5,"method":"PlanResources","params":{}}"#))
        #expect(try text(r).contains(#""code":-32601"#))
    }

    @Test func malformedJSON_isParseErrorWithPosition() throws {
        let r = try #require(try call("{\"jsonrpc\":\"2.0\",\n \"id\": 1,,}"))
        #expect(try text(r) == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error","data":{"offset":27,"line":2,"column":10,"reason":"expected a string object key, found ','"}}}"#)
    }

    @Test(arguments: [
        (#"[{"jsonrpc":"2.0","id":1,"method":"Health"}]"#, -32600, "", "null"),
        (#""hello""#, -32600, "", "null"),
        (#"{"id":1,"method":"Health"}"#, -32600, "jsonrpc", "1"),
        (#"{"jsonrpc":"1.0","id":1,"method":"Health"}"#, -32600, "jsonrpc", "1"),
        (#"{"jsonrpc":"2.0","id":{"a":1},"method":"Health"}"#, -32600, "id", "null"),
        (#"{"jsonrpc":"2.0","id":1,"method":5}"#, -32600, "method", "1"),
        (#"{"jsonrpc":"2.0","id":1,"method":"Health","extra":true}"#, -32600, "extra", "1"),
        (#"{"jsonrpc":"2.0","id":1,"method":"Nope"}"#, -32601, "method", "1"),
        (#"{"jsonrpc":"2.0","id":"x","method":"CheckResources","params":[1]}"#, -32602, "params", "\"x\""),
    ])
    func invalidEnvelope_getsCodeAndNamesTheField(request: String, code: Int, field: String, id: String) throws {
        let r = try #require(try call(request))
        let t = try text(r)
        #expect(t.hasPrefix(#"{"jsonrpc":"2.0","id":\#(id),"error":{"code":\#(code),"#), "\(t)")
        if !field.isEmpty { #expect(t.contains(#""field":"\#(field)""#), "\(t)") }
    }

    @Test func notification_withoutId_getsNoResponse() throws {
        #expect(try call(#"{"jsonrpc":"2.0","method":"Health"}"#) == nil)
    }

    /// The connection handler reuses one writer for every frame: a response is appended after
    /// what the writer holds, a failed method leaves only its error response there, and a
    /// notification leaves the writer as it was.
    @Test(arguments: [
        #"{"jsonrpc":"2.0","id":1,"method":"CheckResources","params":{"principal":{"id":"u"}}}"#,
        #"{"jsonrpc":"2.0","id":2,"method":"CheckResources","params":{}}"#,
        #"{"jsonrpc":"2.0","id":3,"method":"CheckResources","params":{"principal":{"id":"explode"}}}"#,
        #"{"jsonrpc":"2.0","id":4,"method":"Nope"}"#,
        #"{"jsonrpc":"2.0","method":"CheckResources","params":{"principal":{"id":"explode"}}}"#,
        #"{"jsonrpc":"2.0","method":"Health"}"#,
        "{not json",
    ])
    func handleInto_appendsTheSameResponseAfterWhatTheWriterHolds(request: String) {
        publish(["a.yaml"])
        let alone = dispatcher.handle(Array(request.utf8))
        var w = JSONWriter()
        w.appendASCII("prior")
        let answered = Array(request.utf8).withUnsafeBytes { dispatcher.handle($0, into: &w) }
        #expect(answered == (alone != nil))
        #expect(w.bytes == Array("prior".utf8) + (alone ?? []))
    }
}
