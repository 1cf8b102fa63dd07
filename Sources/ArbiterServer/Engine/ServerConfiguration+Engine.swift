import ArbiterEngine
import CEL

extension ServerConfiguration {
    /// The engine settings this configuration carries (Cerbos's `engine.*` and request limits).
    public var engineConfiguration: EngineConfiguration {
        var globals: [(String, Value)] = []
        for key in self.globals.keys.sorted() { globals.append((key, self.globals[key]!)) }
        return EngineConfiguration(
            defaultPolicyVersion: defaultPolicyVersion, defaultScope: defaultScope,
            lenientScopeSearch: lenientScopeSearch, strictEvaluation: strictEvaluation,
            globals: MapValue(stringKeyed: globals),
            maxActionsPerResource: maxActionsPerResource, maxResourcesPerRequest: maxResourcesPerRequest,
            celLimits: celLimits)
    }
}
