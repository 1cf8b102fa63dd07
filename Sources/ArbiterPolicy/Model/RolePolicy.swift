import ArbiterYAML

/// A `rolePolicy`: the exhaustive allow-list of a custom role.
public struct RolePolicy: Sendable {
    /// One entry of `rules`.
    public struct Rule: Sendable {
        /// `resource` (glob allowed).
        public var resource: Located<String>
        /// `allowActions` (globs allowed).
        public var allowActions: [Located<String>]
        /// `condition`.
        public var condition: Condition?
        /// `name`, if written.
        public var name: Located<String>?
        /// `output`.
        public var output: RuleOutput?
        /// Where the rule's mapping starts.
        public var mark: YAMLMark
        /// JSON-path-like location.
        public var path: String
    }

    /// `role`.
    public var role: Located<String>
    /// `version` as written; nil or empty means `default`.
    public var version: Located<String>?
    /// `scope`.
    public var scope: Located<String>?
    /// `parentRoles`.
    public var parentRoles: [Located<String>]
    /// `scopePermissions` (deprecated; only unspecified or require-parental-consent).
    public var scopePermissions: Located<ScopePermissions>?
    /// `variables`.
    public var variables: Variables?
    /// `constants`.
    public var constants: Constants?
    /// `rules`.
    public var rules: [Rule]
    /// Where the `rolePolicy` mapping starts.
    public var mark: YAMLMark

    /// The version, with Cerbos's default for an empty one.
    public var effectiveVersion: String {
        guard let v = version?.value, !v.isEmpty else { return PolicyNaming.defaultVersion }
        return v
    }
}
