import ArbiterYAML
import CEL
import OrderedCollections

/// A JSON value for comparing decoded policies with the conformance cases' protojson, with
/// numbers as doubles (protobuf `Value` semantics) and object keys unordered.
indirect enum JSONLike: Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONLike])
    case object([String: JSONLike])

    /// Reads JSON (parsed through libyaml, as JSON is YAML) into a JSONLike.
    init(node: YAMLNode) {
        switch node.kind {
        case let .scalar(s):
            switch s.resolved {
            case .null: self = .null
            case let .bool(b): self = .bool(b)
            case let .int(i): self = .number(Double(i))
            case let .double(d): self = .number(d)
            case let .string(t): self = .string(t)
            }
        case let .sequence(items): self = .array(items.map(JSONLike.init(node:)))
        case let .mapping(pairs):
            var d: [String: JSONLike] = [:]
            for p in pairs { d[p.key.scalar?.value ?? ""] = JSONLike(node: p.value) }
            self = .object(d)
        }
    }

    init(value: Value) {
        switch value {
        case .null: self = .null
        case let .bool(b): self = .bool(b)
        case let .int(i): self = .number(Double(i))
        case let .uint(u): self = .number(Double(u))
        case let .double(d): self = .number(d)
        case let .string(s): self = .string(s)
        case let .list(items): self = .array(items.map(JSONLike.init(value:)))
        case let .map(m):
            var d: [String: JSONLike] = [:]
            for (k, v) in m.storage {
                if case let .string(key) = k { d[key] = JSONLike(value: v) }
            }
            self = .object(d)
        default: self = .string("<unsupported>")
        }
    }

    var description: String {
        switch self {
        case .null: return "null"
        case let .bool(b): return String(b)
        case let .number(n): return String(n)
        case let .string(s): return "\"\(s)\""
        case let .array(a): return "[" + a.map(\.description).joined(separator: ",") + "]"
        case let .object(o): return "{" + o.keys.sorted().map { "\"\($0)\":\(o[$0]!)" }.joined(separator: ",") + "}"
        }
    }

    /// The first differing path between two values, for readable failures.
    static func difference(_ a: JSONLike, _ b: JSONLike, path: String = "$") -> String? {
        switch (a, b) {
        case let (.object(x), .object(y)):
            for key in Set(x.keys).union(y.keys).sorted() {
                guard let xv = x[key] else { return "\(path).\(key): missing on the left, right has \(y[key]!)" }
                guard let yv = y[key] else { return "\(path).\(key): left has \(xv), missing on the right" }
                if let d = difference(xv, yv, path: path + "." + key) { return d }
            }
            return nil
        case let (.array(x), .array(y)):
            guard x.count == y.count else { return "\(path): \(x.count) items vs \(y.count)" }
            for i in x.indices { if let d = difference(x[i], y[i], path: "\(path)[\(i)]") { return d } }
            return nil
        default:
            return a == b ? nil : "\(path): \(a) vs \(b)"
        }
    }
}
