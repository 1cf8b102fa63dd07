import CEL
import Foundation
import OrderedCollections

/// Conversion between `Value` and the protobuf JSON form of `cel.expr.Value`, the shape of the
/// conformance files and of `arbiter eval --jsonl` (`{"int64Value": "1"}`, `{"nullValue": null}`,
/// `{"mapValue": {"entries": [...]}}` ...). Kinds are decided by key presence.
extension Value {
    /// A value that cannot be represented in `cel.expr.Value` JSON, or malformed JSON.
    public struct ProtoJSONError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    /// Decodes a `cel.expr.Value` JSON object (as produced by `JSONSerialization`).
    public init(protoJSONObject object: Any) throws {
        guard let o = object as? [String: Any] else { throw ProtoJSONError("a Value must be a JSON object") }
        if o.keys.contains("nullValue") { self = .null; return }
        if let b = o["boolValue"] {
            guard let n = b as? Bool else { throw ProtoJSONError("boolValue must be a boolean") }
            self = .bool(n); return
        }
        if let i = o["int64Value"] {
            guard let v = Value.integerText(i).flatMap({ Int64($0) }) else { throw ProtoJSONError("bad int64Value \(i)") }
            self = .int(v); return
        }
        if let u = o["uint64Value"] {
            guard let v = Value.integerText(u).flatMap({ UInt64($0) }) else { throw ProtoJSONError("bad uint64Value \(u)") }
            self = .uint(v); return
        }
        if let d = o["doubleValue"] {
            self = .double(try Value.jsonDouble(d)); return
        }
        if let s = o["stringValue"] {
            guard let str = s as? String else { throw ProtoJSONError("stringValue must be a string") }
            self = .string(str); return
        }
        if let s = o["bytesValue"] {
            guard let str = s as? String, let data = Data(base64Encoded: Value.padBase64(str)) else {
                throw ProtoJSONError("bytesValue must be base64")
            }
            self = .bytes([UInt8](data)); return
        }
        if let l = o["listValue"] {
            let values = ((l as? [String: Any])?["values"] as? [Any]) ?? []
            self = .list(try values.map { try Value(protoJSONObject: $0) }); return
        }
        if let m = o["mapValue"] {
            let entries = ((m as? [String: Any])?["entries"] as? [Any]) ?? []
            var d = OrderedDictionary<MapKey, Value>()
            for e in entries {
                guard let entry = e as? [String: Any], let k = entry["key"], let v = entry["value"] else {
                    throw ProtoJSONError("a map entry needs key and value")
                }
                guard let key = MapKey(try Value(protoJSONObject: k)) else { throw ProtoJSONError("unsupported map key \(k)") }
                d[key] = try Value(protoJSONObject: v)
            }
            self = .map(MapValue(d)); return
        }
        if let t = o["typeValue"] {
            guard let name = t as? String else { throw ProtoJSONError("typeValue must be a string") }
            self = .type(CELType(name)); return
        }
        if let obj = o["objectValue"] as? [String: Any] {
            let typeURL = obj["@type"] as? String ?? ""
            let payload = obj["value"] as? String ?? ""
            switch typeURL {
            case "type.googleapis.com/google.protobuf.Duration":
                guard payload.hasSuffix("s"), let d = Value.protoDuration(payload) else {
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
        throw ProtoJSONError("unsupported Value form with keys \(o.keys.sorted())")
    }

    /// Decodes `cel.expr.Value` JSON text.
    public init(protoJSONText text: String) throws {
        let obj = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        try self.init(protoJSONObject: obj)
    }

    /// Encodes as a `cel.expr.Value` JSON object (for `JSONSerialization`).
    public func protoJSONObject() throws -> [String: Any] {
        switch self {
        case .null: return ["nullValue": NSNull()]
        case let .bool(b): return ["boolValue": b]
        case let .int(i): return ["int64Value": String(i)]
        case let .uint(u): return ["uint64Value": String(u)]
        case let .double(d):
            if d.isNaN { return ["doubleValue": "NaN"] }
            if d.isInfinite { return ["doubleValue": d < 0 ? "-Infinity" : "Infinity"] }
            return ["doubleValue": d]
        case let .string(s): return ["stringValue": s]
        case let .bytes(b): return ["bytesValue": Data(b).base64EncodedString()]
        case let .list(l): return ["listValue": ["values": try l.map { try $0.protoJSONObject() }]]
        case let .map(m):
            let entries: [[String: Any]] = try m.storage.map { k, v in
                ["key": try k.value.protoJSONObject(), "value": try v.protoJSONObject()]
            }
            return ["mapValue": ["entries": entries]]
        case let .type(t): return ["typeValue": t.name]
        case let .timestamp(t):
            guard t.isInRange else { throw ProtoJSONError("timestamp out of range") }
            return ["objectValue": ["@type": "type.googleapis.com/google.protobuf.Timestamp", "value": t.rfc3339]]
        case let .duration(d):
            return ["objectValue": ["@type": "type.googleapis.com/google.protobuf.Duration", "value": d.secondsText]]
        case let .error(e): throw ProtoJSONError("error: \(e.message)")
        case .unknown: throw ProtoJSONError("unknown value")
        case .optional: throw ProtoJSONError("optional values have no cel.expr.Value form")
        case let .object(o): throw ProtoJSONError("object of type \(o.celType.name) has no cel.expr.Value form")
        }
    }

    /// Encodes as compact `cel.expr.Value` JSON text.
    public func protoJSONText() throws -> String {
        let data = try JSONSerialization.data(withJSONObject: try protoJSONObject(), options: [.sortedKeys, .fragmentsAllowed])
        return String(decoding: data, as: UTF8.self)
    }

    private static func integerText(_ v: Any) -> String? {
        if let s = v as? String { return s }
        if let n = v as? NSNumber { return n.stringValue }
        return nil
    }

    private static func jsonDouble(_ v: Any) throws -> Double {
        if let s = v as? String {
            switch s {
            case "NaN": return .nan
            case "Infinity": return .infinity
            case "-Infinity": return -.infinity
            default:
                guard let d = Double(s) else { throw ProtoJSONError("bad doubleValue \(s)") }
                return d
            }
        }
        if let n = v as? NSNumber { return n.doubleValue }
        throw ProtoJSONError("bad doubleValue \(v)")
    }

    private static func padBase64(_ s: String) -> String {
        let r = s.count % 4
        return r == 0 ? s : s + String(repeating: "=", count: 4 - r)
    }

    /// google.protobuf.Duration JSON (`1.5s`, `-0.000000001s`).
    static func protoDuration(_ s: String) -> CELDuration? {
        CELDuration(goSyntax: s)
    }
}
