import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// PlanResources end to end against a real database through Cerbos's own code: `arbiter serve`
/// on the policies of Tests/PlanE2E/policies (derived roles, scopes, `in`, `exists`,
/// `startsWith`, nested attributes, a principal policy), and Tests/PlanE2E/plan_sqlalchemy.py in
/// the venv `make deps` fills with the unmodified `cerbos` SDK and `cerbos-sqlalchemy` adapter
/// from PyPI. The script compares, for every principal, scope and action, the SQLite rows the
/// adapter's query returns with the rows CheckResources allows one by one.
@Suite struct PlanSQLAlchemyTests {
    typealias Shell = PackagingTests.Shell
    typealias Repo = PackagingTests.Repo

    static let python = Repo.url(".build/plan-venv/bin/python").path
    /// 4 principals × 2 scopes × 4 actions.
    static let cases = 32

    @Test func plans_selectExactlyTheRowsCheckResourcesAllows() throws {
        let hasVenv = FileManager.default.isExecutableFile(atPath: Self.python)
        try #require(hasVenv, "\(Self.python) is missing; `make deps` (packaging/ci-deps.sh) installs cerbos and cerbos-sqlalchemy there")
        let binary = try Repo.builtBinary().path
        let scratch = try PackagingTests.ScratchDirectory()
        defer { withExtendedLifetime(scratch) {} }
        let socket = scratch.url.appendingPathComponent("arbiter.sock").path

        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: binary)
        daemon.arguments = ["serve", "--policies", Repo.url("Tests/PlanE2E/policies").path, "--socket", socket,
                            "--log-level", "warning"]
        daemon.environment = ProcessInfo.processInfo.environment.filter { !Shell.serviceManagerVariables.contains($0.key) }
        daemon.standardOutput = FileHandle.nullDevice
        daemon.standardError = FileHandle.nullDevice
        try daemon.run()
        defer {
            if daemon.isRunning {
                kill(daemon.processIdentifier, SIGTERM)
                daemon.waitUntilExit()
            }
        }
        var healthy = false
        for _ in 0..<300 where !healthy {
            healthy = try Shell.run(binary, ["health", "--socket", socket]).status == 0
            if !healthy { usleep(100_000) }
        }
        try #require(healthy, "arbiter health never reported SERVING")

        let result = try Shell.run(Self.python, [Repo.url("Tests/PlanE2E/plan_sqlalchemy.py").path, socket])
        print(result.stdout.split(separator: "\n").map { "[plan-e2e] \($0)" }.joined(separator: "\n"))
        #expect(result.status == 0, "\(result.output)")
        #expect(result.stdout.contains("\ncases: \(Self.cases) matched CheckResources, 0 mismatched\n"), "\(result.output)")
        // Both translation routes ran: the adapter's SQL and, for `exists` over a list column it
        // cannot express, the plan evaluated in Python.
        #expect(result.stdout.contains("via sqlalchemy") && result.stdout.contains("via python"), "\(result.output)")
    }
}
