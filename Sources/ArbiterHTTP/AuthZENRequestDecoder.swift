import CEL
import OrderedCollections

/// Reads and validates AuthZEN request bodies (`authzen/authorization/v1/evaluation.proto` with
/// its protovalidate rules): unknown fields are rejected, `type`, `id` and `name` are required
/// and non-empty, map keys are non-empty, and a batch needs each evaluation to end up with a
/// subject, a resource and an action, from itself or from the defaults. Errors name the field.
enum AuthZENRequestDecoder {
    /// `AccessEvaluationRequest`.
    static func evaluation(_ body: Value) throws(GatewayError) -> (AuthZENEvaluation, includeMeta: Bool) {
        let top = try object(body, "", allowed: ["subject", "resource", "action", "context"])
        guard let subject = try entity(top, "subject"), let resource = try entity(top, "resource"),
              let action = try action(top, "action") else {
            throw missing(top[string: "subject"] == nil ? "subject" : top[string: "resource"] == nil ? "resource" : "action")
        }
        let context = try stringKeyedMap(top[string: "context"], "context")
        return (AuthZENEvaluation(subject: subject, resource: resource, action: action, context: context),
                includeMeta(context))
    }

    /// `AccessEvaluationBatchRequest`, each evaluation merged with the defaults as Cerbos does:
    /// an evaluation's own subject, resource or action replaces the default whole, and its own
    /// non-empty context replaces the default context.
    static func evaluations(_ body: Value) throws(GatewayError)
        -> (evaluations: [AuthZENEvaluation], includeMeta: Bool, semantic: String) {
        let top = try object(body, "", allowed: ["subject", "resource", "action", "context", "evaluations", "options"])
        let defaultSubject = try entity(top, "subject")
        let defaultResource = try entity(top, "resource")
        let defaultAction = try action(top, "action")
        let defaultContext = try stringKeyedMap(top[string: "context"], "context")
        var semantic = "execute_all"
        if let raw = top[string: "options"], !isNull(raw) {
            let options = try object(raw, "options", allowed: ["evaluationsSemantic", "evaluations_semantic"])
            if let s = options[string: "evaluationsSemantic"] ?? options[string: "evaluations_semantic"], !isNull(s) {
                guard case let .string(text) = s else { throw .invalidArgument("options.evaluationsSemantic: must be a string") }
                guard ["", "execute_all", "deny_on_first_deny", "permit_on_first_permit"].contains(text) else {
                    throw .invalidArgument("options.evaluationsSemantic: value must be in list [, execute_all, deny_on_first_deny, permit_on_first_permit]")
                }
                if !text.isEmpty { semantic = text }
            }
        }
        var items: [Value] = []
        if let raw = top[string: "evaluations"], !isNull(raw) {
            guard case let .list(list) = raw else { throw .invalidArgument("evaluations: must be an array") }
            items = list
        }
        if items.isEmpty { throw .invalidArgument("evaluations: value must contain at least 1 item(s)") }
        var result: [AuthZENEvaluation] = []
        result.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            let path = "evaluations[\(i)]"
            let e = try object(item, path, allowed: ["subject", "resource", "action", "context"])
            let subject = try entity(e, "subject", parent: path) ?? defaultSubject
            let resource = try entity(e, "resource", parent: path) ?? defaultResource
            let action = try action(e, "action", parent: path) ?? defaultAction
            let own = try stringKeyedMap(e[string: "context"], path + ".context")
            guard let subject else { throw .invalidArgument("either the default subject must be set or all evaluations must have a subject [subjects]") }
            guard let resource else { throw .invalidArgument("either the default resource must be set or all evaluations must have a resource [resources]") }
            guard let action else { throw .invalidArgument("either the default action must be set or all evaluations must have an action [actions]") }
            result.append(AuthZENEvaluation(subject: subject, resource: resource, action: action,
                                            context: own.count > 0 ? own : defaultContext))
        }
        return (result, includeMeta(defaultContext), semantic)
    }

    private static func includeMeta(_ context: MapValue) -> Bool {
        if case .bool(true)? = AuthZENEvaluation.cerbosProperty(context, "includeMeta") { return true }
        return false
    }

    private static func missing(_ field: String) -> GatewayError {
        .invalidArgument("\(field): value is required")
    }

    private static func isNull(_ v: Value) -> Bool {
        if case .null = v { return true }
        return false
    }

    private static func join(_ parent: String, _ key: String) -> String {
        parent.isEmpty ? key : parent + "." + key
    }

    private static func object(_ v: Value, _ path: String, allowed: Set<String>) throws(GatewayError) -> MapValue {
        guard case let .map(m) = v else { throw .invalidArgument("\(path.isEmpty ? "request body" : path): must be an object") }
        for case let .string(k) in m.storage.keys where !allowed.contains(k) {
            throw .invalidArgument("\(join(path, k)): unknown field \"\(k)\"")
        }
        return m
    }

    /// A subject or resource at `parent.key`, nil when absent or null.
    private static func entity(_ m: MapValue, _ key: String, parent: String = "") throws(GatewayError) -> AuthZENEvaluation.Entity? {
        guard let raw = m[string: key], !isNull(raw) else { return nil }
        let path = join(parent, key)
        let e = try object(raw, path, allowed: ["type", "id", "properties"])
        let type = try requiredString(e, "type", path)
        let id = try requiredString(e, "id", path)
        let properties = try stringKeyedMap(e[string: "properties"], path + ".properties")
        return .init(type: type, id: id, properties: properties)
    }

    private static func action(_ m: MapValue, _ key: String, parent: String = "") throws(GatewayError) -> String? {
        guard let raw = m[string: key], !isNull(raw) else { return nil }
        let path = join(parent, key)
        let a = try object(raw, path, allowed: ["name", "properties"])
        _ = try stringKeyedMap(a[string: "properties"], path + ".properties")
        return try requiredString(a, "name", path)
    }

    private static func requiredString(_ m: MapValue, _ key: String, _ path: String) throws(GatewayError) -> String {
        guard let raw = m[string: key], !isNull(raw) else { throw missing(path + "." + key) }
        guard case let .string(s) = raw else { throw .invalidArgument("\(path).\(key): must be a string") }
        guard !s.isEmpty else { throw .invalidArgument("\(path).\(key): value length must be at least 1 characters") }
        return s
    }

    /// A `map<string, google.protobuf.Value>`: an object whose keys are non-empty.
    private static func stringKeyedMap(_ raw: Value?, _ path: String) throws(GatewayError) -> MapValue {
        guard let raw, !isNull(raw) else { return MapValue() }
        guard case let .map(m) = raw else { throw .invalidArgument("\(path): must be an object") }
        if m.contains(.string("")) { throw .invalidArgument("\(path): map keys must not be empty") }
        return m
    }
}
