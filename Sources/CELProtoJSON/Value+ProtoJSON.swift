import ArbiterJSON
import CEL
import OrderedCollections

/// Conversion between `Value` and the protobuf JSON form of `cel.expr.Value`, the shape of the
/// conformance files and of `arbiter eval --jsonl` (`{"int64Value": "1"}`, `{"nullValue": null}`,
/// `{"mapValue": {"entries": [...]}}` ...). Kinds are decided by key presence. The JSON itself is
/// read and written by ArbiterJSON, as everywhere else.
extension Value {
    /// A value that cannot be represented in `cel.expr.Value` JSON, or malformed JSON.
    public struct ProtoJSONError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    /// Decodes a `cel.expr.Value` from a JSON document as `JSONReader` returns it.
    public init(protoJSON json: Value) throws {
        guard case let .map(o) = json else { throw ProtoJSONError("a Value must be a JSON object") }
        if o[string: "nullValue"] != nil { self = .null; return }
        if let b = o[string: "boolValue"] {
            guard let n = b.jsonBool else { throw ProtoJSONError("boolValue must be a boolean") }
            self = .bool(n); return
        }
        if let i = o[string: "int64Value"] {
            guard let v = Value.integerText(i).flatMap({ Int64($0) }) else { throw ProtoJSONError("bad int64Value \(i.jsonForMessage)") }
            self = .int(v); return
        }
        if let u = o[string: "uint64Value"] {
            guard let v = Value.integerText(u).flatMap({ UInt64($0) }) else { throw ProtoJSONError("bad uint64Value \(u.jsonForMessage)") }
            self = .uint(v); return
        }
        if let d = o[string: "doubleValue"] {
            self = .double(try Value.jsonDouble(d)); return
        }
        if let s = o[string: "stringValue"] {
            guard let str = s.jsonString else { throw ProtoJSONError("stringValue must be a string") }
            self = .string(str); return
        }
        if let s = o[string: "bytesValue"] {
            guard let bytes = s.jsonString.flatMap(Base64.decode) else { throw ProtoJSONError("bytesValue must be base64") }
            self = .bytes(bytes); return
        }
        if let l = o[string: "listValue"] {
            self = .list(try (l[member: "values"]?.jsonArray ?? []).map { try Value(protoJSON: $0) }); return
        }
        if let m = o[string: "mapValue"] {
            var d = OrderedDictionary<MapKey, Value>()
            for entry in m[member: "entries"]?.jsonArray ?? [] {
                guard let k = entry[member: "key"], let v = entry[member: "value"] else {
                    throw ProtoJSONError("a map entry needs key and value")
                }
                guard let key = MapKey(try Value(protoJSON: k)) else { throw ProtoJSONError("unsupported map key \(k.jsonForMessage)") }
                d[key] = try Value(protoJSON: v)
            }
            self = .map(MapValue(d)); return
        }
        if let t = o[string: "typeValue"] {
            guard let name = t.jsonString else { throw ProtoJSONError("typeValue must be a string") }
            self = .type(CELType(name)); return
        }
        if let obj = o[string: "objectValue"], case .map = obj {
            let typeURL = obj[member: "@type"]?.jsonString ?? ""
            let payload = obj[member: "value"]?.jsonString ?? ""
            switch typeURL {
            case "type.googleapis.com/google.protobuf.Duration":
                guard payload.hasSuffix("s"), let d = CELDuration(goSyntax: payload) else {
                    throw ProtoJSONError("bad Duration \(payload)")
                }
                self = .duration(d); return
            case "type.googleapis.com/google.protobuf.Timestamp":
                guard let t = Timestamp(rfc3339: payload) else { throw ProtoJSONError("bad Timestamp \(payload)") }
                self = .timestamp(t); return
            default:
                throw ProtoJSONError("object values of type \(typeURL) need protobuf message types")
            }
        }
        throw ProtoJSONError("unsupported Value form with keys \((json.jsonMembers ?? []).map(\.name).sorted())")
    }

    /// Decodes `cel.expr.Value` JSON text.
    public init(protoJSONText text: String) throws {
        try self.init(protoJSON: try JSONReader.parse(text))
    }

    /// The `cel.expr.Value` JSON document of this value, for `JSONWriter`.
    public func protoJSON() throws -> Value {
        func object(_ name: String, _ value: Value) -> Value { .map(MapValue(stringKeyed: [(name, value)])) }
        switch self {
        case .null: return object("nullValue", .null)
        case let .bool(b): return object("boolValue", .bool(b))
        case let .int(i): return object("int64Value", .string(String(i)))
        case let .uint(u): return object("uint64Value", .string(String(u)))
        // The writer spells NaN and the infinities as the strings protobuf JSON wants.
        case let .double(d): return object("doubleValue", .double(d))
        case let .string(s): return object("stringValue", .string(s))
        // The writer encodes bytes as standard base64, as protobuf JSON does.
        case let .bytes(b): return object("bytesValue", .bytes(b))
        case let .list(l): return object("listValue", object("values", .list(try l.map { try $0.protoJSON() })))
        case let .map(m):
            let entries: [Value] = try m.storage.map { k, v in
                .map(MapValue(stringKeyed: [("key", try k.value.protoJSON()), ("value", try v.protoJSON())]))
            }
            return object("mapValue", object("entries", .list(entries)))
        case let .type(t): return object("typeValue", .string(t.name))
        case let .timestamp(t):
            guard t.isInRange else { throw ProtoJSONError("timestamp out of range") }
            return object("objectValue", .map(MapValue(stringKeyed: [
                ("@type", .string("type.googleapis.com/google.protobuf.Timestamp")), ("value", .string(t.rfc3339)),
            ])))
        case let .duration(d):
            return object("objectValue", .map(MapValue(stringKeyed: [
                ("@type", .string("type.googleapis.com/google.protobuf.Duration")), ("value", .string(d.secondsText)),
            ])))
        case let .error(e): throw ProtoJSONError("error: \(e.message)")
        case .unknown: throw ProtoJSONError("unknown value")
        case .optional: throw ProtoJSONError("optional values have no cel.expr.Value form")
        case let .object(o): throw ProtoJSONError("object of type \(o.celType.name) has no cel.expr.Value form")
        }
    }

    /// Encodes as compact `cel.expr.Value` JSON text, keys sorted.
    public func protoJSONText() throws -> String {
        try JSONWriter.encodeString(try protoJSON(), .init(sortedKeys: true))
    }

    /// An int64 or uint64 field: protobuf JSON writes them as strings and reads numbers too.
    private static func integerText(_ v: Value) -> String? {
        switch v {
        case let .string(s): return s
        case let .double(d): return Int64(exactly: d).map { String($0) }
        default: return nil
        }
    }

    private static func jsonDouble(_ v: Value) throws -> Double {
        switch v {
        case let .double(d): return d
        case .string("NaN"): return .nan
        case .string("Infinity"): return .infinity
        case .string("-Infinity"): return -.infinity
        case let .string(s):
            guard let d = Double(s) else { throw ProtoJSONError("bad doubleValue \(s)") }
            return d
        default: throw ProtoJSONError("bad doubleValue \(v.jsonForMessage)")
        }
    }
}
