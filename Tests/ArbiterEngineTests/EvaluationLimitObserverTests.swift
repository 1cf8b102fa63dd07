import ArbiterEngine
import ArbiterJSON
import ArbiterPolicy
import CEL
import Synchronization
import Testing

/// An expression that hits an `engine.celLimits` bound is reported to the configured observer
/// with the policy and rule it belongs to, whether or not the request asked for metadata; an
/// ordinary evaluation error is not.
@Suite struct EvaluationLimitObserverTests {
    final class Recorder: EvaluationLimitObserver {
        let incidents = Mutex<[LimitIncident]>([])
        func limitExceeded(_ incident: LimitIncident) { incidents.withLock { $0.append(incident) } }
    }

    static let policies: [(String, String)] = [
        ("doc.yaml", """
        apiVersion: api.cerbos.dev/v1
        resourcePolicy:
          resource: doc
          version: default
          importDerivedRoles: [common]
          rules:
            - name: range-rule
              actions: ["view"]
              effect: EFFECT_ALLOW
              roles: ["user"]
              condition:
                match:
                  expr: lists.range(int(R.attr.n)).size() > 0
            - name: missing-rule
              actions: ["edit"]
              effect: EFFECT_ALLOW
              roles: ["user"]
              condition:
                match:
                  expr: R.attr.absent == 1
            - name: derived-rule
              actions: ["share"]
              effect: EFFECT_ALLOW
              derivedRoles: ["big"]
        """),
        ("common.yaml", """
        apiVersion: api.cerbos.dev/v1
        derivedRoles:
          name: common
          definitions:
            - name: big
              parentRoles: ["user"]
              condition:
                match:
                  expr: lists.range(int(R.attr.m)).size() > 1
        """),
    ]

    /// `n` drives the resource rule's range and `m` the derived role's.
    static func check(_ actions: [String], includeMeta: Bool, n: Int = 1_000_000_000_000,
                      m: Int = 2) throws -> (CheckResourcesResponse, [LimitIncident]) {
        let load = PolicyLoader.load(files: policies.map { ($0.0, Array($0.1.utf8)) })
        let compiled = PolicyCompiler(expressionCompiler: CELExpressionCompiler()).compile(load)
        let set = try #require(compiled.policySet, "\(compiled.diagnostics)")
        let recorder = Recorder()
        var configuration = EngineConfiguration()
        configuration.limitObserver = recorder
        let engine = Engine(policySet: set, configuration: configuration)
        let request = try CheckResourcesRequest(from: try JSONReader.parse("""
            {"principal": {"id": "u", "roles": ["user"]}, "includeMeta": \(includeMeta),
             "resources": [{"actions": \(actions), "resource": {"kind": "doc", "id": "1",
                            "attr": {"n": \(n), "m": \(m)}}}]}
            """))
        let response = try engine.checkResources(request)
        return (response, recorder.incidents.withLock { $0 })
    }

    @Test(arguments: [false, true])
    func limitError_isReportedWithPolicyAndRule_andDenies(includeMeta: Bool) throws {
        let (response, incidents) = try Self.check(["view"], includeMeta: includeMeta)
        #expect(response.results[0].actions.map(\.effect) == [.deny])
        #expect(incidents.map(\.origin) == ["resource.doc.vdefault#range-rule"])
        #expect(incidents.first?.expression == "lists.range(int(R.attr.n)).size() > 0")
        #expect(incidents.first?.message.hasSuffix("(list size limit)") == true)
    }

    @Test func derivedRoleLimitError_isReportedAsTheDerivedRoles() throws {
        let (response, incidents) = try Self.check(["share"], includeMeta: false, n: 2, m: 1_000_000_000_000)
        #expect(response.results[0].actions.map(\.effect) == [.deny])
        #expect(incidents.map(\.origin) == ["derived_roles.common#big"])
        #expect(incidents.first?.expression == "lists.range(int(R.attr.m)).size() > 1")
    }

    @Test func ordinaryEvaluationError_isNotALimit() throws {
        let (response, incidents) = try Self.check(["edit"], includeMeta: true)
        #expect(response.results[0].actions.map(\.effect) == [.deny])
        #expect(incidents.isEmpty)
    }
}
