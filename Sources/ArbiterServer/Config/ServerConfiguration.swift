import ArbiterEngine
import ArbiterAuxData
import CEL

/// Everything `arbiter serve` can be configured with. Cerbos key names are used where the
/// meaning is the same; the socket, reload and shutdown keys are Arbiter's own. Every property
/// has a documented default (docs/protocol.md, "Configuration"), so `ServerConfiguration()`
/// is a working configuration.
public struct ServerConfiguration: Sendable {
    /// `storage.disk.directory`: the policy root. Default `/etc/arbiter/policies`.
    public var policyDirectory: String = "/etc/arbiter/policies"
    /// `storage.disk.watchForChanges`: reload on inotify events. Default true (Cerbos: false),
    /// because hot reload is what the node daemon is for; SIGHUP works either way.
    public var watchForChanges: Bool = true
    /// `storage.disk.reloadDebounce`: quiet period before a reload. Default 200ms.
    public var reloadDebounce: Duration = .milliseconds(200)
    /// `storage.disk.reloadMaxDelay`: upper bound from a change to its reload. Default 2s.
    public var reloadMaxDelay: Duration = .seconds(2)
    /// `storage.disk.startWithoutPolicies`: if the first compile fails, serve NOT_SERVING and
    /// wait for a fix instead of exiting. Default false.
    public var startWithoutPolicies: Bool = false
    /// `storage.disk.requireTestsPass`: publish a policy set only when its `*_test.yaml` suites
    /// pass (the first compile included). Default false.
    public var requireTestsPass: Bool = false

    /// `engine.defaultPolicyVersion`. Default `default`; must not be empty.
    public var defaultPolicyVersion: String = "default"
    /// `engine.defaultScope`. Default empty.
    public var defaultScope: String = ""
    /// `engine.lenientScopeSearch`. Default false.
    public var lenientScopeSearch: Bool = false
    /// `engine.strictEvaluation`. Default false.
    public var strictEvaluation: Bool = false
    /// `engine.globals`: values exposed as `globals` / `G`. Default empty.
    public var globals: [String: Value] = [:]
    /// `engine.celLimits.*`: bounds on one CEL evaluation (cost, sizes built, regex input).
    /// Default `EvaluationLimits.default`; each at least 1.
    public var celLimits: EvaluationLimits = .default

    /// `server.requestLimits.maxActionsPerResource`, 1–500. Default 50.
    public var maxActionsPerResource: Int = 50
    /// `server.requestLimits.maxResourcesPerRequest`, 1–500. Default 50.
    public var maxResourcesPerRequest: Int = 50
    /// `server.requestLimits.maxRolesPerPrincipal`, at least 1. Default 1000 (Cerbos: no limit).
    public var maxRolesPerPrincipal: Int = 1000
    /// `server.requestLimits.maxJSONValues` and `maxStringLength`: see `RequestLimits`.
    public var requestLimits = RequestLimits()

    /// `server.socket.path`. Default `/run/arbiter/arbiter.sock`.
    public var socketPath: String = "/run/arbiter/arbiter.sock"
    /// `server.socket.mode`: octal file mode of the socket. Default 0660.
    public var socketMode: UInt32 = 0o660
    /// `server.socket.group`: group name or number owning the socket. Default: unchanged.
    public var socketGroup: String?
    /// `server.socket.allowedUids`: peers allowed by uid (empty with no gids: everyone).
    public var allowedUIDs: [UInt32] = []
    /// `server.socket.allowedGids`: peers allowed by effective gid.
    public var allowedGIDs: [UInt32] = []
    /// `server.maxFrameSize`: largest request frame in bytes. Default 4 MiB (Cerbos's gRPC
    /// `maxRecvMsgSizeBytes`).
    public var maxFrameSize: Int = 4 << 20
    /// `server.frameTimeout`: how long a partial frame may stall. Default 10s.
    public var frameTimeout: Duration = .seconds(10)
    /// `server.shutdownGracePeriod`: time allowed to finish in-flight requests on SIGTERM. Default 10s.
    public var shutdownGracePeriod: Duration = .seconds(10)
    /// `server.maxJSONDepth`: nesting limit for request JSON. Default 128.
    public var maxJSONDepth: Int = 128

    /// `server.httpListenAddr`: where Cerbos's HTTP API and AuthZEN are served, `unix:/path` or
    /// `host:port` (`:port` is loopback). Default: off.
    public var httpListenAddress: String?
    /// `server.udsFileMode`: octal mode of the HTTP Unix socket. Default: `server.socket.mode`.
    public var httpSocketMode: UInt32?
    /// `server.advanced.http.readTimeout`: time to read a whole request. Default 30s.
    public var httpReadTimeout: Duration = .seconds(30)
    /// `server.advanced.http.readHeaderTimeout`: time to read a request's headers. Default 15s.
    public var httpReadHeaderTimeout: Duration = .seconds(15)
    /// `server.advanced.http.writeTimeout`: time to write a response. Default 30s.
    public var httpWriteTimeout: Duration = .seconds(30)
    /// `server.advanced.http.idleTimeout`: how long a keep-alive connection may wait for its next
    /// request. Default 120s.
    public var httpIdleTimeout: Duration = .seconds(120)
    /// `auxData.jwt`: key sets and rules for verifying request JWTs. Default: no key sets.
    public var auxData = JWTConfiguration()

    /// `server.log.format`: `text` (one line per event) or `json` (one JSON object per line,
    /// as Cerbos logs). Default text; `--log-format` overrides it.
    public var logFormat: LogFormat = .text
    /// `server.log.level`: trace, debug, info, notice, warning, error or critical. Default
    /// info; `--log-level` overrides it.
    public var logLevel: String = "info"

    /// The log line formats.
    public enum LogFormat: String, Sendable, CaseIterable {
        case text, json
    }

    /// The log levels `server.log.level` and `--log-level` accept.
    public static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
    /// `schema.enforcement`: `none` (default), `warn` or `reject`.
    public var schemaEnforcement: SchemaEnforcement = .none
    /// `schema.cacheSize`, accepted for Cerbos compatibility (default 1024). Arbiter compiles every
    /// schema the policies name when the store loads, so there is no cache to size.
    public var schemaCacheSize: Int = 1024
    /// The `audit` section: decision and access logs.
    public var audit = AuditConfiguration()

    /// `server.grpcListenAddr`: where Cerbos's gRPC API (CerbosService, grpc.health.v1) is
    /// served, in the syntax of `server.httpListenAddr`. Default: off.
    public var grpcListenAddress: String?
    /// `server.advanced.grpc.maxRecvMsgSizeBytes`: the largest request message accepted; larger
    /// ones are refused before they are decoded. Default 4 MiB, as Cerbos.
    public var grpcMaxRecvMessageSize: Int = 4 << 20

    /// `server.metricsEnabled`: serve Prometheus metrics at `GET /_cerbos/metrics`. Default true.
    public var metricsEnabled: Bool = true
    /// `server.metricsListenAddr`: where the metrics are served when the HTTP API is off,
    /// `unix:/path` or a loopback `host:port`. Default: off (metrics only on the HTTP listener).
    public var metricsListenAddress: String?
    /// The `tracing` section: span export.
    public var tracing = TracingConfiguration()

    /// The defaults.
    public init() {}
}
