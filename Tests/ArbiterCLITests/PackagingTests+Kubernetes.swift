import Foundation
import Testing

/// The Kubernetes manifests: schema-valid, and wired together as the docs describe.
extension PackagingTests {
    /// Every Kubernetes object shipped; kustomization.yaml and config.yaml are inputs to kustomize, not objects.
    static let manifests = ["namespace.yaml", "policies-configmap.yaml", "daemonset.yaml", "example-client.yaml"]
    /// Every Kubernetes minor release still supported upstream (the newest three, December 2026)
    /// that kubernetes-validate 1.37.0 ships schemas for; 1.38 has none in it yet. Add the new
    /// one and drop the oldest when packaging/ci-deps.sh moves to a newer validator.
    static let kubernetesVersions = ["1.35.0", "1.36.0", "1.37.0"]

    @Test(.enabled(if: Tool.isCI || Tool.kubernetesValidate() != nil, Tool.skipReason("kubernetes-validate", package: "PyPI's kubernetes-validate in .build/packaging-venv")),
          arguments: manifests, kubernetesVersions)
    func kubernetesManifest_matchesTheKubernetesSchema(file: String, kubernetesVersion: String) throws {
        let validate = try #require(Tool.kubernetesValidate(), "kubernetes-validate is missing; run make deps")
        let result = try Shell.run(validate, ["--strict", "--no-warn", "-k", kubernetesVersion,
                                              Repo.url("packaging/kubernetes/\(file)").path])
        #expect(result.status == 0, "\(file) against Kubernetes \(kubernetesVersion):\n\(result.output)")
        #expect(result.output.contains("passed"), "the validator did not report \(file) as checked:\n\(result.output)")
    }

    @Test func kubernetesDirectory_hasNoManifestThatEscapesValidation() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Repo.url("packaging/kubernetes").path)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
        #expect(Set(files) == Set(Self.manifests + ["kustomization.yaml", "config.yaml"]))
    }

    @Test(.enabled(if: Tool.isCI || Tool.kubernetesValidate() != nil, Tool.skipReason("the packaging venv's python", package: "PyPI's kubernetes-validate in .build/packaging-venv")))
    func kustomization_wiresConfigMapsSocketAndProbes() throws {
        let kustomization = try #require(try Yaml.documents("packaging/kubernetes/kustomization.yaml").first as? [String: Any])
        let resources = kustomization["resources"] as? [String] ?? []
        #expect(Set(resources) == Set(Self.manifests).subtracting(["example-client.yaml"]))
        let generators = kustomization["configMapGenerator"] as? [[String: Any]] ?? []
        for file in generators.flatMap({ $0["files"] as? [String] ?? [] }) {
            #expect(FileManager.default.fileExists(atPath: Repo.url("packaging/kubernetes/\(file)").path), "generator file \(file) is missing")
        }
        var configMaps = Set(generators.compactMap { $0["name"] as? String })
        for resource in resources {
            for case let object as [String: Any] in try Yaml.documents("packaging/kubernetes/\(resource)") where object["kind"] as? String == "ConfigMap" {
                configMaps.insert((object["metadata"] as? [String: Any])?["name"] as? String ?? "")
            }
        }

        let daemonSet = try #require(try Yaml.documents("packaging/kubernetes/daemonset.yaml").first as? [String: Any])
        let pod = try #require(daemonSet[path: "spec", "template", "spec"] as? [String: Any])
        let volumes = pod["volumes"] as? [[String: Any]] ?? []
        for case let name as String in volumes.compactMap({ $0[path: "configMap", "name"] }) {
            #expect(configMaps.contains(name), "the DaemonSet mounts ConfigMap \(name), which the kustomization does not create")
        }
        let socketVolume = try #require(volumes.first { $0[path: "hostPath", "path"] as? String == "/run/arbiter" })
        #expect(socketVolume[path: "hostPath", "type"] as? String == "DirectoryOrCreate")
        #expect(pod[path: "securityContext", "runAsNonRoot"] as? Bool == true)

        let containers = pod["containers"] as? [[String: Any]] ?? []
        let arbiter = try #require(containers.first { $0["name"] as? String == "arbiter" })
        #expect(arbiter[path: "securityContext", "readOnlyRootFilesystem"] as? Bool == true)
        for probe in ["readinessProbe", "livenessProbe"] {
            let command = arbiter[path: probe, "exec", "command"] as? [String]
            #expect(command == ["arbiter", "health", "--socket", "/run/arbiter/arbiter.sock"], "\(probe) is \(String(describing: command))")
        }
        let mounts = arbiter["volumeMounts"] as? [[String: Any]] ?? []
        #expect(mounts.allSatisfy { $0["subPath"] == nil }, "a subPath mount never sees ConfigMap updates")

        let client = try #require(try Yaml.documents("packaging/kubernetes/example-client.yaml").first as? [String: Any])
        let clientPod = try #require(client[path: "spec", "template", "spec"] as? [String: Any])
        let clientVolumes = clientPod["volumes"] as? [[String: Any]] ?? []
        #expect(clientVolumes.contains { $0[path: "hostPath", "path"] as? String == "/run/arbiter" }, "the example client does not mount /run/arbiter")
        let daemonGroup = pod[path: "securityContext", "runAsGroup"] as? Int
        let clientGroups = clientPod[path: "securityContext", "supplementalGroups"] as? [Int] ?? []
        #expect(daemonGroup.map(clientGroups.contains) == true, "the client must join the daemon's group \(String(describing: daemonGroup)) to open the 0660 socket")
    }
}
