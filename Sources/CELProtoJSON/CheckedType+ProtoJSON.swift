import CEL

/// A `cel.expr.Type` or `cel.expr.Decl` in protobuf JSON form that cannot be read.
public struct ProtoJSONDeclarationError: Error, Sendable, CustomStringConvertible {
    /// What could not be read.
    public var description: String
    /// An error with this description.
    public init(_ description: String) { self.description = description }
}

extension CheckedType {
    /// Reads a `cel.expr.Type` in the protobuf JSON mapping, as decoded by `JSONSerialization`
    /// (`{"primitive": "INT64"}`, `{"listType": {"elemType": ...}}`, `{"dyn": {}}`, `{"null": null}` ...).
    public init(protoJSON json: Any?) throws {
        guard let object = json as? [String: Any], object.count == 1, let (key, value) = object.first else {
            throw ProtoJSONDeclarationError("not a cel.expr.Type: \(String(describing: json))")
        }
        switch key {
        case "primitive", "wrapper":
            let primitive: CheckedType
            switch value as? String {
            case "BOOL": primitive = .bool
            case "INT64": primitive = .int
            case "UINT64": primitive = .uint
            case "DOUBLE": primitive = .double
            case "STRING": primitive = .string
            case "BYTES": primitive = .bytes
            default: throw ProtoJSONDeclarationError("unknown primitive type \(value)")
            }
            self = key == "wrapper" ? .wrapper(primitive) : primitive
        case "wellKnown":
            switch value as? String {
            case "TIMESTAMP": self = .timestamp
            case "DURATION": self = .duration
            case "ANY": self = .any
            default: throw ProtoJSONDeclarationError("unknown well-known type \(value)")
            }
        case "listType":
            self = .list(try CheckedType(protoJSON: (value as? [String: Any])?["elemType"]))
        case "mapType":
            let m = value as? [String: Any]
            self = .map(try CheckedType(protoJSON: m?["keyType"]), try CheckedType(protoJSON: m?["valueType"]))
        case "messageType":
            let name = value as? String ?? ""
            self = CheckedType.wellKnown(name) ?? .message(name)
        case "typeParam":
            self = .typeParam(value as? String ?? "")
        case "abstractType":
            let a = value as? [String: Any]
            let params = try (a?["parameterTypes"] as? [Any] ?? []).map { try CheckedType(protoJSON: $0) }
            self = .opaque(a?["name"] as? String ?? "", params)
        case "type":
            if let inner = value as? [String: Any], !inner.isEmpty {
                self = .type(try CheckedType(protoJSON: inner))
            } else {
                self = .type(nil)
            }
        case "dyn": self = .dyn
        case "null": self = .null
        case "error": self = .error
        default:
            throw ProtoJSONDeclarationError("unsupported cel.expr.Type form '\(key)'")
        }
    }
}

extension Declarations {
    /// Adds a list of `cel.expr.Decl` in protobuf JSON form (a conformance test's `typeEnv`):
    /// `{"name": "x", "ident": {"type": T}}` or `{"name": "f", "function": {"overloads": [...]}}`.
    public mutating func add(protoJSONDecls json: Any?) throws {
        guard let list = json as? [Any] else {
            if json == nil { return }
            throw ProtoJSONDeclarationError("declarations must be a list")
        }
        for case let decl as [String: Any] in list {
            let name = decl["name"] as? String ?? ""
            if let ident = decl["ident"] as? [String: Any] {
                add(VariableDecl(name, try CheckedType(protoJSON: ident["type"])))
            } else if let function = decl["function"] as? [String: Any] {
                var overloads: [OverloadDecl] = []
                for case let o as [String: Any] in function["overloads"] as? [Any] ?? [] {
                    let params = try (o["params"] as? [Any] ?? []).map { try CheckedType(protoJSON: $0) }
                    overloads.append(OverloadDecl(o["overloadId"] as? String ?? "", params,
                                                  try CheckedType(protoJSON: o["resultType"]),
                                                  isMember: o["isInstanceFunction"] as? Bool ?? false))
                }
                add(FunctionDecl(name, overloads: overloads))
            } else {
                throw ProtoJSONDeclarationError("declaration '\(name)' is neither an ident nor a function")
            }
        }
    }
}
