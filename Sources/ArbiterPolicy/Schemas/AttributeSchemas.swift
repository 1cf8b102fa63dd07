/// The schemas a resource kind's root policy names for principal and resource attributes
/// (Cerbos applies the root policy's `schemas` to the whole scope chain).
public struct AttributeSchemas: Sendable {
    /// One side's schema and the actions for which it is not checked.
    public struct Use: Sendable {
        /// The schema's `ref`.
        public let ref: String
        /// `ignoreWhen.actions`, exact names and globs.
        public let ignoredActions: ActionMatcher?

        /// Creates a use.
        public init(ref: String, ignoredActions: [String]?) {
            self.ref = ref
            self.ignoredActions = ignoredActions.map(ActionMatcher.init)
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

    /// The pair a `schemas` block declares, nil when it names neither side.
    public init?(_ block: Schemas?) {
        guard let block, block.principalSchema != nil || block.resourceSchema != nil else { return nil }
        principal = block.principalSchema.map { Use(ref: $0.ref.value, ignoredActions: $0.ignoreWhenActions?.map(\.value)) }
        resource = block.resourceSchema.map { Use(ref: $0.ref.value, ignoredActions: $0.ignoreWhenActions?.map(\.value)) }
    }
}
