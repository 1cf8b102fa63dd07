import ArbiterPolicy

// Which rows of a scope apply to a request: the matching rules of spec §2.3 and §2.5 that the
// CheckResources walk (`ActionRun`) and the PlanResources walk (`PlanWalk`) both follow, kept in
// one place. Role matching of resource rules and derived roles is `RoleIndex`'s.

extension CompiledRule {
    /// Whether this principal-policy rule covers `action` on resources of the (sanitised) `kind`.
    @inline(__always)
    func coversPrincipalRequest(kind: String, action: String) -> Bool {
        (resource?.matches(kind) ?? true) && actions.matches(action)
    }
}

extension CompiledRolePolicy.Rule {
    /// Whether this role-policy rule allows `action` on resources of the (sanitised) `kind`;
    /// a role policy without such a rule denies the action (spec §2.5).
    @inline(__always)
    func grants(kind: String, action: String) -> Bool {
        resource.matches(kind) && allowActions.matches(action)
    }
}
