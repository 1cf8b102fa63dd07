/// A derived role definition with the parameters of the derived-roles set it came from.
/// A class so the engine's lookups share one reference instead of copying every field. Every
/// property is a `let`: the policy-set builder gives a role its ids by making a registered copy
/// (`registered(id:params:)`), so a published role never changes.
public final class CompiledDerivedRole: Sendable {
    /// The role name.
    public let name: String
    /// Parent roles as written; `*` means any role.
    public let parentRoles: RoleMatcher
    /// Parent roles as a list, for intersecting with the principal's roles.
    public let parentRoleNames: [String]
    /// The activation condition; nil means always.
    public let condition: CompiledCondition?
    /// Variables and constants of the derived-roles set (invisible to the importing policy).
    public let params: CompiledParams
    /// The key of the derived-roles set, `derived_roles.<set name>`.
    public let originKey: String
    /// Dense index within the policy set, for per-request condition caches; -1 until a
    /// policy-set builder registers the role.
    public let id: Int

    /// Creates an unregistered derived role; the policy-set builder makes the copy with `id`
    /// and `params.id`.
    public convenience init(name: String, parentRoles: [String], condition: CompiledCondition?, params: CompiledParams,
                            originKey: String) {
        self.init(name: name, parentRoles: RoleMatcher(parentRoles), parentRoleNames: parentRoles, condition: condition,
                  params: params, originKey: originKey, id: -1)
    }

    private init(name: String, parentRoles: RoleMatcher, parentRoleNames: [String], condition: CompiledCondition?,
                 params: CompiledParams, originKey: String, id: Int) {
        self.name = name
        self.parentRoles = parentRoles
        self.parentRoleNames = parentRoleNames
        self.condition = condition
        self.params = params
        self.originKey = originKey
        self.id = id
    }

    /// This role under `id`, with its parameter block registered as `params`.
    func registered(id: Int, params: CompiledParams) -> CompiledDerivedRole {
        CompiledDerivedRole(name: name, parentRoles: parentRoles, parentRoleNames: parentRoleNames, condition: condition,
                            params: params, originKey: originKey, id: id)
    }

    /// Whether any of `roles` is a parent of this derived role.
    public func isActivatable(by roles: [String]) -> Bool { parentRoles.matchesAny(of: roles[...]) }

    /// Whether any of `roles` is a parent of this derived role.
    public func isActivatable(by roles: ArraySlice<String>) -> Bool { parentRoles.matchesAny(of: roles) }
}
