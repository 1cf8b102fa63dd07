import ArbiterPolicy
import CEL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The decision engine: Cerbos's CheckResources semantics over one immutable `PolicySet`.
///
/// An `Engine` value is immutable and `Sendable`; each check keeps its state on the stack of
/// the calling thread. Build a new engine when the policy set or configuration changes.
public struct Engine: Sendable {
    /// The compiled policies.
    public let policySet: PolicySet
    /// Engine settings.
    public let configuration: EngineConfiguration
    let globals: Value
    /// The request-independent slots of every check's activation, bound once.
    let bindingTemplate: EvaluationBindings.Template
    /// Tells per-thread check state built for this engine from state built for another.
    let identity = Identity()
    /// Resolved resource chains by the kind, version and scope a request names.
    let resourceChains: [ResourceChainKey: ResourceChain]
    /// The role names rules list, as bits.
    let roleIndex: RoleIndex
    /// `policySet.readsRuntime` and `ruleCount`, read once per engine rather than per check.
    let readsRuntime: Bool
    /// `policySet.runtimeReadOutsideResourcePolicies`, read once.
    let runtimeReadOutsideResourcePolicies: Bool
    let ruleCount: Int

    /// An object whose identity stands for one engine value and its copies.
    final class Identity: Sendable {}

    /// Creates an engine over `policySet`.
    public init(policySet: PolicySet, configuration: EngineConfiguration = EngineConfiguration()) {
        self.policySet = policySet
        self.configuration = configuration
        globals = .object(NamedValues(configuration.globals))
        bindingTemplate = EvaluationBindings.Template(layout: policySet.variableLayout, slots: policySet.bindingSlots,
                                                      globals: globals)
        resourceChains = Self.resolveResourceChains(policySet, lenientScopeSearch: configuration.lenientScopeSearch)
        roleIndex = RoleIndex(policySet)
        readsRuntime = policySet.readsRuntime
        runtimeReadOutsideResourcePolicies = policySet.runtimeReadOutsideResourcePolicies
        ruleCount = policySet.ruleCount
    }

    /// Checks a batch; every input sees the same `now` (spec §2.1). Outputs are in input order.
    public func check(_ inputs: [CheckInput], now: Timestamp = Engine.currentTime()) -> [CheckOutput] {
        inputs.map { check($0, now: now) }
    }

    /// The wall-clock time as a CEL timestamp.
    public static func currentTime() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(seconds: Int64(ts.tv_sec), nanos: Int32(ts.tv_nsec))
    }

    /// `req || default`, then a leading `.` trimmed, so `"."` forces the root scope.
    func effectiveScope(_ requested: String) -> String {
        PolicyNamer.normalisedScope(requested.isEmpty ? configuration.defaultScope : requested)
    }

    func effectiveVersion(_ requested: String) -> String {
        requested.isEmpty ? configuration.defaultPolicyVersion : requested
    }

    /// The chain of a root-scope request, shared rather than allocated per request.
    private static let rootChain = [""]

    /// The scope chain of a category, most specific first (spec §2.2): strict search needs the
    /// exact scope to exist; lenient search starts at the nearest existing ancestor.
    func scopeChain(_ scope: String, in scopes: Set<String>) -> [String] {
        Self.scopeChain(scope, in: scopes, lenient: configuration.lenientScopeSearch)
    }

    static func scopeChain(_ scope: String, in scopes: Set<String>, lenient: Bool) -> [String] {
        if scope.isEmpty { return scopes.contains("") ? Self.rootChain : [] }
        var chain: [String] = []
        if scopes.contains(scope) {
            chain.append(scope)
        } else if !lenient {
            return []
        }
        for parent in PolicyNamer.scopeParents(scope) where scopes.contains(parent) { chain.append(parent) }
        return chain
    }
}
