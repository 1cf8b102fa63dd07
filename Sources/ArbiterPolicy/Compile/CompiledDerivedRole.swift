/// A derived role definition with the parameters of the derived-roles set it came from.
/// A class so the engine's lookups share one reference instead of copying every field; ids are
/// assigned once by `PolicySetBuilder` before the set is published, never after, which is why
/// the runtime exclusivity checks on its `var`s are switched off.
public final class CompiledDerivedRole: @unchecked Sendable {
    /// The role name.
    public let name: String
    /// Parent roles as written; `*` means any role.
    public let parentRoles: RoleMatcher
    /// Parent roles as a list, for intersecting with the principal's roles.
    public let parentRoleNames: [String]
    /// The activation condition; nil means always.
    public let condition: CompiledCondition?
    /// Variables and constants of the derived-roles set (invisible to the importing policy).
    @exclusivity(unchecked) public internal(set) var params: CompiledParams
    /// The key of the derived-roles set, `derived_roles.<set name>`.
    public let originKey: String
    /// Dense index within the policy set, for per-request condition caches.
    @exclusivity(unchecked) public internal(set) var id: Int

    /// Creates a derived role; `id` and `params.id` are assigned by the policy-set builder.
    public init(name: String, parentRoles: [String], condition: CompiledCondition?, params: CompiledParams,
                originKey: String) {
        self.name = name
        self.parentRoles = RoleMatcher(parentRoles)
        parentRoleNames = parentRoles
        self.condition = condition
        self.params = params
        self.originKey = originKey
        id = -1
    }

    /// Whether any of `roles` is a parent of this derived role.
    public func isActivatable(by roles: [String]) -> Bool { parentRoles.matchesAny(of: roles[...]) }

    /// Whether any of `roles` is a parent of this derived role.
    public func isActivatable(by roles: ArraySlice<String>) -> Bool { parentRoles.matchesAny(of: roles) }
}
