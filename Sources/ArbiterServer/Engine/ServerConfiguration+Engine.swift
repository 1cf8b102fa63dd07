import ArbiterEngine
import CEL

extension ServerConfiguration {
    /// The engine settings this configuration carries (Cerbos's `engine.*` and request limits).
    public var engineConfiguration: EngineConfiguration {
        var globals: [(String, Value)] = []
        for key in self.globals.keys.sorted() { globals.append((key, self.globals[key]!)) }
        var configuration = EngineConfiguration(
            defaultPolicyVersion: defaultPolicyVersion, defaultScope: defaultScope,
            lenientScopeSearch: lenientScopeSearch, strictEvaluation: strictEvaluation,
            globals: MapValue(stringKeyed: globals),
            maxActionsPerResource: maxActionsPerResource, maxResourcesPerRequest: maxResourcesPerRequest)
        configuration.maxRolesPerPrincipal = maxRolesPerPrincipal
        return configuration
    }
}
