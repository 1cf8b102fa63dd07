import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The shipped binary end to end: `arbiter serve` on a real socket and policy directory,
/// `arbiter health`, `arbiter check` and `arbiter plan` against it, a broken edit that must not replace the
/// policies in service, and SIGTERM ending the daemon with exit 0.
@Suite struct ServeCommandTests {
    static let policy = """
    apiVersion: api.cerbos.dev/v1
    resourcePolicy:
      resource: document
      version: default
      rules:
        - actions: ["view"]
          roles: ["user"]
          effect: EFFECT_ALLOW
          condition:
            match:
              expr: R.attr.owner == P.id

    """

    func waitFor(seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(100_000)
        }
        return false
    }

    @Test func serve_answersHealthAndCheck_keepsPoliciesOnABrokenEdit_andExitsZeroOnSIGTERM() throws {
        let binary = try PackagingTests.Repo.builtBinary().path
        let scratch = try PackagingTests.ScratchDirectory()
        defer { withExtendedLifetime(scratch) {} }
        let policies = scratch.url.appendingPathComponent("policies")
        try FileManager.default.createDirectory(at: policies, withIntermediateDirectories: true)
        try Data(Self.policy.utf8).write(to: policies.appendingPathComponent("document.yaml"))
        let socket = scratch.url.appendingPathComponent("arbiter.sock").path

        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: binary)
        daemon.arguments = ["serve", "--policies", policies.path, "--socket", socket, "--log-level", "warning"]
        daemon.environment = ProcessInfo.processInfo.environment.filter {
            !PackagingTests.Shell.serviceManagerVariables.contains($0.key)
        }
        daemon.standardOutput = FileHandle.nullDevice
        daemon.standardError = FileHandle.nullDevice
        try daemon.run()
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) } }

        let healthy = try waitFor(seconds: 30) {
            try PackagingTests.Shell.run(binary, ["health", "--socket", socket]).status == 0
        }
        try #require(healthy, "arbiter health never reported SERVING")

        let check = ["check", "--socket", socket, "--principal", "alice", "--role", "user", "--kind", "document",
                     "--resource-attr", "owner=alice", "--action", "view", "--action", "edit"]
        let decided = try PackagingTests.Shell.run(binary, check)
        #expect(decided.status == 0, "\(decided)")
        #expect(decided.stdout.contains("view: EFFECT_ALLOW") && decided.stdout.contains("edit: EFFECT_DENY"), "\(decided)")

        // PlanResources over the same socket: the filter, then the whole response.
        let plan = ["plan", "--socket", socket, "--principal", "alice", "--role", "user", "--kind", "document", "--action", "view"]
        let planned = try PackagingTests.Shell.run(binary, plan)
        #expect(planned.status == 0, "\(planned)")
        #expect(planned.stdout == "(eq request.resource.attr.owner \"alice\")\n", "\(planned)")
        let plannedJSON = try PackagingTests.Shell.run(binary, plan + ["--json", "--resource-attr", "owner=bob"])
        #expect(plannedJSON.stdout.contains(#""filter":{"kind":"KIND_ALWAYS_DENIED"}"#), "\(plannedJSON)")
        let badPlan = try PackagingTests.Shell.run(binary, plan + ["--action", "view"])
        #expect(badPlan.status != 0 && badPlan.stderr.contains("actions[1]"), "\(badPlan)")

        // A broken edit is reported by Health and never replaces the policies in service.
        try Data("apiVersion: api.cerbos.dev/v1\nresourcePolicy: [".utf8).write(to: policies.appendingPathComponent("broken.yaml"))
        let reported = try waitFor(seconds: 30) {
            try PackagingTests.Shell.run(binary, ["health", "--socket", socket]).stdout.contains("lastReload=FAILURE")
        }
        #expect(reported, "the failed reload never showed in Health")
        let stillDecided = try PackagingTests.Shell.run(binary, check)
        #expect(stillDecided.stdout.contains("view: EFFECT_ALLOW"), "\(stillDecided)")

        kill(daemon.processIdentifier, SIGTERM)
        let exited = waitFor(seconds: 20) { !daemon.isRunning }
        try #require(exited, "the daemon did not stop on SIGTERM")
        #expect(daemon.terminationStatus == 0)
        #expect(try PackagingTests.Shell.run(binary, ["health", "--socket", socket]).status != 0)
    }
}
