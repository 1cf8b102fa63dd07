import ArbiterYAML

/// A `principalPolicy`: rules for one principal id, version and scope.
public struct PrincipalPolicy: Sendable {
    /// One entry of `rules`: the actions for one resource kind (glob allowed).
    public struct Rule: Sendable {
        /// One entry of `actions`.
        public struct Action: Sendable {
            /// `action` (glob allowed).
            public var action: Located<String>
            /// `effect`.
            public var effect: Effect
            /// `condition`.
            public var condition: Condition?
            /// `name`, if written.
            public var name: Located<String>?
            /// `output`.
            public var output: RuleOutput?
            /// Where the action's mapping starts.
            public var mark: YAMLMark
            /// JSON-path-like location.
            public var path: String
        }

        /// `resource`.
        public var resource: Located<String>
        /// `actions`.
        public var actions: [Action]
        /// Where the rule's mapping starts.
        public var mark: YAMLMark
        /// JSON-path-like location.
        public var path: String
    }

    /// `principal`: the principal id.
    public var principal: Located<String>
    /// `version`.
    public var version: Located<String>
    /// `scope`.
    public var scope: Located<String>?
    /// `scopePermissions`.
    public var scopePermissions: Located<ScopePermissions>?
    /// `variables`.
    public var variables: Variables?
    /// `constants`.
    public var constants: Constants?
    /// `rules` (may be empty).
    public var rules: [Rule]
    /// Where the `principalPolicy` mapping starts.
    public var mark: YAMLMark
}
