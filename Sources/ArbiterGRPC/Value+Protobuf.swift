import CEL
import OrderedCollections
import SwiftProtobuf

extension Value {
    /// A request attribute as CEL sees it, the same value the JSON decoder makes from the same
    /// protojson: numbers are doubles, structs maps with string keys. Protobuf maps carry no
    /// order, so struct keys are sorted to make iteration repeatable.
    init(protobuf value: Google_Protobuf_Value) {
        switch value.kind {
        case .none, .nullValue: self = .null
        case let .boolValue(b): self = .bool(b)
        case let .numberValue(d): self = .double(d)
        case let .stringValue(s): self = .string(s)
        case let .listValue(list): self = .list(list.values.map { Value(protobuf: $0) })
        case let .structValue(object): self = .map(MapValue(protobuf: object.fields))
        }
    }
}

extension MapValue {
    /// An attribute map (`map<string, google.protobuf.Value>`), keys sorted.
    init(protobuf fields: [String: Google_Protobuf_Value]) {
        self.init()
        guard !fields.isEmpty else { return }
        for key in fields.keys.sorted() {
            storage[.string(key)] = Value(protobuf: fields[key]!)
        }
    }
}

extension Google_Protobuf_Value {
    /// An output value. The engine has already made outputs JSON-shaped (`OutputValue`): null,
    /// bools, doubles, strings, lists and string-keyed maps; anything else would be a bug there
    /// and is written as its description rather than dropped.
    init(cel value: Value) {
        self.init()
        switch value {
        case .null: kind = .nullValue(.nullValue)
        case let .bool(b): kind = .boolValue(b)
        case let .double(d): kind = .numberValue(d)
        case let .int(i): kind = .numberValue(Double(i))
        case let .uint(u): kind = .numberValue(Double(u))
        case let .string(s): kind = .stringValue(s)
        case let .list(items):
            kind = .listValue(Google_Protobuf_ListValue.with { $0.values = items.map { Google_Protobuf_Value(cel: $0) } })
        case let .map(m):
            var object = Google_Protobuf_Struct()
            for (key, item) in m.storage {
                let name: String
                if case let .string(s) = key { name = s } else { name = "\(key)" }
                object.fields[name] = Google_Protobuf_Value(cel: item)
            }
            kind = .structValue(object)
        default: kind = .stringValue(String(describing: value))
        }
    }
}
