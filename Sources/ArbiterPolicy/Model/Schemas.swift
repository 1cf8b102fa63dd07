import ArbiterYAML

/// A resource policy's `schemas` block.
public struct Schemas: Sendable {
    /// A reference to a JSON schema with the actions for which validation is skipped.
    public struct Reference: Sendable {
        /// `ref`, such as `cerbos:///principal.json`.
        public var ref: Located<String>
        /// `ignoreWhen.actions` (globs); nil when `ignoreWhen` is absent.
        public var ignoreWhenActions: [Located<String>]?

        /// Creates a reference.
        public init(ref: Located<String>, ignoreWhenActions: [Located<String>]?) {
            self.ref = ref
            self.ignoreWhenActions = ignoreWhenActions
        }
    }

    /// `principalSchema`.
    public var principalSchema: Reference?
    /// `resourceSchema`.
    public var resourceSchema: Reference?

    /// Creates a block.
    public init(principalSchema: Reference?, resourceSchema: Reference?) {
        self.principalSchema = principalSchema
        self.resourceSchema = resourceSchema
    }
}
