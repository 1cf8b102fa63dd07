import ArbiterEngine
import ArbiterJSON
import CEL

/// The decision parts of an entry, in Cerbos's `DecisionLogEntry` JSON (audit/v1/audit.proto).
extension DecisionRecorder {
    static func writeCheck(request: CheckResourcesRequest, response: CheckResourcesResponse, into w: inout JSONWriter) {
        w.appendASCII(",\"checkResources\":{\"inputs\":[")
        for (i, entry) in request.resources.enumerated() {
            if i > 0 { w.appendASCII(",") }
            w.appendASCII("{\"requestId\":")
            w.writeString(request.requestId)
            w.appendASCII(",\"resource\":")
            writeObject(kindOrID: [("kind", entry.resource.kind), ("id", entry.resource.id)], attr: entry.resource.attr,
                        policyVersion: entry.resource.policyVersion, scope: entry.resource.scope, into: &w)
            w.appendASCII(",\"principal\":")
            writePrincipal(request.principal, into: &w)
            w.appendASCII(",\"actions\":")
            writeStrings(entry.actions, into: &w)
            if let aux = request.auxData { writeMember("auxData", aux, into: &w) }
            w.appendASCII("}")
        }
        w.appendASCII("],\"outputs\":[")
        var policies: [String] = []
        for (i, result) in response.results.enumerated() {
            if i > 0 { w.appendASCII(",") }
            w.appendASCII("{\"requestId\":")
            w.writeString(response.requestId)
            w.appendASCII(",\"resourceId\":")
            w.writeString(result.resource.id)
            w.appendASCII(",\"actions\":{")
            for (j, decided) in result.actions.enumerated() {
                if j > 0 { w.appendASCII(",") }
                w.writeString(decided.action)
                w.appendASCII(":{\"effect\":")
                w.writeString(decided.effect.rawValue)
                let matched = result.meta?.actions.first { $0.action == decided.action }
                let policy = matched?.matchedPolicy ?? ""
                w.appendASCII(",\"policy\":")
                w.writeString(policy)
                w.appendASCII(",\"scope\":")
                w.writeString(matched?.matchedScope ?? "")
                w.appendASCII("}")
                if !policy.isEmpty, policy != "NO_MATCH", !policies.contains(policy) { policies.append(policy) }
            }
            w.appendASCII("},\"effectiveDerivedRoles\":")
            writeStrings(result.meta?.effectiveDerivedRoles ?? [], into: &w)
            if !result.validationErrors.isEmpty {
                w.appendASCII(",\"validationErrors\":[")
                for (j, e) in result.validationErrors.enumerated() {
                    if j > 0 { w.appendASCII(",") }
                    w.appendASCII("{\"path\":")
                    w.writeString(e.path)
                    w.appendASCII(",\"message\":")
                    w.writeString(e.message)
                    w.appendASCII("}")
                }
                w.appendASCII("]")
            }
            if !result.outputs.isEmpty {
                w.appendASCII(",\"outputs\":[")
                for (j, o) in result.outputs.enumerated() {
                    if j > 0 { w.appendASCII(",") }
                    w.appendASCII("{\"src\":")
                    w.writeString(o.src)
                    if let v = o.value { writeMember("val", v, into: &w) }
                    w.appendASCII("}")
                }
                w.appendASCII("]")
            }
            w.appendASCII("}")
        }
        w.appendASCII("]}")
        writeAuditTrail(policies, into: &w)
    }

    static func writePlan(request: PlanResourcesRequest, response: PlanResourcesResponse, into w: inout JSONWriter) {
        w.appendASCII(",\"planResources\":{\"input\":{\"requestId\":")
        w.writeString(request.requestId)
        w.appendASCII(",\"actions\":")
        writeStrings(request.actions, into: &w)
        w.appendASCII(",\"principal\":")
        writePrincipal(request.principal, into: &w)
        w.appendASCII(",\"resource\":")
        writeObject(kindOrID: [("kind", request.resource.kind)], attr: request.resource.attr,
                    policyVersion: request.resource.policyVersion, scope: request.resource.scope, into: &w)
        if let aux = request.auxData { writeMember("auxData", aux, into: &w) }
        w.appendASCII("}")
        writeMember("output", response.toValue(), into: &w)
        w.appendASCII("}")
        // A plan's response names no policies (only scopes, with includeMeta), so the trail is
        // empty, as Cerbos logs it for plans.
        writeAuditTrail([], into: &w)
    }

    /// `"auditTrail":{"effectivePolicies":{name:{"attributes":{"driver":"disk"}}}}`, as Cerbos
    /// logs the policies that produced the decision.
    static func writeAuditTrail(_ policies: [String], into w: inout JSONWriter) {
        w.appendASCII(",\"auditTrail\":{\"effectivePolicies\":{")
        for (i, p) in policies.enumerated() {
            if i > 0 { w.appendASCII(",") }
            w.writeString(p)
            w.appendASCII(":{\"attributes\":{\"driver\":\"disk\"}}")
        }
        w.appendASCII("}}")
    }

    static func writePrincipal(_ p: Principal, into w: inout JSONWriter) {
        w.appendASCII("{\"id\":")
        w.writeString(p.id)
        w.appendASCII(",\"roles\":")
        writeStrings(p.roles, into: &w)
        writeMember("attr", .map(p.attr), into: &w)
        w.appendASCII(",\"policyVersion\":")
        w.writeString(p.policyVersion)
        w.appendASCII(",\"scope\":")
        w.writeString(p.scope)
        w.appendASCII("}")
    }

    static func writeObject(kindOrID: [(String, String)], attr: MapValue, policyVersion: String, scope: String, into w: inout JSONWriter) {
        w.appendASCII("{")
        for (i, (k, v)) in kindOrID.enumerated() {
            if i > 0 { w.appendASCII(",") }
            w.writeString(k)
            w.appendASCII(":")
            w.writeString(v)
        }
        writeMember("attr", .map(attr), into: &w)
        w.appendASCII(",\"policyVersion\":")
        w.writeString(policyVersion)
        w.appendASCII(",\"scope\":")
        w.writeString(scope)
        w.appendASCII("}")
    }

    static func writeStrings(_ items: [String], into w: inout JSONWriter) {
        w.appendASCII("[")
        for (i, s) in items.enumerated() {
            if i > 0 { w.appendASCII(",") }
            w.writeString(s)
        }
        w.appendASCII("]")
    }

    /// `,"name":value`; a value JSON cannot carry (it came from a request that was parsed from
    /// JSON, so this should not happen) is logged as null rather than splitting the entry.
    static func writeMember(_ name: StaticString, _ value: Value, into w: inout JSONWriter) {
        w.appendASCII(",\"")
        w.appendASCII(name)
        w.appendASCII("\":")
        let mark = w.bytes.count
        do { try w.write(value) } catch {
            w.bytes.removeSubrange(mark...)
            w.appendASCII("null")
        }
    }
}
