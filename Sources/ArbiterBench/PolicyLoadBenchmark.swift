import ArbiterPolicy
import Foundation

/// Loading benchmarks for issue 2's speed goals: `store/` (73 files) under 20 ms and a generated
/// tree of 10,000 policies under 1.5 s, release build. Call ``run(directory:runs:)`` from `main.swift`.
enum PolicyLoadBenchmark {
    /// Loads `directory` `runs` times and returns the best wall and CPU times in seconds.
    static func run(directory: String, runs: Int) -> (wall: Double, cpu: Double, policies: Int, diagnostics: Int) {
        var best = (wall: Double.infinity, cpu: Double.infinity, policies: 0, diagnostics: 0)
        for _ in 0..<max(1, runs) {
            let wall0 = clock(CLOCK_MONOTONIC), cpu0 = clock(CLOCK_PROCESS_CPUTIME_ID)
            let result = PolicyLoader.load(directory: directory)
            let wall = clock(CLOCK_MONOTONIC) - wall0, cpu = clock(CLOCK_PROCESS_CPUTIME_ID) - cpu0
            best = (min(best.wall, wall), min(best.cpu, cpu), result.policies.count, result.diagnostics.count)
        }
        return best
    }

    /// Peak resident memory of this process in megabytes.
    static var peakMemoryMB: Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss / 1024
    }

    private static func clock(_ id: clockid_t) -> Double {
        var ts = timespec()
        clock_gettime(id, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Writes a realistic tree of `count` policies: 100 derived-role sets, one exported variable set,
    /// resource policies in three-level scope chains (root, `acme`, `acme.hr`) and a principal policy
    /// for every tenth resource kind.
    static func generateTree(at root: String, count: Int) throws {
        let fm = FileManager.default
        for dir in ["derived_roles", "export_variables", "resource_policies", "principal_policies"] {
            try fm.createDirectory(atPath: root + "/" + dir, withIntermediateDirectories: true)
        }
        let header = "apiVersion: api.cerbos.dev/v1\n"
        func write(_ path: String, _ text: String) throws {
            try (header + text).write(toFile: root + "/" + path, atomically: false, encoding: .utf8)
        }
        for d in 0..<100 {
            try write("derived_roles/dr_\(d).yaml", """
            derivedRoles:
              name: roles_\(d)
              definitions:
                - name: owner
                  parentRoles: ["user"]
                  condition:
                    match:
                      expr: R.attr.owner == P.id
                - name: manager
                  parentRoles: ["manager"]
                  condition:
                    match:
                      all:
                        of:
                          - expr: R.attr.dept == P.attr.dept
                          - expr: R.attr.level < P.attr.level

            """)
        }
        try write("export_variables/common.yaml", """
        exportVariables:
          name: common
          definitions:
            same_dept: R.attr.dept == P.attr.dept
            is_public: R.attr.public == true

        """)
        var written = 101
        var kind = 0
        while written < count {
            for scope in ["", "acme", "acme.hr"] where written < count {
                let scopeLine = scope.isEmpty ? "" : "  scope: \(scope)\n"
                try write("resource_policies/r_\(kind)_\(scope.isEmpty ? "root" : scope).yaml", """
                resourcePolicy:
                  resource: kind_\(kind)
                  version: default
                \(scopeLine)  importDerivedRoles: [roles_\(kind % 100)]
                  variables:
                    import: [common]
                    local:
                      big: R.attr.size > 100
                  rules:
                    - name: view
                      actions: ["view", "list"]
                      derivedRoles: ["owner", "manager"]
                      effect: EFFECT_ALLOW
                    - name: edit
                      actions: ["edit"]
                      roles: ["editor"]
                      effect: EFFECT_ALLOW
                      condition:
                        match:
                          any:
                            of:
                              - expr: V.same_dept
                              - expr: V.is_public && !V.big
                      output:
                        when:
                          ruleActivated: '"edited:" + R.id'
                    - actions: ["delete"]
                      roles: ["admin"]
                      effect: EFFECT_DENY
                      condition:
                        match:
                          expr: R.attr.locked

                """)
                written += 1
            }
            if written < count && kind % 10 == 0 {
                try write("principal_policies/p_\(kind).yaml", """
                principalPolicy:
                  principal: user_\(kind)
                  version: default
                  rules:
                    - resource: kind_\(kind)
                      actions:
                        - action: "*"
                          effect: EFFECT_ALLOW

                """)
                written += 1
            }
            kind += 1
        }
    }
}
