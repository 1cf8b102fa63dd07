import ArbiterEngine
import ArbiterGRPC
import ArbiterJSON
import ArbiterPolicy
import ArbiterServer
import ArbiterYAML
import CEL
import Foundation
import GRPCCore
import SwiftProtobuf
import Testing

/// Every case of Cerbos's query planner suites (`../shared/conformance/cerbos/query_planner`)
/// sent as a protobuf PlanResourcesRequest over the gRPC socket: the answer, written as protojson,
/// must equal the engine's in-process answer as the JSON-RPC and HTTP paths write it
/// (`PlanResourcesResponse.toValue()`), and a request the JSON path refuses must be
/// INVALID_ARGUMENT with the same message. The engine's own conformance test checks the plans
/// against Cerbos's expectations; this one checks that gRPC carries them unchanged.
///
/// The cases run without auxData: Cerbos's runner injects verified claims, which no wire request
/// can, and both sides here plan without them (token verification is `auxDataToken_*`'s part).
@Suite(.serialized) struct GRPCPlanConformanceTests {
    static var directory: String { CerbosSDKTests.conformanceRoot + "/cerbos/query_planner" }

    @Test(arguments: [("strict_scope_search", false), ("lenient_scope_search", true)])
    func everyPlannerCase_overGRPC_answersAsTheEngineInProcess(folder: String, lenient: Bool) async throws {
        let load = PolicyLoader.load(directory: Self.directory + "/policies")
        let compiled = PolicyCompiler(expressionCompiler: CELExpressionCompiler()).compile(load)
        let set = try #require(compiled.policySet, "query planner policies do not compile: \(compiled.diagnostics)")
        let engine = Engine(policySet: set, configuration: EngineConfiguration(
            lenientScopeSearch: lenient, globals: MapValue(stringKeyed: [("environment", .string("test"))])))
        let requests = try Self.requests(suites: ["common", folder])
        try #require(requests.count > 50, "found only \(requests.count) planner cases in \(Self.directory)")

        let failures = try await LiveServer.with(engine: engine) { server in
            try await server.withClient { client in
                let cerbos = Cerbos_Svc_V1_CerbosService.Client(wrapping: client)
                var failures: [String] = []
                for (key, request) in requests {
                    if let problem = try await Self.compare(request, engine: engine, over: cerbos) {
                        failures.append("\(key): \(problem)")
                    }
                }
                return failures
            }
        }
        print("[grpc-plan] query_planner common+\(folder): \(requests.count - failures.count)/\(requests.count) as in process")
        for failure in failures { Issue.record(Comment(rawValue: failure)) }
    }

    /// The wire request of each case (`suite/file#index`), as Cerbos's runner builds it.
    static func requests(suites: [String]) throws -> [(String, Value)] {
        var out: [(String, Value)] = []
        for suite in suites {
            let dir = directory + "/suite/" + suite
            for file in try FileManager.default.contentsOfDirectory(atPath: dir).filter({ $0.hasSuffix(".yaml") }).sorted() {
                let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/" + file)))
                guard case let .map(doc)? = try YAMLParser.parse(bytes, file: file).first?.protobufValue,
                      let principal = doc[string: "principal"], case let .list(tests)? = doc[string: "tests"] else {
                    throw TestFailure("\(suite)/\(file): no principal or tests")
                }
                for (i, test) in tests.enumerated() {
                    guard case let .map(t) = test else { continue }
                    var request: [(String, Value)] = [("requestId", .string("\(file)#\(i)")), ("includeMeta", .bool(true)),
                                                      ("principal", principal)]
                    for key in ["action", "actions", "resource"] { if let v = t[string: key] { request.append((key, v)) } }
                    out.append(("\(suite)/\(file)#\(i)", .map(MapValue(stringKeyed: request))))
                }
            }
        }
        return out
    }

    /// Nil when the gRPC answer is the in-process one; otherwise what differs.
    static func compare(_ request: Value, engine: Engine,
                        over cerbos: Cerbos_Svc_V1_CerbosService.Client<some ClientTransport>) async throws -> String? {
        let message = try Cerbos_Request_V1_PlanResourcesRequest(jsonString: try JSONWriter.encodeString(request))
        let expected: Result<Value, RequestError>
        do throws(RequestError) {
            expected = .success(try engine.planResources(try PlanResourcesRequest(from: request)).toValue())
        } catch {
            expected = .failure(error)
        }
        do {
            let answer = try await cerbos.planResources(message)
            let got = try JSONReader.parse(Array(try answer.jsonString().utf8))
            switch expected {
            case let .success(want):
                if canonical(got) == canonical(want) { return nil }
                return "got \(got), want \(want)"
            case let .failure(error):
                return "answered \(got), but the engine refuses the request: \(error)"
            }
        } catch let error as GRPCCore.RPCError {
            guard case let .failure(want) = expected else { return "gRPC error \(error.code): \(error.message)" }
            if error.code != .invalidArgument || error.message != want.description {
                return "gRPC error \(error.code) \(error.message), want INVALID_ARGUMENT \(want.description)"
            }
            return nil
        }
    }

    /// Numbers as doubles (protojson writes `1`, which reads back as an integer), without
    /// `cerbosCallId`: every call over the wire gets a fresh one, the engine in process none.
    static func canonical(_ v: Value) -> Value {
        switch v {
        case let .list(items): return .list(items.map(canonical))
        case let .map(m): return .map(MapValue(stringKeyed: m.storage.compactMap { k, v in
            guard case let .string(s) = k, s != "cerbosCallId" else { return nil }
            return (s, canonical(v))
        }))
        case let .int(i): return .double(Double(i))
        case let .uint(u): return .double(Double(u))
        default: return v
        }
    }
}
