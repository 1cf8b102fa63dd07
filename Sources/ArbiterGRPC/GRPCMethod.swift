import GRPCCore

/// The methods this server answers, routed from a request's `:path`; every other path is
/// UNIMPLEMENTED with grpc-go's message (`GRPCMethod.route`).
enum GRPCMethod: Sendable, Equatable {
    case checkResources
    case planResources
    case serverInfo
    case healthCheck
    case healthWatch

    static let cerbosService = "cerbos.svc.v1.CerbosService"
    static let healthService = "grpc.health.v1.Health"

    /// The method `path` names, or the UNIMPLEMENTED message grpc-go answers for it: the
    /// admin and playground services and the deprecated CheckResourceSet/Batch are not served.
    static func route(_ path: String) -> Result<GRPCMethod, GRPCCallError> {
        switch path {
        case "/cerbos.svc.v1.CerbosService/CheckResources": return .success(.checkResources)
        case "/cerbos.svc.v1.CerbosService/PlanResources": return .success(.planResources)
        case "/cerbos.svc.v1.CerbosService/ServerInfo": return .success(.serverInfo)
        case "/grpc.health.v1.Health/Check": return .success(.healthCheck)
        case "/grpc.health.v1.Health/Watch": return .success(.healthWatch)
        default: break
        }
        // `/service/method`, as grpc-go splits it at the last slash.
        guard path.hasPrefix("/"), let slash = path.lastIndex(of: "/"), slash != path.startIndex else {
            return .failure(GRPCCallError(.unimplemented, "malformed method name: \(goQuoted(path))"))
        }
        let service = String(path[path.index(after: path.startIndex)..<slash])
        let method = String(path[path.index(after: slash)...])
        if service == cerbosService || service == healthService {
            return .failure(GRPCCallError(.unimplemented, "unknown method \(method) for service \(service)"))
        }
        return .failure(GRPCCallError(.unimplemented, "unknown service \(service)"))
    }

    /// Go's `%q` of plain text: quotes, with quotes and backslashes escaped.
    static func goQuoted(_ text: String) -> String {
        var out = "\""
        for c in text.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}
