import ArbiterYAML

/// A `derivedRoles` set: named roles computed from parent roles and a condition.
public struct DerivedRoles: Sendable {
    /// One entry of `definitions`.
    public struct Definition: Sendable {
        /// `name`.
        public var name: Located<String>
        /// `parentRoles` (`*` means any role).
        public var parentRoles: [Located<String>]
        /// `condition`.
        public var condition: Condition?
        /// Where the definition's mapping starts.
        public var mark: YAMLMark
        /// JSON-path-like location.
        public var path: String
    }

    /// `name`: the import name.
    public var name: Located<String>
    /// `definitions`.
    public var definitions: [Definition]
    /// `variables`.
    public var variables: Variables?
    /// `constants`.
    public var constants: Constants?
    /// Where the `derivedRoles` mapping starts.
    public var mark: YAMLMark
}
