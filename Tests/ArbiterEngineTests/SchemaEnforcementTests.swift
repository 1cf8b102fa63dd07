import ArbiterEngine
import ArbiterJSON
import ArbiterPolicy
import CEL
import Testing

/// The engine's schema hook on a small store: enforcement modes, `ignoreWhen`, the root policy's
/// schemas applying to scoped policies, and the CheckResources response.
@Suite struct SchemaEnforcementTests {
    static func policy(scope: String?, ignore: String = "") -> String {
        """
        apiVersion: api.cerbos.dev/v1
        resourcePolicy:
          resource: "doc"
          version: default
        \(scope.map { "  scope: \($0)" } ?? "")
        \(scope == nil ? """
          schemas:
            principalSchema:
              ref: cerbos:///principal.json
            resourceSchema:
              ref: cerbos:///doc.json\(ignore)
        """ : "")
          rules:
            - actions: ["view", "edit"]
              effect: EFFECT_ALLOW
              roles: ["user"]
        """
    }

    static func engine(_ enforcement: SchemaEnforcement, ignore: String = "") throws -> Engine {
        let files: [(path: String, contents: [UInt8])] = [
            ("doc.yaml", Array(policy(scope: nil, ignore: ignore).utf8)),
            ("doc_acme.yaml", Array(policy(scope: "acme").utf8)),
            ("_schemas/principal.json", Array(#"{"type": "object", "required": ["department"]}"#.utf8)),
            ("_schemas/doc.json", Array(#"{"properties": {"status": {"enum": ["draft", "published"]}}}"#.utf8)),
        ]
        let load = PolicyLoader.load(files: files)
        let compiled = PolicyCompiler(expressionCompiler: CELExpressionCompiler()).compile(load)
        guard let set = compiled.policySet else { throw TestFailure("does not compile: \(compiled.diagnostics)") }
        return Engine(policySet: set, configuration: EngineConfiguration(schemaEnforcement: enforcement))
    }

    struct TestFailure: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    static func request(status: String, scope: String = "", actions: [String] = ["view", "edit"]) throws -> CheckResourcesRequest {
        let actionList = actions.map { "\"\($0)\"" }.joined(separator: ",")
        return try CheckResourcesRequest(from: try JSONReader.parse("""
            {"requestId": "r", "includeMeta": true, "principal": {"id": "u", "roles": ["user"], "attr": {}},
             "resources": [{"actions": [\(actionList)], "resource": {"kind": "doc", "id": "d", "scope": "\(scope)", "attr": {"status": "\(status)"}}}]}
            """))
    }

    @Test func reject_deniesEveryAction_withTheMostSpecificPolicyKey_andReportsSortedErrors() throws {
        let result = try Self.engine(.reject).checkResources(try Self.request(status: "gone", scope: "acme")).results[0]
        #expect(result.actions.map(\.effect) == [.deny, .deny])
        #expect(result.meta?.actions.map(\.matchedPolicy) == ["resource.doc.vdefault/acme", "resource.doc.vdefault/acme"])
        #expect(result.meta?.actions.map(\.matchedScope) == ["", ""])
        #expect(result.validationErrors == [
            ValidationError(path: "/", message: "missing properties: 'department'", source: .principal),
            ValidationError(path: "/status", message: #"value must be one of "draft", "published""#, source: .resource),
        ])
    }

    @Test func warn_reportsErrors_butDecidesAsUsual() throws {
        let result = try Self.engine(.warn).checkResources(try Self.request(status: "gone")).results[0]
        #expect(result.actions.map(\.effect) == [.allow, .allow])
        #expect(result.validationErrors.count == 2)
    }

    @Test func none_checksNothing() throws {
        let result = try Self.engine(.none).checkResources(try Self.request(status: "gone")).results[0]
        #expect(result.actions.map(\.effect) == [.allow, .allow])
        #expect(result.validationErrors.isEmpty)
    }

    @Test func ignoreWhen_skipsASideOnlyWhenEveryActionIsIgnored() throws {
        let engine = try Self.engine(.reject, ignore: "\n      ignoreWhen:\n        actions: [\"vi*\"]")
        let viewOnly = try engine.checkResources(try Self.request(status: "gone", actions: ["view"])).results[0]
        #expect(viewOnly.validationErrors.map(\.source) == [.principal])
        let both = try engine.checkResources(try Self.request(status: "gone")).results[0]
        #expect(both.validationErrors.map(\.source) == [.principal, .resource])
    }

    @Test func noPolicyChainForTheKind_meansNoValidation() throws {
        var request = try Self.request(status: "gone")
        request.resources[0].resource.kind = "other"
        let result = try Self.engine(.reject).checkResources(request).results[0]
        #expect(result.validationErrors.isEmpty)
        #expect(result.meta?.actions.map(\.matchedPolicy) == ["NO_MATCH", "NO_MATCH"])
    }

    // MARK: PlanResources

    static func planRequest(status: String?, scope: String = "") throws -> PlanResourcesRequest {
        let attr = status.map { #"{"status": "\#($0)"}"# } ?? "{}"
        return try PlanResourcesRequest(from: try JSONReader.parse("""
            {"requestId": "p", "includeMeta": true, "actions": ["view"], "principal": {"id": "u", "roles": ["user"], "attr": {}},
             "resource": {"kind": "doc", "scope": "\(scope)", "attr": \(attr)}}
            """))
    }

    @Test func plan_underReject_isAlwaysDenied_andReportsTheErrors() throws {
        let response = try Self.engine(.reject).planResources(try Self.planRequest(status: "gone", scope: "acme"))
        #expect(response.filter.kind == .alwaysDenied)
        #expect(response.validationErrors == [
            ValidationError(path: "/", message: "missing properties: 'department'", source: .principal),
            ValidationError(path: "/status", message: #"value must be one of "draft", "published""#, source: .resource),
        ])
        guard case let .map(top) = response.toValue(), case let .list(errors)? = top[string: "validationErrors"] else {
            Issue.record("no validationErrors in \(response.toValue())")
            return
        }
        #expect(errors.count == 2)
    }

    @Test func plan_underWarn_plansAsUsual_andReportsTheErrors() throws {
        let response = try Self.engine(.warn).planResources(try Self.planRequest(status: "gone"))
        #expect(response.filter.kind == .alwaysAllowed)
        #expect(response.validationErrors.map(\.source) == [.principal, .resource])
    }

    @Test func plan_leavesOutTheResourcesRequiredProperties_butNotThePrincipals() throws {
        let files: [(path: String, contents: [UInt8])] = [
            ("doc.yaml", Array(Self.policy(scope: nil).utf8)),
            ("_schemas/principal.json", Array(#"{"type": "object", "required": ["department"]}"#.utf8)),
            ("_schemas/doc.json", Array(#"{"type": "object", "required": ["status"]}"#.utf8)),
        ]
        let compiled = PolicyCompiler(expressionCompiler: CELExpressionCompiler()).compile(PolicyLoader.load(files: files))
        guard let set = compiled.policySet else { throw TestFailure("does not compile: \(compiled.diagnostics)") }
        let engine = Engine(policySet: set, configuration: EngineConfiguration(schemaEnforcement: .reject))
        let response = try engine.planResources(try Self.planRequest(status: nil))
        #expect(response.validationErrors == [ValidationError(path: "/", message: "missing properties: 'department'", source: .principal)])
        #expect(response.filter.kind == .alwaysDenied)
    }

    @Test func plan_validAttributes_reportNothing() throws {
        let files: [(path: String, contents: [UInt8])] = [
            ("doc.yaml", Array(Self.policy(scope: nil).utf8)),
            ("_schemas/principal.json", Array(#"{"type": "object"}"#.utf8)),
            ("_schemas/doc.json", Array(#"{"properties": {"status": {"enum": ["draft", "published"]}}}"#.utf8)),
        ]
        let compiled = PolicyCompiler(expressionCompiler: CELExpressionCompiler()).compile(PolicyLoader.load(files: files))
        guard let set = compiled.policySet else { throw TestFailure("does not compile: \(compiled.diagnostics)") }
        let response = try Engine(policySet: set, configuration: EngineConfiguration(schemaEnforcement: .reject))
            .planResources(try Self.planRequest(status: "draft"))
        #expect(response.validationErrors.isEmpty)
        #expect(response.filter.kind == .alwaysAllowed)
    }
}
