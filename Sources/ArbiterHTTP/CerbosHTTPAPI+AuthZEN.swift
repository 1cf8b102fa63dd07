import ArbiterJSON
import ArbiterServer
import CEL
import NIOCore
import NIOHTTP1

/// AuthZEN mapped onto CheckResources as Cerbos's `authzen_svc.go` does: the subject becomes
/// the principal (roles from the `cerbos.roles` property, else the subject's type), the
/// resource type the kind, properties the attributes, `cerbos.policyVersion` and `cerbos.scope`
/// properties the version and scope; the context carries `cerbos.requestId`,
/// `cerbos.includeMeta` and `cerbos.auxData`. Each decision is one the CheckResources endpoint
/// gives for the same request.
extension CerbosHTTPAPI {
    /// `POST /access/v1/evaluation`.
    func accessEvaluation(_ body: ByteBuffer) throws(GatewayError) -> [UInt8] {
        let (evaluation, includeMeta) = try AuthZENRequestDecoder.evaluation(try parseObject(body))
        let group = AuthZENGroup(first: evaluation, index: 0)
        let (decisions, response) = try decide(group, includeMeta: includeMeta)
        return Self.encode(Self.evaluationResponse(decisions[0], context: response))
    }

    /// `POST /access/v1/evaluations`: evaluations with the same subject id and auxData share one
    /// CheckResources request, evaluations of the same resource one entry of it; results come
    /// back in request order, cut after the first deny or permit when the semantic says so.
    func accessEvaluations(_ body: ByteBuffer) throws(GatewayError) -> [UInt8] {
        let (evaluations, includeMeta, semantic) = try AuthZENRequestDecoder.evaluations(try parseObject(body))
        let total = limits.maxActionsPerResource * limits.maxResourcesPerRequest
        if evaluations.count > total {
            throw .invalidArgument("number of evaluations (\(evaluations.count)) exceeds configured limit (\(total))")
        }
        var groups: [AuthZENGroup] = []
        var groupIndex: [String: Int] = [:]
        for (i, evaluation) in evaluations.enumerated() {
            let key = evaluation.subject.id + "\u{0}" + Self.auxDataKey(evaluation.context)
            if let g = groupIndex[key] {
                groups[g].add(evaluation, index: i)
            } else {
                groupIndex[key] = groups.count
                groups.append(AuthZENGroup(first: evaluation, index: i))
            }
        }
        var results = [Value](repeating: .null, count: evaluations.count)
        for group in groups {
            if group.resources.count > limits.maxResourcesPerRequest {
                throw .invalidArgument("number of resources in batch (\(group.resources.count)) exceeds configured limit (\(limits.maxResourcesPerRequest))")
            }
            for entry in group.resources where entry.actions.count > limits.maxActionsPerResource {
                throw .invalidArgument("number of actions (\(entry.actions.count)) exceeds configured limit (\(limits.maxActionsPerResource))")
            }
            let (decisions, response) = try decide(group, includeMeta: includeMeta)
            for (slot, index) in group.indices.enumerated() {
                results[index] = Self.evaluationResponse(decisions[slot], context: response)
            }
        }
        if semantic != "execute_all" {
            let stopOn = semantic == "permit_on_first_permit"
            if let cut = results.firstIndex(where: { Self.decision(of: $0) == stopOn }) { results.removeSubrange((cut + 1)...) }
        }
        return Self.encode(.map(MapValue(stringKeyed: [("evaluations", .list(results))])))
    }

    /// `GET /.well-known/authzen-configuration`: the endpoints under the base URL the client
    /// used (`X-Forwarded-Proto`/`X-Forwarded-Host` first, then `Host`, else `localhost`).
    func authzenConfiguration(_ headers: HTTPHeaders) -> [UInt8] {
        let scheme = headers.first(name: "x-forwarded-proto") == "https" ? "https" : "http"
        let host = [headers.first(name: "x-forwarded-host"), headers.first(name: "host")].compactMap { $0 }.first { !$0.isEmpty } ?? "localhost"
        let base = "\(scheme)://\(host)"
        return Self.encode(.map(MapValue(stringKeyed: [
            ("policy_decision_point", .string(base)),
            ("access_evaluation_endpoint", .string(base + "/access/v1/evaluation")),
            ("access_evaluations_endpoint", .string(base + "/access/v1/evaluations")),
        ])))
    }

    /// Decides one group with one CheckResources call; returns one decision per evaluation of
    /// the group, in `group.indices` order, and the CheckResources response when meta was asked.
    private func decide(_ group: AuthZENGroup, includeMeta: Bool) throws(GatewayError) -> ([Bool], Value?) {
        guard let snapshot = store.snapshot() else { throw .noPolicies }
        let first = group.first
        var params: [(String, Value)] = [
            ("principal", Self.principal(first.subject)),
            ("resources", .list(group.resources.map { entry in
                .map(MapValue(stringKeyed: [
                    ("actions", .list(entry.actions.map { .string($0) })),
                    ("resource", Self.resource(entry.resource)),
                ]))
            })),
        ]
        let requestId = AuthZENEvaluation.cerbosString(first.context, "requestId")
        if !requestId.isEmpty { params.append(("requestId", .string(requestId))) }
        if includeMeta { params.append(("includeMeta", .bool(true))) }
        if let aux = AuthZENEvaluation.cerbosProperty(first.context, "auxData") { params.append(("auxData", aux)) }
        let response: Value
        do {
            response = try decisions.checkResources(.map(MapValue(stringKeyed: params)), snapshot: snapshot)
        } catch {
            throw gatewayError(error, operation: "AccessEvaluation")
        }
        guard case let .map(top) = response, case let .list(results)? = top[string: "results"], results.count == group.resources.count else {
            throw .internal("AccessEvaluation failed: the CheckResources response has no result per resource")
        }
        let decisions = group.slots.map { slot -> Bool in
            guard case let .map(result) = results[slot.resource], case let .map(actions)? = result[string: "actions"],
                  case .string("EFFECT_ALLOW")? = actions[string: slot.action] else { return false }
            return true
        }
        return (decisions, includeMeta ? response : nil)
    }

    private static func principal(_ subject: AuthZENEvaluation.Entity) -> Value {
        var roles: [String] = []
        if case let .list(items)? = AuthZENEvaluation.cerbosProperty(subject.properties, "roles") {
            for case let .string(role) in items where !role.isEmpty && !roles.contains(role) { roles.append(role) }
        }
        if roles.isEmpty { roles = [subject.type] }
        var pairs: [(String, Value)] = [("id", .string(subject.id)), ("roles", .list(roles.map { .string($0) })),
                                        ("attr", .map(subject.properties))]
        appendVersionAndScope(subject.properties, &pairs)
        return .map(MapValue(stringKeyed: pairs))
    }

    private static func resource(_ resource: AuthZENEvaluation.Entity) -> Value {
        var pairs: [(String, Value)] = [("kind", .string(resource.type)), ("id", .string(resource.id)),
                                        ("attr", .map(resource.properties))]
        appendVersionAndScope(resource.properties, &pairs)
        return .map(MapValue(stringKeyed: pairs))
    }

    private static func appendVersionAndScope(_ properties: MapValue, _ pairs: inout [(String, Value)]) {
        let version = AuthZENEvaluation.cerbosString(properties, "policyVersion")
        if !version.isEmpty { pairs.append(("policyVersion", .string(version))) }
        let scope = AuthZENEvaluation.cerbosString(properties, "scope")
        if !scope.isEmpty { pairs.append(("scope", .string(scope))) }
    }

    private static func evaluationResponse(_ decision: Bool, context: Value?) -> Value {
        var pairs: [(String, Value)] = [("decision", .bool(decision))]
        if let context { pairs.append(("context", .map(MapValue(stringKeyed: [("cerbos.response", context)])))) }
        return .map(MapValue(stringKeyed: pairs))
    }

    private static func decision(of response: Value) -> Bool {
        if case let .map(m) = response, case .bool(true)? = m[string: "decision"] { return true }
        return false
    }

    /// The auxData of a context as grouping text: evaluations with different tokens need
    /// different requests.
    private static func auxDataKey(_ context: MapValue) -> String {
        guard let aux = AuthZENEvaluation.cerbosProperty(context, "auxData") else { return "" }
        return String(decoding: encode(aux), as: UTF8.self)
    }
}

/// Evaluations that share one CheckResources request: one subject (the first's), and one
/// resource entry per distinct resource type and id, with the distinct actions asked of it.
struct AuthZENGroup {
    struct ResourceEntry {
        var resource: AuthZENEvaluation.Entity
        var actions: [String]
    }

    /// Where an evaluation's decision is found: resource entry and action.
    struct Slot {
        var resource: Int
        var action: String
    }

    let first: AuthZENEvaluation
    private(set) var resources: [ResourceEntry] = []
    private(set) var slots: [Slot] = []
    /// The evaluations' positions in the request, parallel to `slots`.
    private(set) var indices: [Int] = []
    private var resourceIndex: [String: Int] = [:]

    init(first: AuthZENEvaluation, index: Int) {
        self.first = first
        add(first, index: index)
    }

    mutating func add(_ evaluation: AuthZENEvaluation, index: Int) {
        let key = evaluation.resource.type + "\u{0}" + evaluation.resource.id
        let r: Int
        if let existing = resourceIndex[key] {
            r = existing
        } else {
            r = resources.count
            resourceIndex[key] = r
            resources.append(ResourceEntry(resource: evaluation.resource, actions: []))
        }
        if !resources[r].actions.contains(evaluation.action) { resources[r].actions.append(evaluation.action) }
        slots.append(Slot(resource: r, action: evaluation.action))
        indices.append(index)
    }
}
