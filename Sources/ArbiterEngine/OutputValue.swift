import ArbiterJSON
import CEL
import OrderedCollections

/// Converts CEL results to the `google.protobuf.Value` shapes Cerbos puts in outputs (spec §2.9).
enum OutputValue {
    /// Maps become objects with string keys, numbers doubles, timestamps RFC 3339 strings and
    /// durations protojson strings (`"3600s"`).
    static func jsonCompatible(_ value: Value) -> Value {
        switch value {
        case .null, .bool, .double, .string: return value
        case let .int(i): return .double(Double(i))
        case let .uint(u): return .double(Double(u))
        case let .bytes(b): return .string(Base64.encode(b))
        case let .list(items): return .list(items.map(jsonCompatible))
        case let .map(m):
            var out = MapValue()
            for (k, v) in m.storage { out.storage[.string(k.jsonMemberName)] = jsonCompatible(v) }
            return .map(out)
        case let .timestamp(t): return .string(t.rfc3339(.groupsOfThree))
        case let .duration(d): return .string(d.secondsText(.groupsOfThree))
        case let .type(t): return .string(t.name)
        case let .optional(inner): return inner.map(jsonCompatible) ?? .null
        case let .error(e): return .string(e.message)
        case .unknown: return .null
        case let .object(o):
            if let p = o as? PrincipalObject {
                let r = p.context
                return jsonCompatible(.map(MapValue(stringKeyed: [("id", r.principalID), ("roles", r.principalRoles),
                                                                  ("attr", r.principalAttr), ("policyVersion", r.principalVersion),
                                                                  ("scope", r.principalScope)])))
            }
            if let p = o as? ResourceObject {
                let r = p.context
                return jsonCompatible(.map(MapValue(stringKeyed: [("kind", r.resourceKind), ("id", r.resourceID),
                                                                  ("attr", r.resourceAttr), ("policyVersion", r.resourceVersion),
                                                                  ("scope", r.resourceScope)])))
            }
            return .string(String(describing: o))
        }
    }
}
