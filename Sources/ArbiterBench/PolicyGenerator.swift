/// Writes synthetic Cerbos policy trees: resource kinds with a root policy and scoped children,
/// shared derived roles, and conditions on principal and resource attributes.
struct PolicyGenerator {
    /// Number of resource kinds.
    var kinds: Int
    /// Policies per kind: 1 root plus scoped ones (`t0`, `t0.eu`, `t0.us`, `t1`, ...).
    var policiesPerKind: Int
    /// Shared derived-roles files.
    var derivedRoleSets: Int = 10

    /// The scopes of one kind, parents before children, `""` first.
    var scopes: [String] {
        var out = [""]
        var tenant = 0
        while out.count < policiesPerKind {
            out.append("t\(tenant)")
            for region in ["eu", "us"] where out.count < policiesPerKind { out.append("t\(tenant).\(region)") }
            tenant += 1
        }
        return out
    }

    /// Total policies written (resource policies plus derived roles).
    var policyCount: Int { kinds * policiesPerKind + derivedRoleSets }

    static func kindName(_ k: Int) -> String { "kind_\(k)" }

    /// Writes the tree under `directory`.
    func write(to directory: String) throws {
        try makeDirectories(directory + "/derived_roles")
        for d in 0..<derivedRoleSets {
            try writeFile(directory + "/derived_roles/common_\(d).yaml", Self.derivedRoles(name: "common_\(d)"))
        }
        let scopes = self.scopes
        for k in 0..<kinds {
            let dir = directory + "/resource_policies/" + Self.kindName(k)
            try makeDirectories(dir)
            let roles = "common_\(k % derivedRoleSets)"
            for scope in scopes {
                let text = scope.isEmpty
                    ? Self.rootPolicy(kind: Self.kindName(k), derivedRoles: roles)
                    : Self.scopedPolicy(kind: Self.kindName(k), scope: scope, derivedRoles: roles)
                try writeFile(dir + "/" + (scope.isEmpty ? "root" : scope) + ".yaml", text)
            }
        }
    }

    static func derivedRoles(name: String) -> String {
        """
        apiVersion: api.cerbos.dev/v1
        derivedRoles:
          name: \(name)
          definitions:
            - name: owner
              parentRoles: ["user"]
              condition:
                match:
                  expr: request.resource.attr.owner == request.principal.id
            - name: dept_manager
              parentRoles: ["manager"]
              condition:
                match:
                  expr: R.attr.department == P.attr.department

        """
    }

    /// The root policy; `bench/authz/policies.cedar` states the same logic for Cedar.
    static func rootPolicy(kind: String, derivedRoles: String) -> String {
        """
        apiVersion: api.cerbos.dev/v1
        resourcePolicy:
          version: default
          resource: \(kind)
          importDerivedRoles: [\(derivedRoles)]
          rules:
            - actions: ["*"]
              effect: EFFECT_ALLOW
              roles: [admin]
            - actions: [view]
              effect: EFFECT_ALLOW
              roles: ["*"]
              condition:
                match:
                  expr: R.attr.public == true
            - actions: [view, edit]
              effect: EFFECT_ALLOW
              derivedRoles: [owner]
            - actions: [approve]
              effect: EFFECT_ALLOW
              derivedRoles: [dept_manager]
              condition:
                match:
                  expr: R.attr.status == "PENDING"
            - actions: [delete]
              effect: EFFECT_DENY
              roles: ["*"]
              condition:
                match:
                  expr: R.attr.locked == true

        """
    }

    static func scopedPolicy(kind: String, scope: String, derivedRoles: String) -> String {
        """
        apiVersion: api.cerbos.dev/v1
        resourcePolicy:
          version: default
          resource: \(kind)
          scope: "\(scope)"
          importDerivedRoles: [\(derivedRoles)]
          rules:
            - actions: [archive]
              effect: EFFECT_ALLOW
              derivedRoles: [owner]
              condition:
                match:
                  all:
                    of:
                      - expr: R.attr.status != "PENDING"
                      - expr: '"\(scope)".startsWith(P.attr.tenant)'
            - actions: [edit]
              effect: EFFECT_DENY
              roles: [user]
              condition:
                match:
                  expr: R.attr.frozen == true

        """
    }
}
