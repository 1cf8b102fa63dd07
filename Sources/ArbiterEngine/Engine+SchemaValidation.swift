import ArbiterPolicy
import ArbiterSchema
import CEL

extension Engine {
    /// Validates a request's principal and resource attributes against the schemas of the
    /// resource kind's root policy, as `schema.enforcement` says (spec §2.10). The hook for
    /// PlanResources (a check uses `validateSchemas(plan:principal:resource:actions:)`, the
    /// same rule with the kind, version and schemas its plan resolved): it reports errors only
    /// when a resource policy chain exists for the request, and does nothing under `none`.
    /// `ignoringRequired` leaves out the resource's `required` violations (PlanResources sees a
    /// partial resource).
    public func validateSchemas(principal: Principal, resource: Resource, actions: [String],
                                ignoringRequired: Bool = false) -> SchemaCheck {
        guard configuration.schemaEnforcement != .none else { return .passed }
        let kind = PolicyNamer.sanitized(resource.kind)
        let version = effectiveVersion(resource.policyVersion)
        return validateSchemas(policySet.attributeSchemas(kind: kind, version: version), kind: kind, version: version,
                               principal: principal.attr, resource: resource.attr, scope: resource.scope,
                               actions: actions, ignoringRequired: ignoringRequired)
    }

    /// The hook of a check: the plan holds the sanitised kind, the effective version and their
    /// schemas, so a request pays neither the sanitising nor the schema lookup.
    func validateSchemas(plan: RequestPlan, principal: UnsafePointer<Principal>, resource: UnsafePointer<Resource>,
                         actions: [String]) -> SchemaCheck {
        guard configuration.schemaEnforcement != .none, let schemas = plan.attributeSchemas else { return .passed }
        return validateSchemas(schemas, kind: plan.kind, version: plan.resourceVersion, principal: principal.pointee.attr,
                               resource: resource.pointee.attr, scope: resource.pointee.scope, actions: actions,
                               ignoringRequired: false)
    }

    /// Validates against `schemas` (those of the sanitised `kind` at the effective `version`);
    /// `scope` is the request's, as written.
    private func validateSchemas(_ schemas: AttributeSchemas?, kind: String, version: String, principal: MapValue,
                                 resource: MapValue, scope requestedScope: String, actions: [String],
                                 ignoringRequired: Bool) -> SchemaCheck {
        guard let schemas else { return .passed }
        let set = policySet
        let errors = Self.validateAttributes(principal: principal, resource: resource, actions: actions,
                                             schemas: schemas, registry: set.schemas, ignoringRequired: ignoringRequired)
        // Valid attributes (the common case) need no policy: the chain is looked up only to
        // report errors, which are dropped when no resource policy exists for the request.
        guard !errors.isEmpty else { return .passed }
        let scope = effectiveScope(requestedScope)
        let chain = resourceChains[ResourceChainKey(kind: kind, version: version, scope: scope)]
        let key = chain?.key ?? scopeChain(scope, in: set.resourceScopes).lazy.compactMap {
            set.resourcePolicy(kind: kind, version: version, scope: $0)?.key
        }.first
        guard let key else { return .passed }
        return SchemaCheck(errors: errors, rejectedBy: configuration.schemaEnforcement == .reject ? key : nil)
    }

    /// Validates attributes against a pair of schema uses, without any policy lookup: Cerbos's
    /// schema manager. A side is skipped when every action is in its `ignoreWhen`; a schema that
    /// cannot be loaded is reported as one error for its side.
    public static func validateAttributes(principal: MapValue, resource: MapValue, actions: [String],
                                          schemas: AttributeSchemas, registry: SchemaRegistry,
                                          ignoringRequired: Bool = false) -> [ValidationError] {
        var errors: [ValidationError] = []
        func check(_ use: AttributeSchemas.Use?, _ attributes: MapValue, _ source: ValidationError.Source, _ what: String) {
            guard let use, !use.ignores(all: actions) else { return }
            switch use.resolve(in: registry) {
            case let .failure(problem):
                errors.append(ValidationError(path: "", message: "Failed to load \(what) schema \"\(use.ref)\": \(problem)", source: source))
            case let .schema(schema):
                for error in schema.validate(.map(attributes)) {
                    if ignoringRequired && source == .resource && error.message.hasPrefix(Self.requiredMessagePrefix) { continue }
                    let path = error.instanceLocation.isEmpty ? "/" : error.instanceLocation
                    errors.append(ValidationError(path: path, message: error.message, source: source))
                }
            }
        }
        check(schemas.principal, principal, .principal, "principal")
        check(schemas.resource, resource, .resource, "resource")
        if errors.count > 1 { errors.sort() }
        return errors
    }

    /// How the validator words a `required` violation, the one keyword PlanResources leaves out.
    static let requiredMessagePrefix = "missing properties: "
}
