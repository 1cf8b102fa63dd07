import ArbiterJSON
import ArbiterPolicy
import ArbiterYAML
import CEL
import Testing
@testable import ArbiterEngine

/// The direct encoder (`CheckResourcesResponse.encodeJSON`) must write exactly the bytes of the
/// `Value` path (`toValue()` through `JSONWriter`), which is what clients saw before it existed.
@Suite struct CheckResourcesResponseJSONTests {
    func expectSameBytes(_ response: CheckResourcesResponse, _ label: String) throws {
        let viaValue = try JSONWriter.encode(response.toValue())
        let direct = try response.encodeJSON()
        #expect(direct == viaValue, "\(label): \(String(decoding: direct, as: UTF8.self)) vs \(String(decoding: viaValue, as: UTF8.self))")
    }

    @Test(arguments: [false, true])
    func engineConformanceResponses_encodeIdentically(includeMeta: Bool) throws {
        let dir = ConformanceData.root + "/cerbos/engine"
        guard ConformanceData.exists(dir) else {
            Issue.record("conformance data not found at \(dir); set \(ConformanceData.variable) to the conformance folder")
            return
        }
        guard let set = ConformanceData.compiledStore().0 else {
            Issue.record("store failed to compile")
            return
        }
        let engine = Engine(policySet: set, configuration: EngineConfiguration(
            globals: MapValue(stringKeyed: [("environment", .string("test"))])))
        var compared = 0
        for file in ConformanceData.files(in: dir) {
            guard let bytes = ConformanceData.read(dir + "/" + file) else {
                Issue.record("cannot read \(file)")
                continue
            }
            let docs = try YAMLParser.parse(bytes, file: file)
            guard let doc = docs.first, case let .map(testCase) = doc.protobufValue,
                  case let .list(inputs)? = testCase[string: "inputs"] else {
                Issue.record("\(file): no inputs")
                continue
            }
            for (i, raw) in inputs.enumerated() {
                let input = try CheckInput(from: raw, path: "inputs[\(i)]")
                let request = CheckResourcesRequest(
                    requestId: input.requestId, includeMeta: includeMeta, principal: input.principal,
                    resources: [.init(actions: input.actions, resource: input.resource)])
                let response = try engine.checkResources(request, auxData: input.auxData, now: fixedNow)
                try expectSameBytes(response, "\(file)#\(i)")
                compared += 1
            }
        }
        #expect(compared > 50)
    }

    @Test func handBuiltResponses_encodeIdentically() throws {
        let resource = Resource(kind: "leave\"request", id: "x\n1\u{1}é", policyVersion: "20210210", scope: "acme.hr")
        let outputs = [
            OutputEntry(src: "resource.a.vdefault#r1", action: "view", value: .map(MapValue(stringKeyed: [
                ("n", .double(1.5)), ("big", .double(1e21)), ("i", .double(3)), ("l", .list([.null, .bool(true), .string("\\")])),
                ("e", .map(MapValue())),
            ]))),
            OutputEntry(src: "resource.a.vdefault#r2", action: "edit", value: nil, error: "no such key: x"),
            OutputEntry(src: "resource.a.vdefault#r3", action: "edit", value: .string("")),
        ]
        let full = CheckResourcesResponse.Result(
            resource: resource, actions: [("view", .allow), ("edit", .deny), ("a\"b", .allow)],
            validationErrors: [ValidationError(path: "/attr/x", message: "expected \"string\"", source: .principal),
                               ValidationError(path: "", message: "m", source: .resource)],
            meta: .init(actions: [("view", "resource.a.vdefault/acme.hr", "acme.hr"), ("edit", "NO_MATCH", ""),
                                  ("a\"b", "resource.a.vdefault", "")],
                        effectiveDerivedRoles: ["owner", "tab\there"]),
            outputs: outputs)
        let bare = CheckResourcesResponse.Result(
            resource: Resource(kind: "k", id: ""), actions: [], validationErrors: [],
            meta: .init(actions: [], effectiveDerivedRoles: []), outputs: [])
        // Repeated actions cannot come from a validated request, but a map keeps the first
        // position and the last value, and the direct path must agree.
        let repeated = CheckResourcesResponse.Result(
            resource: Resource(kind: "k", id: "1"), actions: [("view", .allow), ("edit", .deny), ("view", .deny)],
            validationErrors: [], meta: .init(actions: [("view", "p1", "s"), ("view", "p2", "")], effectiveDerivedRoles: []),
            outputs: [])
        let noMeta = CheckResourcesResponse.Result(
            resource: Resource(kind: "k", id: "2", scope: "s"), actions: [("view", .allow)], validationErrors: [], meta: nil,
            outputs: [])
        try expectSameBytes(CheckResourcesResponse(requestId: "r-\"1\"", results: [full, bare, repeated, noMeta]), "mixed")
        try expectSameBytes(CheckResourcesResponse(requestId: "", results: [noMeta]), "no request id")
        try expectSameBytes(CheckResourcesResponse(requestId: "", results: []), "empty")
        let manyActions = (0..<20).map { ("a\($0 % 19)", ArbiterEngine.Effect.allow) }
        try expectSameBytes(CheckResourcesResponse(requestId: "", results: [.init(
            resource: Resource(kind: "k", id: "3"), actions: manyActions, validationErrors: [], meta: nil, outputs: [])]),
            "long repeated")
    }

    @Test func unwritableOutputValue_failsLikeTheValuePath() throws {
        let result = CheckResourcesResponse.Result(
            resource: Resource(kind: "k", id: "1"), actions: [("view", .allow)], validationErrors: [], meta: nil,
            outputs: [OutputEntry(src: "s", action: "view", value: .error(EvalError("boom")))])
        let response = CheckResourcesResponse(requestId: "", results: [result])
        #expect(throws: JSONEncodingError.self) { try JSONWriter.encode(response.toValue()) }
        #expect(throws: JSONEncodingError.self) { try response.encodeJSON() }
    }
}
