/// The schemas a resource kind's root policy names for principal and resource attributes
/// (Cerbos applies the root policy's `schemas` to the whole scope chain).
/// Immutable classes, so that the schema hook of every check takes them with one reference
/// count each: as structs, every copy (out of the request plan, into the validation) retained
/// and released each string, matcher and entry in them (docs/benchmarks.md, issue 15).
public final class AttributeSchemas: Sendable {
    /// One side's schema and the actions for which it is not checked.
    public final class Use: Sendable {
        /// The schema's `ref`.
        public let ref: String
        /// `ignoreWhen.actions`, exact names and globs.
        public let ignoredActions: ActionMatcher?
        /// The compiled schema (or why there is none), when bound to a registry; nil: look `ref` up.
        public let entry: SchemaRegistry.Entry?

        /// Creates a use; `entry` binds it to its compiled schema so a check needs no lookup.
        public init(ref: String, ignoredActions: [String]?, entry: SchemaRegistry.Entry? = nil) {
            self.ref = ref
            self.ignoredActions = ignoredActions.map(ActionMatcher.init)
            self.entry = entry
        }

        /// The compiled schema or the reason there is none.
        public func resolve(in registry: SchemaRegistry) -> SchemaRegistry.Entry {
            entry ?? registry.entry(for: ref)
        }

        /// Whether every one of `actions` is ignored, which is when Cerbos skips this schema.
        public func ignores(all actions: [String]) -> Bool {
            guard let ignoredActions, !actions.isEmpty else { return false }
            return actions.allSatisfy(ignoredActions.matches)
        }
    }

    /// `principalSchema`.
    public let principal: Use?
    /// `resourceSchema`.
    public let resource: Use?

    /// Creates the pair.
    public init(principal: Use?, resource: Use?) {
        self.principal = principal
        self.resource = resource
    }

    /// The pair a `schemas` block declares, bound to the registry's compiled schemas; nil when
    /// it names neither side.
    public convenience init?(_ block: Schemas?, registry: SchemaRegistry) {
        guard let block, block.principalSchema != nil || block.resourceSchema != nil else { return nil }
        func use(_ reference: Schemas.Reference?) -> Use? {
            reference.map { Use(ref: $0.ref.value, ignoredActions: $0.ignoreWhenActions?.map(\.value), entry: registry.entry(for: $0.ref.value)) }
        }
        self.init(principal: use(block.principalSchema), resource: use(block.resourceSchema))
    }
}
