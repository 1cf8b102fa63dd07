import ArbiterEngine
import ArbiterHTTP
import ArbiterJSON
import ArbiterServer
import CEL
import NIOCore
import NIOHTTP1
import Testing

@Suite struct CerbosHTTPAPITests {
    @Test func checkResources_answersWithTheJSONRPCResultBytes_forTheSameBody() async throws {
        let api = try await conformanceAPI()
        let response = api.send(.POST, "/api/check/resources", leaveRequestCheck)
        #expect(response.status == .ok)
        let dispatcher = RPCDispatcher(service: api.decisions, store: api.store, identity: api.identity, logger: testLogger)
        let frame = #"{"jsonrpc":"2.0","id":1,"method":"CheckResources","params":"# + leaveRequestCheck + "}"
        let rpc = try JSONReader.parse(dispatcher.handle(Array(frame.utf8)) ?? [])
        guard let result = lookup(rpc, "result") else {
            Issue.record("JSON-RPC answered without a result: \(rpc)")
            return
        }
        // Each answer has its own cerbosCallId; everything else is the same bytes.
        let body = try response.json()
        #expect(stringValue(lookup(result, "cerbosCallId")) != stringValue(lookup(body, "cerbosCallId")))
        #expect(try JSONWriter.encodeString(withoutCallID(result)) == JSONWriter.encodeString(withoutCallID(body)))
        #expect(stringValue(lookup(body, "results", 0, "actions", "view:public")) == "EFFECT_ALLOW")
        #expect(stringValue(lookup(body, "results", 0, "actions", "approve")) == "EFFECT_DENY")
    }

    @Test func checkResources_withUnknownField_is400NamingTheField() async throws {
        let response = try await conformanceAPI().send(.POST, "/api/check/resources",
            #"{"principal":{"id":"a","roles":["r"],"colour":1},"resources":[{"actions":["a"],"resource":{"kind":"k","id":"1"}}]}"#)
        #expect(response.status == .badRequest)
        let body = try response.json()
        #expect(number(lookup(body, "code")) == 3)
        #expect(stringValue(lookup(body, "message"))?.contains("principal.colour") == true)
        #expect(response.bodyText.hasSuffix(#","details":[]}"#))
    }

    @Test(arguments: [
        (#"{}"#, "principal"),
        ("", "principal"),
        (#"{"principal":{"id":"","roles":["r"]},"resources":[{"actions":["a"],"resource":{"kind":"k","id":"1"}}]}"#, "principal.id"),
        (#"{"principal":{"id":"a","roles":[]},"resources":[{"actions":["a"],"resource":{"kind":"k","id":"1"}}]}"#, "principal.roles"),
        (#"{"principal":{"id":"a","roles":["r"]},"resources":[]}"#, "resources"),
        (#"{"principal":{"id":"a","roles":["r"]},"resources":[{"actions":["a","a"],"resource":{"kind":"k","id":"1"}}]}"#, "resources[0].actions[1]"),
    ])
    func checkResources_breakingAValidationRule_is400NamingTheField(body: String, field: String) async throws {
        let response = try await conformanceAPI().send(.POST, "/api/check/resources", body)
        #expect(response.status == .badRequest)
        #expect(stringValue(lookup(try response.json(), "message"))?.hasPrefix(field + ":") == true, "\(response.bodyText)")
    }

    @Test func checkResources_overTheResourceLimit_is400() async throws {
        let entries = (0..<51).map { #"{"actions":["view"],"resource":{"kind":"leave_request","id":"\#($0)"}}"# }
        let body = #"{"principal":{"id":"a","roles":["r"]},"resources":["# + entries.joined(separator: ",") + "]}"
        let response = try await conformanceAPI().send(.POST, "/api/check/resources", body)
        #expect(response.status == .badRequest)
        #expect(response.bodyText.contains("exceeds the configured limit (50)"))
    }

    @Test func bodyOverTheJSONValueLimit_is400BeforeParsing_asOnTheJSONRPCSocket() {
        var api = echoAPI()
        api.requestLimits = RequestLimits(maxJSONValues: 10, maxStringLength: 1 << 20)
        let response = api.send(.POST, "/api/check/resources", "[" + Array(repeating: "1", count: 20).joined(separator: ",") + "]")
        #expect(response.status == .badRequest)
        #expect(response.bodyText.contains("server.requestLimits.maxJSONValues"))
        #expect(api.send(.POST, "/api/check/resources", #"{"principal":{"id":"small"}}"#).status == .ok)
    }

    @Test func malformedJSON_is400WithThePosition() async throws {
        let response = try await conformanceAPI().send(.POST, "/api/check/resources", #"{"principal": }"#)
        #expect(response.status == .badRequest)
        #expect(response.bodyText.contains("not valid JSON: line 1, column"))
    }

    @Test func unknownPath_is404_andAnInvalidPlanRequestIs400() async throws {
        let api = try await conformanceAPI()
        for path in ["/nope", "/api/check"] {
            let response = api.send(.POST, path, "{}")
            #expect(response.status == .notFound)
            #expect(response.bodyText == #"{"code":5,"message":"Not Found","details":[]}"#)
        }
        let plan = api.send(.POST, "/api/plan/resources", "{}")
        #expect(plan.status == .badRequest)
        #expect(plan.bodyText.hasPrefix(#"{"code":3,"message":""#) && plan.bodyText.contains("required"))
    }

    @Test func planResources_reachesTheEnginesPlanResources_withItsErrorsMapped() {
        let api = echoAPI()
        #expect(api.send(.POST, "/api/plan/resources", #"{"action":"view"}"#).bodyText == #"{"planned":"view"}"#)
        let bad = api.send(.POST, "/api/plan/resources", "{}")
        #expect(bad.status == .badRequest)
        #expect(bad.bodyText.contains("action: value is required"))
    }

    @Test func knownPathWithTheWrongMethod_is405WithAllow() async throws {
        let api = try await conformanceAPI()
        let get = api.send(.GET, "/api/check/resources")
        #expect(get.status == .methodNotAllowed)
        #expect(get.headers.contains { $0.0 == "Allow" && $0.1 == "POST" })
        #expect(get.bodyText == #"{"code":12,"message":"Method Not Allowed","details":[]}"#)
        let post = api.send(.POST, "/api/server_info", "{}")
        #expect(post.status == .methodNotAllowed)
        #expect(post.headers.contains { $0.0 == "Allow" && $0.1 == "GET" })
    }

    @Test func nonJSONContentType_is415_butCurlsFormDefaultIsReadAsJSON() async throws {
        let api = try await conformanceAPI()
        let xml = api.send(.POST, "/api/check/resources", leaveRequestCheck, headers: [("Content-Type", "application/xml")])
        #expect(xml.status == .unsupportedMediaType)
        #expect(xml.bodyText.contains("application/xml"))
        let form = api.send(.POST, "/api/check/resources", leaveRequestCheck,
                            headers: [("Content-Type", "application/x-www-form-urlencoded")])
        #expect(form.status == .ok)
        let charset = api.send(.POST, "/api/check/resources", leaveRequestCheck,
                               headers: [("Content-Type", "application/json; charset=utf-8")])
        #expect(charset.status == .ok)
    }

    @Test func pretty_indentsTheSameDocument() async throws {
        let api = try await conformanceAPI()
        let plain = api.send(.POST, "/api/check/resources", leaveRequestCheck)
        let pretty = api.send(.POST, "/api/check/resources?pretty", leaveRequestCheck)
        #expect(pretty.bodyText.contains("\n  \"requestId\": \"test\""))
        #expect(try JSONWriter.encodeString(withoutCallID(pretty.json())) == JSONWriter.encodeString(withoutCallID(plain.json())))
        let error = api.send(.GET, "/nope?pretty")
        #expect(error.bodyText == "{\n  \"code\": 5,\n  \"message\": \"Not Found\",\n  \"details\": []\n}")
    }

    @Test func serverInfo_reportsVersionAndBuild() async throws {
        let response = try await conformanceAPI().send(.GET, "/api/server_info")
        #expect(response.status == .ok)
        #expect(response.bodyText == #"{"version":"1.2.3","commit":"abc123"}"#)
    }

    @Test func health_isServing_forTheServerAndCerbosService_and404ForOthers() async throws {
        let api = try await conformanceAPI()
        #expect(api.send(.GET, "/_cerbos/health").bodyText == #"{"status":"SERVING"}"#)
        #expect(api.send(.GET, "/_cerbos/health?service=cerbos.svc.v1.CerbosService").status == .ok)
        let unknown = api.send(.GET, "/_cerbos/health?service=grpc.other")
        #expect(unknown.status == .notFound)
        #expect(unknown.bodyText.contains("unknown service grpc.other"))
    }

    @Test func beforeThePoliciesLoad_healthIs503_andChecksAre503() async throws {
        let api = CerbosHTTPAPI(decisions: EngineDecisionService(), store: PolicyStore<Engine>(),
                                identity: ServerIdentity(version: "1", build: "b"), logger: testLogger)
        let health = api.send(.GET, "/_cerbos/health")
        #expect(health.status == .serviceUnavailable)
        #expect(health.bodyText.contains("NOT_SERVING"))
        let check = api.send(.POST, "/api/check/resources", leaveRequestCheck)
        #expect(check.status == .serviceUnavailable)
        #expect(number(lookup(try check.json(), "code")) == 14)
    }

    @Test func queryValues_arePercentDecoded() {
        let request = HTTPAPIRequest(method: .GET, uri: "/_cerbos/health?x=1&service=cerbos%2Esvc.v1+x&pretty")
        #expect(request.queryValue("service") == "cerbos.svc.v1 x")
        #expect(request.queryValue("pretty") == "")
        #expect(request.queryValue("absent") == nil)
        #expect(request.path == "/_cerbos/health")
    }
}
