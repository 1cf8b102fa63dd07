import Foundation
@testable import CEL

/// Reads `cel.expr.Type` and `cel.expr.Decl` in their protobuf JSON form (as the conformance
/// files write them) into checker types and declarations.
enum CheckerTypeJSON {
    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    static func type(_ json: Any?) throws -> CheckedType {
        guard let object = json as? [String: Any], let (key, value) = object.first, object.count == 1 else {
            throw Invalid(description: "not a cel.expr.Type: \(String(describing: json))")
        }
        switch key {
        case "primitive":
            switch value as? String {
            case "BOOL": return .bool
            case "INT64": return .int
            case "UINT64": return .uint
            case "DOUBLE": return .double
            case "STRING": return .string
            case "BYTES": return .bytes
            default: throw Invalid(description: "unknown primitive \(value)")
            }
        case "wrapper":
            return .wrapper(try type(["primitive": value]))
        case "wellKnown":
            switch value as? String {
            case "TIMESTAMP": return .timestamp
            case "DURATION": return .duration
            case "ANY": return .any
            default: throw Invalid(description: "unknown well-known type \(value)")
            }
        case "listType":
            return .list(try type((value as? [String: Any])?["elemType"]))
        case "mapType":
            let m = value as? [String: Any]
            return .map(try type(m?["keyType"]), try type(m?["valueType"]))
        case "messageType":
            let name = value as? String ?? ""
            return CheckedType.wellKnown(name) ?? .message(name)
        case "typeParam":
            return .typeParam(value as? String ?? "")
        case "abstractType":
            let a = value as? [String: Any]
            let params = try (a?["parameterTypes"] as? [Any] ?? []).map { try type($0) }
            return .opaque(a?["name"] as? String ?? "", params)
        case "type":
            if let inner = value as? [String: Any], !inner.isEmpty { return .type(try type(inner)) }
            return .type(nil)
        case "dyn": return .dyn
        case "null": return .null
        case "error": return .error
        default:
            throw Invalid(description: "unsupported cel.expr.Type form '\(key)'")
        }
    }

    /// Adds the `typeEnv` declarations of a conformance test.
    static func addDecls(_ json: Any?, to decls: inout Declarations) throws {
        for case let decl as [String: Any] in json as? [Any] ?? [] {
            let name = decl["name"] as? String ?? ""
            if let ident = decl["ident"] as? [String: Any] {
                decls.add(VariableDecl(name, try type(ident["type"])))
            } else if let function = decl["function"] as? [String: Any] {
                var overloads: [OverloadDecl] = []
                for case let o as [String: Any] in function["overloads"] as? [Any] ?? [] {
                    let params = try (o["params"] as? [Any] ?? []).map { try type($0) }
                    overloads.append(OverloadDecl(o["overloadId"] as? String ?? "", params, try type(o["resultType"]),
                                                  isMember: o["isInstanceFunction"] as? Bool ?? false))
                }
                decls.add(FunctionDecl(name, overloads: overloads))
            } else {
                throw Invalid(description: "declaration \(name) is neither ident nor function")
            }
        }
    }
}
