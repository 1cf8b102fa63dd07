import ArbiterJSON
import CEL

/// A `cel.expr.Type` or `cel.expr.Decl` in protobuf JSON form that cannot be read.
public struct ProtoJSONDeclarationError: Error, Sendable, CustomStringConvertible {
    /// What could not be read.
    public var description: String
    /// An error with this description.
    public init(_ description: String) { self.description = description }
}

extension CheckedType {
    /// Reads a `cel.expr.Type` in the protobuf JSON mapping, from a JSON document as
    /// `JSONReader` returns it (`{"primitive": "INT64"}`, `{"listType": {"elemType": ...}}`,
    /// `{"dyn": {}}`, `{"null": null}` ...).
    public init(protoJSON json: Value?) throws {
        guard let members = json?.jsonMembers, members.count == 1, let (key, value) = members.first else {
            throw ProtoJSONDeclarationError("not a cel.expr.Type: \(json?.jsonForMessage ?? "nothing")")
        }
        switch key {
        case "primitive", "wrapper":
            let primitive: CheckedType
            switch value.jsonString {
            case "BOOL": primitive = .bool
            case "INT64": primitive = .int
            case "UINT64": primitive = .uint
            case "DOUBLE": primitive = .double
            case "STRING": primitive = .string
            case "BYTES": primitive = .bytes
            default: throw ProtoJSONDeclarationError("unknown primitive type \(value.jsonForMessage)")
            }
            self = key == "wrapper" ? .wrapper(primitive) : primitive
        case "wellKnown":
            switch value.jsonString {
            case "TIMESTAMP": self = .timestamp
            case "DURATION": self = .duration
            case "ANY": self = .any
            default: throw ProtoJSONDeclarationError("unknown well-known type \(value.jsonForMessage)")
            }
        case "listType":
            self = .list(try CheckedType(protoJSON: value[member: "elemType"]))
        case "mapType":
            self = .map(try CheckedType(protoJSON: value[member: "keyType"]), try CheckedType(protoJSON: value[member: "valueType"]))
        case "messageType":
            let name = value.jsonString ?? ""
            self = CheckedType.wellKnown(name) ?? .message(name)
        case "typeParam":
            self = .typeParam(value.jsonString ?? "")
        case "abstractType":
            let params = try (value[member: "parameterTypes"]?.jsonArray ?? []).map { try CheckedType(protoJSON: $0) }
            self = .opaque(value[member: "name"]?.jsonString ?? "", params)
        case "type":
            if let inner = value.jsonMembers, !inner.isEmpty {
                self = .type(try CheckedType(protoJSON: value))
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
    public mutating func add(protoJSONDecls json: Value?) throws {
        guard let json else { return }
        if case .null = json { return }
        guard let list = json.jsonArray else { throw ProtoJSONDeclarationError("declarations must be a list") }
        for decl in list {
            let name = decl[member: "name"]?.jsonString ?? ""
            if let ident = decl[member: "ident"] {
                add(VariableDecl(name, try CheckedType(protoJSON: ident[member: "type"])))
            } else if let function = decl[member: "function"] {
                var overloads: [OverloadDecl] = []
                for o in function[member: "overloads"]?.jsonArray ?? [] {
                    let params = try (o[member: "params"]?.jsonArray ?? []).map { try CheckedType(protoJSON: $0) }
                    overloads.append(OverloadDecl(o[member: "overloadId"]?.jsonString ?? "", params,
                                                  try CheckedType(protoJSON: o[member: "resultType"]),
                                                  isMember: o[member: "isInstanceFunction"]?.jsonBool ?? false))
                }
                add(FunctionDecl(name, overloads: overloads))
            } else {
                throw ProtoJSONDeclarationError("declaration '\(name)' is neither an ident nor a function")
            }
        }
    }
}
