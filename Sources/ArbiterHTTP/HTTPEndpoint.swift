import ArbiterServer
import NIOHTTP1

/// The operations the HTTP front end serves, each on one method and path (spec §4.1).
public enum HTTPEndpoint: Sendable, Hashable, CaseIterable {
    /// `POST /api/check/resources`.
    case checkResources
    /// `POST /api/plan/resources`: answered by the engine's `planResources`; while the engine
    /// does not plan, that answers "not found" (404), as Cerbos answers a route it lacks.
    case planResources
    /// `GET /api/server_info`.
    case serverInfo
    /// `GET /_cerbos/health[?service=]`.
    case health
    /// `POST /access/v1/evaluation` (AuthZEN).
    case accessEvaluation
    /// `POST /access/v1/evaluations` (AuthZEN).
    case accessEvaluations
    /// `GET /.well-known/authzen-configuration` (AuthZEN).
    case authzenConfiguration
    /// `GET /_cerbos/metrics`: Prometheus text; 404 when metrics are off.
    case metrics

    /// The route: method and path.
    public var route: (method: HTTPMethod, path: String) {
        switch self {
        case .checkResources: return (.POST, "/api/check/resources")
        case .planResources: return (.POST, "/api/plan/resources")
        case .serverInfo: return (.GET, "/api/server_info")
        case .health: return (.GET, "/_cerbos/health")
        case .accessEvaluation: return (.POST, "/access/v1/evaluation")
        case .accessEvaluations: return (.POST, "/access/v1/evaluations")
        case .authzenConfiguration: return (.GET, "/.well-known/authzen-configuration")
        case .metrics: return (.GET, MetricsEndpoint.path)
        }
    }

    /// Whether the endpoint reads a JSON body.
    public var takesBody: Bool { route.method == .POST }
}

/// Finds the endpoint for a method and path: 404 for an unknown path, 405 (with the methods the
/// path accepts) for a known path asked with another method. A handful of routes, compared in
/// place: no string is built per request.
public struct HTTPRouter: Sendable {
    private let routes: [(method: HTTPMethod, path: String, endpoint: HTTPEndpoint)]

    /// Routes every endpoint in `endpoints`.
    public init(endpoints: [HTTPEndpoint] = HTTPEndpoint.allCases) {
        routes = endpoints.map { ($0.route.method, $0.route.path, $0) }
    }

    /// The endpoint serving `method` on `path` (the part of the URI before `?`).
    public func route(_ method: HTTPMethod, _ path: Substring) -> Result<HTTPEndpoint, GatewayError> {
        var allowed: [HTTPMethod] = []
        for route in routes where path == route.path {
            if route.method == method { return .success(route.endpoint) }
            allowed.append(route.method)
        }
        return .failure(allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed))
    }
}
