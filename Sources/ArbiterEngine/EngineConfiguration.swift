import CEL

/// The `engine.*` and request-limit settings the check algorithm depends on (spec §5).
public struct EngineConfiguration: Sendable {
    /// `engine.defaultPolicyVersion`.
    public var defaultPolicyVersion: String
    /// `engine.defaultScope`.
    public var defaultScope: String
    /// `engine.lenientScopeSearch`.
    public var lenientScopeSearch: Bool
    /// `engine.strictEvaluation`: condition errors deny instead of counting as false.
    public var strictEvaluation: Bool
    /// `engine.globals`, visible as `G` / `globals`.
    public var globals: MapValue
    /// `server.requestLimits.maxActionsPerResource` (1–500).
    public var maxActionsPerResource: Int
    /// `server.requestLimits.maxResourcesPerRequest` (1–500).
    public var maxResourcesPerRequest: Int
    /// `server.requestLimits.maxRolesPerPrincipal`. Cerbos sets no limit; each role is one more
    /// pass over the rules of every resource and action, so the daemon bounds it (default 1000).
    public var maxRolesPerPrincipal: Int = 1000
    /// `schema.enforcement`.
    public var schemaEnforcement: SchemaEnforcement
    /// `engine.celLimits.*`: the bounds every policy expression is compiled to evaluate under.
    public var celLimits: EvaluationLimits
    /// Told of every expression that hits one of `celLimits` (the daemon's rate-limited log).
    public var limitObserver: (any EvaluationLimitObserver)?

    /// The allowed range of both request limits.
    public static let limitRange = 1...500

    /// Cerbos's defaults.
    public init(defaultPolicyVersion: String = "default", defaultScope: String = "", lenientScopeSearch: Bool = false,
                strictEvaluation: Bool = false, globals: MapValue = MapValue(), maxActionsPerResource: Int = 50,
                maxResourcesPerRequest: Int = 50, schemaEnforcement: SchemaEnforcement = .none,
                celLimits: EvaluationLimits = .default) {
        self.schemaEnforcement = schemaEnforcement
        self.defaultPolicyVersion = defaultPolicyVersion
        self.defaultScope = defaultScope
        self.lenientScopeSearch = lenientScopeSearch
        self.strictEvaluation = strictEvaluation
        self.globals = globals
        self.maxActionsPerResource = maxActionsPerResource
        self.maxResourcesPerRequest = maxResourcesPerRequest
        self.celLimits = celLimits
    }

    /// Problems with the settings, empty when valid.
    public var problems: [String] {
        var out: [String] = []
        if defaultPolicyVersion.isEmpty { out.append("engine.defaultPolicyVersion must not be empty") }
        if !Self.limitRange.contains(maxActionsPerResource) {
            out.append("server.requestLimits.maxActionsPerResource must be between 1 and 500, got \(maxActionsPerResource)")
        }
        if !Self.limitRange.contains(maxResourcesPerRequest) {
            out.append("server.requestLimits.maxResourcesPerRequest must be between 1 and 500, got \(maxResourcesPerRequest)")
        }
        out.append(contentsOf: celLimits.problems(prefix: "engine.celLimits."))
        return out
    }
}
