import ArbiterYAML
import CEL

extension YAMLScalar {
    /// The scalar as protobuf's `Value` holds it (integers become doubles), the one reading of
    /// YAML data that policies, test suites and conformance files share.
    public var protobufValue: Value {
        switch resolved {
        case .null: return .null
        case let .bool(b): return .bool(b)
        case let .int(i): return .double(Double(i))
        case let .double(d): return .double(d)
        case let .string(text): return .string(text)
        }
    }
}

extension YAMLNode {
    /// The node as a JSON-shaped value the way protobuf's `Value` holds it: numbers are
    /// doubles, mappings string-keyed maps. A mapping key that is not a scalar has no string
    /// form, so its pair is left out; the policy and test-suite decoders walk nodes themselves
    /// to report such keys with their paths.
    public var protobufValue: Value {
        switch kind {
        case let .scalar(s): return s.protobufValue
        case let .sequence(items): return .list(items.map(\.protobufValue))
        case let .mapping(pairs):
            return .map(MapValue(stringKeyed: pairs.compactMap { pair in
                pair.key.scalar.map { ($0.value, pair.value.protobufValue) }
            }))
        }
    }
}
