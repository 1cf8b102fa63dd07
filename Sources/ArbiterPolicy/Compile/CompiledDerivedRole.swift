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
    // Private storage behind getters, so the engine's reads skip the dynamic exclusivity
    // check: see `CompiledResourcePolicy`.
    @exclusivity(unchecked) private var _params: CompiledParams
    /// Variables and constants of the derived-roles set (invisible to the importing policy).
    public internal(set) var params: CompiledParams {
        get { _params }
        set { _params = newValue }
    }
    /// The key of the derived-roles set, `derived_roles.<set name>`.
    public let originKey: String
    @exclusivity(unchecked) private var _id: Int
    /// Dense index within the policy set, for per-request condition caches.
    public internal(set) var id: Int {
        get { _id }
        set { _id = newValue }
    }

    /// Creates a derived role; `id` and `params.id` are assigned by the policy-set builder.
    public init(name: String, parentRoles: [String], condition: CompiledCondition?, params: CompiledParams,
                originKey: String) {
        self.name = name
        self.parentRoles = RoleMatcher(parentRoles)
        parentRoleNames = parentRoles
        self.condition = condition
        _params = params
        self.originKey = originKey
        _id = -1
    }

    /// Whether any of `roles` is a parent of this derived role.
    public func isActivatable(by roles: [String]) -> Bool { parentRoles.matchesAny(of: roles[...]) }

    /// Whether any of `roles` is a parent of this derived role.
    public func isActivatable(by roles: ArraySlice<String>) -> Bool { parentRoles.matchesAny(of: roles) }
}
