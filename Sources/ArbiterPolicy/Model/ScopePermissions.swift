/// How a scoped policy combines with its parent scopes.
public enum ScopePermissions: String, Sendable, Hashable {
    case unspecified = "SCOPE_PERMISSIONS_UNSPECIFIED"
    case overrideParent = "SCOPE_PERMISSIONS_OVERRIDE_PARENT"
    case requireParentalConsentForAllows = "SCOPE_PERMISSIONS_REQUIRE_PARENTAL_CONSENT_FOR_ALLOWS"

    /// What an unspecified value means for resource and principal policies.
    public var effectiveForResourceOrPrincipal: ScopePermissions {
        self == .unspecified ? .overrideParent : self
    }
}
