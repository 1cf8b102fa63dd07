import ArbiterPolicy
import CEL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The per-thread state a check reuses instead of allocating per request: the request
/// context, the `request`/`P`/`R` values that view it, and the evaluation bindings with their
/// activation. Made per request, each of them (the context, the three object boxes, the
/// bindings, the copy of the activation's slots) would be an allocation per request.
///
/// A scratch belongs to one engine (its activation carries that engine's layout and globals)
/// and is used by one check at a time; a check that finds it busy or built for another engine
/// builds its own.
final class CheckScratch {
    /// The engine this scratch was built for, held so the identity cannot be reused.
    let owner: Engine.Identity
    let context: RequestContext
    let bindings: EvaluationBindings
    /// `V` objects evaluated on demand, for requests that report no evaluation errors.
    let deferredVariables: DeferredVariablesPool
    /// Plans of recent requests, most recently resolved last; a handful covers the usual mix
    /// of kinds, versions and scopes, and a linear scan over them beats hashing.
    @exclusivity(unchecked) private var plans: [RequestPlan] = []
    @exclusivity(unchecked) private var nextPlanSlot = 0
    private static let planLimit = 8
    /// Sorted `runtime.effectiveDerivedRoles` lists by policy and activated-role mask, so a
    /// scope that activates the same roles as in an earlier request shares that list.
    @exclusivity(unchecked) private var derivedRoleLists: [(policy: CompiledResourcePolicy, mask: UInt64, roles: [String])] = []
    private static let derivedRoleListLimit = 16
    // Only the owning thread reads it; a dynamic exclusivity check would cost a thread-local lookup.
    @exclusivity(unchecked) private var inUse = false
    /// The calls PlanResources ran on known values, planned once per thread and function.
    @exclusivity(unchecked) private var knownCalls: KnownCallEvaluator?

    private init(engine: Engine) {
        owner = engine.identity
        let context = RequestContext()
        self.context = context
        let views = RequestViews(context: context)
        bindings = EvaluationBindings(template: engine.bindingTemplate,
                                      request: .object(RequestObject(context: context, views: views)),
                                      principal: views.principal, resource: views.resource, now: Timestamp(seconds: 0))
        deferredVariables = DeferredVariablesPool(bindings: bindings)
    }

    /// The plan for a request naming these scopes, versions and kind.
    func plan(engine: Engine, principal: UnsafePointer<Principal>, resource: UnsafePointer<Resource>) -> RequestPlan {
        for plan in plans where plan.answers(principal, resource) { return plan }
        let plan = RequestPlan(engine: engine, principal: principal.pointee, resource: resource.pointee)
        if plans.count < Self.planLimit {
            plans.append(plan)
        } else {
            plans[nextPlanSlot] = plan
            nextPlanSlot = (nextPlanSlot + 1) % Self.planLimit
        }
        return plan
    }

    /// The sorted names of `policy.derivedRoles` whose bit is set in `mask` (at most 64 roles).
    func derivedRoleNames(_ policy: CompiledResourcePolicy, mask: UInt64) -> [String] {
        for entry in derivedRoleLists where entry.mask == mask && entry.policy === policy { return entry.roles }
        var roles: [String] = []
        for (i, role) in policy.derivedRoles.enumerated() where mask & (1 << UInt64(i)) != 0 { roles.append(role.name) }
        roles.sort()
        if derivedRoleLists.count < Self.derivedRoleListLimit { derivedRoleLists.append((policy, mask, roles)) }
        return roles
    }

    /// The thread's known-call evaluator for a plan, bound to `activation`.
    func knownCalls(_ activation: Activation) -> KnownCallEvaluator {
        if let knownCalls, knownCalls.serves(activation.layout) {
            knownCalls.rebind(activation)
            return knownCalls
        }
        let fresh = KnownCallEvaluator(environment: Engine.planEnvironment, activation: activation)
        knownCalls = fresh
        return fresh
    }

    /// The calling thread's scratch for `engine`, marked busy until `release()`.
    static func acquire(for engine: Engine) -> CheckScratch {
        if let raw = pthread_getspecific(threadKey) {
            let current = Unmanaged<CheckScratch>.fromOpaque(raw).takeUnretainedValue()
            if current.owner === engine.identity {
                if !current.inUse {
                    current.inUse = true
                    return current
                }
                // A check nested in another on this thread: a private scratch leaves the outer one alone.
                let nested = CheckScratch(engine: engine)
                nested.inUse = true
                return nested
            }
            if current.inUse {
                let other = CheckScratch(engine: engine)
                other.inUse = true
                return other
            }
            Unmanaged<CheckScratch>.fromOpaque(raw).release()
        }
        let fresh = CheckScratch(engine: engine)
        fresh.inUse = true
        pthread_setspecific(threadKey, Unmanaged.passRetained(fresh).toOpaque())
        return fresh
    }

    /// Ends a check: the request's data is dropped so an idle thread keeps none of it alive.
    func release() {
        context.clear()
        deferredVariables.clear()
        inUse = false
    }

    /// The thread-local slot; its destructor releases a thread's scratch when the thread exits.
    private static let threadKey: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { raw in
            if let raw { Unmanaged<CheckScratch>.fromOpaque(raw).release() }
        }
        precondition(status == 0, "pthread_key_create failed: \(status)")
        return key
    }()
}
