import CEL

/// Options of a suite or test (`cerbos.policy.v1.TestOptions`).
public struct TestOptions: Sendable {
    /// The pinned `now()`; without it, a test whose outcome depends on the time is ERRORED.
    public var now: Timestamp?
    /// `engine.defaultPolicyVersion` for the test.
    public var defaultPolicyVersion: String?
    /// `engine.defaultScope` for the test.
    public var defaultScope: String?
    /// `engine.lenientScopeSearch` for the test.
    public var lenientScopeSearch: Bool?
    /// `engine.globals` for the test.
    public var globals: MapValue?
    /// `engine.strictEvaluation` for the test.
    public var strictEvaluation: Bool?

    /// Creates options; nil fields keep the engine defaults.
    public init(now: Timestamp? = nil, defaultPolicyVersion: String? = nil, defaultScope: String? = nil,
                lenientScopeSearch: Bool? = nil, globals: MapValue? = nil, strictEvaluation: Bool? = nil) {
        self.now = now
        self.defaultPolicyVersion = defaultPolicyVersion
        self.defaultScope = defaultScope
        self.lenientScopeSearch = lenientScopeSearch
        self.globals = globals
        self.strictEvaluation = strictEvaluation
    }

    /// The engine configuration these options describe, starting from `base`.
    public func applied(to base: EngineConfiguration) -> EngineConfiguration {
        var config = base
        if let defaultPolicyVersion, !defaultPolicyVersion.isEmpty { config.defaultPolicyVersion = defaultPolicyVersion }
        if let defaultScope { config.defaultScope = defaultScope }
        if let lenientScopeSearch { config.lenientScopeSearch = lenientScopeSearch }
        if let globals { config.globals = globals }
        if let strictEvaluation { config.strictEvaluation = strictEvaluation }
        return config
    }
}
