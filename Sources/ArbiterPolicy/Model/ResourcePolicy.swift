import ArbiterYAML

/// A `resourcePolicy`: rules for one resource kind, version and scope.
public struct ResourcePolicy: Sendable {
    /// One entry of `rules`.
    public struct Rule: Sendable {
        /// `name`, if written.
        public var name: Located<String>?
        /// `actions` (globs allowed).
        public var actions: [Located<String>]
        /// `roles` (`*` and globs allowed).
        public var roles: [Located<String>]
        /// `derivedRoles`.
        public var derivedRoles: [Located<String>]
        /// `condition`.
        public var condition: Condition?
        /// `effect`.
        public var effect: Effect
        /// `output`.
        public var output: RuleOutput?
        /// Where the rule's mapping starts.
        public var mark: YAMLMark
        /// JSON-path-like location, such as `resourcePolicy.rules[2]`.
        public var path: String

        /// The rule's name, or Cerbos's default `rule-NNN` (1-based index).
        public func effectiveName(index: Int) -> String {
            name?.value ?? PolicyNaming.defaultRuleName(index: index)
        }
    }

    /// `resource`: the resource kind.
    public var resource: Located<String>
    /// `version`.
    public var version: Located<String>
    /// `scope`; empty when unscoped.
    public var scope: Located<String>?
    /// `scopePermissions`.
    public var scopePermissions: Located<ScopePermissions>?
    /// `importDerivedRoles`.
    public var importDerivedRoles: [Located<String>]
    /// `variables`.
    public var variables: Variables?
    /// `constants`.
    public var constants: Constants?
    /// `schemas`.
    public var schemas: Schemas?
    /// `rules`.
    public var rules: [Rule]
    /// Where the `resourcePolicy` mapping starts.
    public var mark: YAMLMark
}
