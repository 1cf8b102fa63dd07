/// The effect a compiled rule row produces when its condition holds.
public enum RuleEffect: Sendable, Hashable {
    case allow
    case deny
    /// A role-policy grant without a condition: it only emits the rule's output (spec §2.5).
    case noEffect
}

/// How a scope combines with its parents (spec §2.4).
public enum ScopePermissionMode: Sendable, Hashable {
    /// The first scope that decides wins (the default).
    case overrideParent
    /// Allows also need the parent scopes' consent; conditional allows become `DENY if !cond`.
    case requireParentalConsentForAllows
}
