import ArbiterServer
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The git-sync variant of the Kubernetes manifests and the container recipe: schema-valid,
/// wired to the daemon's config, and the link swap git-sync does is a reload for a real daemon.
extension PackagingTests {
    @Test(.enabled(if: Tool.isCI || Tool.kubernetesValidate() != nil, Tool.skipReason("kubernetes-validate", package: "PyPI's kubernetes-validate in .build/packaging-venv")),
          arguments: kubernetesVersions)
    func gitSyncDaemonSet_matchesTheKubernetesSchema(kubernetesVersion: String) throws {
        let validate = try #require(Tool.kubernetesValidate(), "kubernetes-validate is missing; run make deps")
        let result = try Shell.run(validate, ["--strict", "--no-warn", "-k", kubernetesVersion,
                                              Repo.url("packaging/kubernetes/git-sync/daemonset.yaml").path])
        #expect(result.status == 0, "git-sync/daemonset.yaml against Kubernetes \(kubernetesVersion):\n\(result.output)")
        #expect(result.output.contains("passed"), "not reported as checked:\n\(result.output)")
    }

    @Test(.enabled(if: Tool.isCI || Tool.kubernetesValidate() != nil, Tool.skipReason("the packaging venv's python", package: "PyPI's kubernetes-validate in .build/packaging-venv")))
    func gitSyncDaemonSet_pointsTheDaemonAtTheLinkGitSyncSwaps() throws {
        let config = try ServerConfiguration.decode(yaml: Array(try Repo.text("packaging/kubernetes/git-sync/config.yaml").utf8),
                                                    file: "git-sync/config.yaml")
        let daemonSet = try #require(try Yaml.documents("packaging/kubernetes/git-sync/daemonset.yaml").first as? [String: Any])
        let pod = try #require(daemonSet[path: "spec", "template", "spec"] as? [String: Any])
        let containers = pod["containers"] as? [[String: Any]] ?? []
        let sync = try #require(containers.first { $0["name"] as? String == "git-sync" })
        let arbiter = try #require(containers.first { $0["name"] as? String == "arbiter" })
        let env = Dictionary(uniqueKeysWithValues: (sync["env"] as? [[String: Any]] ?? []).compactMap { e -> (String, String)? in
            guard let name = e["name"] as? String, let value = e["value"] as? String else { return nil }
            return (name, value)
        })
        let root = try #require(env["GITSYNC_ROOT"]), link = try #require(env["GITSYNC_LINK"])
        #expect(config.policyDirectory == root + "/" + link, "the daemon must watch the link itself, \(root)/\(link)")
        let mounts = arbiter["volumeMounts"] as? [[String: Any]] ?? []
        #expect(mounts.contains { $0["mountPath"] as? String == root && $0["readOnly"] as? Bool == true })
        let syncMounts = sync["volumeMounts"] as? [[String: Any]] ?? []
        #expect(syncMounts.contains { $0["mountPath"] as? String == root })
        #expect(sync[path: "securityContext", "runAsUser"] as? Int == pod[path: "securityContext", "runAsUser"] as? Int,
                "git-sync writes files the daemon (same uid) must read")
        let kustomization = try #require(try Yaml.documents("packaging/kubernetes/git-sync/kustomization.yaml").first as? [String: Any])
        #expect(kustomization["resources"] as? [String] == ["daemonset.yaml"])
    }

    @Test func containerfile_installsThePackageMakeDebBuilds_andRunsAsTheManifestsUser() throws {
        let containerfile = try Repo.text("packaging/container/Containerfile")
        let build = try Repo.text("packaging/deb/build.sh")
        #expect(build.contains("arbiter_${version}_${arch}.deb"))
        #expect(containerfile.contains("COPY out/arbiter_*_amd64.deb /tmp/"))
        #expect(containerfile.contains("FROM debian:bookworm-slim"), "the base must be the release the package is built for")
        let daemonSet = try Repo.text("packaging/kubernetes/daemonset.yaml")
        #expect(containerfile.contains("USER 65532:65532") && daemonSet.contains("runAsUser: 65532"))
        #expect(containerfile.contains("\"/etc/arbiter/config/config.yaml\"") && daemonSet.contains("mountPath: /etc/arbiter/config"))
    }

    /// git-sync publishes a pull by renaming a new link over `current`; a daemon watching
    /// `current`, or a folder below it, must serve the new tree without a restart.
    @Test(arguments: ["", "/policies"])
    func daemonWatchingALink_servesTheNewTreeAfterTheLinkIsSwapped(below subfolder: String) throws {
        let binary = try Repo.builtBinary().path
        let scratch = try ScratchDirectory()
        defer { withExtendedLifetime(scratch) {} }
        let git = scratch.url.appendingPathComponent("git")
        let policy = { (actions: String) in
            "apiVersion: api.cerbos.dev/v1\nresourcePolicy:\n  resource: document\n  version: default\n  rules:\n    - actions: [\(actions)]\n      roles: [user]\n      effect: EFFECT_ALLOW\n"
        }
        for (name, actions) in [("rev1", "view"), ("rev2", "view, edit")] {
            let dir = git.appendingPathComponent(name + subfolder)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try Data(policy(actions).utf8).write(to: dir.appendingPathComponent("document.yaml"))
        }
        let current = git.appendingPathComponent("current").path
        try FileManager.default.createSymbolicLink(atPath: current, withDestinationPath: "rev1")
        let socket = scratch.url.appendingPathComponent("a.sock").path
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: binary)
        daemon.arguments = ["serve", "--policies", current + subfolder, "--socket", socket, "--log-level", "warning"]
        daemon.environment = ProcessInfo.processInfo.environment.filter { !Shell.serviceManagerVariables.contains($0.key) }
        daemon.standardOutput = FileHandle.nullDevice
        daemon.standardError = FileHandle.nullDevice
        try daemon.run()
        defer {
            if daemon.isRunning { kill(daemon.processIdentifier, SIGTERM) }
            daemon.waitUntilExit()
        }
        let check = ["check", "--socket", socket, "--principal", "p", "--role", "user", "--kind", "document", "--action", "edit"]
        func editEffect() throws -> String { try Shell.run(binary, check).stdout }
        var ready = false
        for _ in 0..<300 where !ready {
            ready = try Shell.run(binary, ["health", "--socket", socket]).status == 0
            if !ready { usleep(100_000) }
        }
        try #require(ready, "the daemon never became healthy")
        #expect(try editEffect().contains("edit: EFFECT_DENY"))

        let staging = git.appendingPathComponent("current.tmp").path
        try FileManager.default.createSymbolicLink(atPath: staging, withDestinationPath: "rev2")
        #expect(rename(staging, current) == 0)
        var swapped = false
        for _ in 0..<100 where !swapped {
            swapped = try editEffect().contains("edit: EFFECT_ALLOW")
            if !swapped { usleep(100_000) }
        }
        #expect(swapped, "the daemon never served the tree behind the swapped link")
    }
}
