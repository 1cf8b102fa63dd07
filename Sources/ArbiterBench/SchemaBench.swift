import ArbiterEngine
import ArbiterJSON
import ArbiterPolicy
import ArbiterSchema
import CEL

/// Attribute schemas (issue 15): one typical resource (10 attributes, an enum, a pattern, a
/// nested object) through the validator alone, and a CheckResources request with schema
/// enforcement off, `warn` and `reject` on the same policy, in process and over the socket.
enum SchemaBench {
    static let schema = #"""
        {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
         "required": ["id", "owner", "status", "department"],
         "properties": {
           "id": {"type": "string", "pattern": "^[A-Z]{2}[0-9]{3,}$"},
           "owner": {"type": "string", "minLength": 1},
           "status": {"enum": ["DRAFT", "PENDING_APPROVAL", "APPROVED", "REJECTED"]},
           "department": {"type": "string", "enum": ["marketing", "engineering", "sales"]},
           "geography": {"type": "string", "maxLength": 2},
           "team": {"type": "string"},
           "amount": {"type": "number", "minimum": 0},
           "days": {"type": "integer", "minimum": 1, "maximum": 365},
           "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true},
           "address": {"type": "object", "required": ["city"],
                       "properties": {"city": {"type": "string"}, "zip": {"type": "string", "pattern": "^[0-9]{5}$"}}}
         }}
        """#

    static let attributes = #"""
        {"id": "XX125", "owner": "john", "status": "PENDING_APPROVAL", "department": "marketing", "geography": "GB",
         "team": "design", "amount": 1250.5, "days": 3, "tags": ["urgent", "q3"], "address": {"city": "London", "zip": "10001"}}
        """#

    /// The CheckResources request of the in-process and socket rows: the bench resource, two actions.
    static let requestJSON = """
        {"requestId": "r", "principal": {"id": "john", "roles": ["employee"], "attr": {"department": "marketing"}},
         "resources": [{"actions": ["view", "approve"], "resource": {"kind": "leave_request", "id": "XX125", "attr": \(attributes)}}]}
        """

    static let policy = """
        apiVersion: api.cerbos.dev/v1
        resourcePolicy:
          resource: leave_request
          version: default
          schemas:
            resourceSchema:
              ref: cerbos:///leave_request.json
          rules:
            - actions: ["view", "approve"]
              effect: EFFECT_ALLOW
              roles: ["employee"]
              condition:
                match:
                  expr: request.resource.attr.department == request.principal.attr.department
        """

    static func run(report: BenchReport, quick: Bool) throws {
        let compiled = try SchemaCompiler(assertFormat: true).compile(try JSONReader.parse(schema), uri: "cerbos:///leave_request.json")
        let value = try JSONReader.parse(attributes)
        guard compiled.validate(value).isEmpty else { throw BenchFailure("the bench resource does not match its schema") }
        let rounds = quick ? 3 : 9
        let n = calibratedCount(targetNanos: quick ? 20_000_000 : 100_000_000) { n in
            for _ in 0..<n { _ = compiled.validate(value) }
        }
        let validate = medianNanosPerOp(rounds: rounds) {
            var errors = 0
            for _ in 0..<n { errors &+= compiled.validate(value).count }
            return n + errors
        }
        report.add("schema", "validate 10-attr resource", validate / 1000, "µs",
                   note: "enum, pattern, nested object, array; goal ≤ 2 µs")

        let (set, request) = try policySetAndRequest()
        var perMode: [SchemaEnforcement: Double] = [:]
        for mode in SchemaEnforcement.allCases {
            let engine = Engine(policySet: set, configuration: EngineConfiguration(schemaEnforcement: mode))
            let now = Engine.currentTime()
            let response = try engine.checkResources(request, now: now)
            guard response.results.first?.validationErrors.isEmpty == true else { throw BenchFailure("unexpected validation errors") }
            let count = calibratedCount(targetNanos: quick ? 20_000_000 : 100_000_000) { n in
                for _ in 0..<n { _ = try? engine.checkResources(request, now: now) }
            }
            perMode[mode] = try medianNanosPerOp(rounds: rounds) {
                var results = 0
                for _ in 0..<count { results &+= try engine.checkResources(request, now: now).results.count }
                return results
            }
            report.add("schema", "CheckResources, enforcement \(mode.rawValue)", perMode[mode]! / 1000, "µs")
        }
        let hookEngine = Engine(policySet: set, configuration: EngineConfiguration(schemaEnforcement: .warn))
        let principal = request.principal, resource = request.resources[0].resource, actions = request.resources[0].actions
        let hookCount = calibratedCount(targetNanos: quick ? 20_000_000 : 100_000_000) { n in
            for _ in 0..<n { _ = hookEngine.validateSchemas(principal: principal, resource: resource, actions: actions) }
        }
        let hook = medianNanosPerOp(rounds: rounds) {
            var errors = 0
            for _ in 0..<hookCount { errors &+= hookEngine.validateSchemas(principal: principal, resource: resource, actions: actions).errors.count }
            return hookCount + errors
        }
        report.add("schema", "Engine.validateSchemas hook", hook / 1000, "µs")
        if let off = perMode[SchemaEnforcement.none], let on = perMode[.reject] {
            report.add("schema", "CheckResources reject / none", on / off, "×", note: "goal ≤ 1.5×")
        }
        try runSocket(report: report, quick: quick)
    }
}

extension SchemaBench {
    /// The bench policy with its schema, compiled, and a CheckResources request for it.
    static func policySetAndRequest() throws -> (PolicySet, CheckResourcesRequest) {
        let load = PolicyLoader.load(files: [("leave_request.yaml", Array(policy.utf8)), ("_schemas/leave_request.json", Array(schema.utf8))])
        guard let set = LoadBench.compile(load) else { throw BenchFailure("the schema bench policy does not compile: \(load.diagnostics)") }
        let request = try CheckResourcesRequest(from: try JSONReader.parse(requestJSON))
        return (set, request)
    }

    /// `--loop-schema-check MODE N`: the bench CheckResources request N times under
    /// `schema.enforcement` MODE, untimed (CPU time from `perf stat` is steady on a busy machine).
    static func loopCheck(_ mode: String, _ n: Int) throws {
        guard let enforcement = SchemaEnforcement(rawValue: mode) else { throw BenchFailure("unknown enforcement \(mode)") }
        let (set, request) = try policySetAndRequest()
        let engine = Engine(policySet: set, configuration: EngineConfiguration(schemaEnforcement: enforcement))
        let now = Engine.currentTime()
        var results = 0
        for _ in 0..<n { results &+= try engine.checkResources(request, now: now).results.count }
        print("\(results) results")
    }

    /// `--loop-schema N`: the bench resource validated N times, untimed (for perf).
    static func loop(_ n: Int) throws {
        let compiled = try SchemaCompiler(assertFormat: true).compile(try JSONReader.parse(schema), uri: "cerbos:///leave_request.json")
        let value = try JSONReader.parse(attributes)
        var errors = 0
        for _ in 0..<n { errors &+= compiled.validate(value).count }
        print("\(errors) errors")
    }
}
