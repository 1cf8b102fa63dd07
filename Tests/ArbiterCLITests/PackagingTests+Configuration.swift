import ArbiterAuxData
import ArbiterServer
import Foundation
import Testing

/// The packaged configuration files and docs/operations.md against the daemon's real configuration reader.
extension PackagingTests {
    /// Every configuration key ArbiterServer's ServerConfiguration accepts, as a dotted path;
    /// docs/operations.md and the packaged config must show each.
    static let configurationKeys = [
        "storage.driver", "storage.disk.directory", "storage.disk.watchForChanges",
        "storage.disk.reloadDebounce", "storage.disk.reloadMaxDelay", "storage.disk.startWithoutPolicies",
        "storage.disk.requireTestsPass",
        "engine.defaultPolicyVersion", "engine.defaultScope", "engine.lenientScopeSearch", "engine.strictEvaluation", "engine.globals",
        "engine.celLimits.costLimit", "engine.celLimits.maxListSize", "engine.celLimits.maxStringSize",
        "engine.celLimits.maxRegexInputSize", "engine.celLimits.requestCostLimit",
        "server.requestLimits.maxActionsPerResource", "server.requestLimits.maxResourcesPerRequest",
        "server.requestLimits.maxRolesPerPrincipal", "server.requestLimits.maxJSONValues", "server.requestLimits.maxStringLength",
        "server.socket.path", "server.socket.mode", "server.socket.group", "server.socket.allowedUids", "server.socket.allowedGids",
        "server.maxFrameSize", "server.frameTimeout", "server.maxJSONDepth", "server.shutdownGracePeriod",
        "schema.enforcement", "schema.cacheSize",
        "auxData.jwt.keySets", "auxData.jwt.acceptableTimeSkew", "auxData.jwt.disableVerification", "auxData.jwt.cacheSize",
    ]

    @Test func packagedConfigs_loadWithTheDaemonsConfigurationReader() throws {
        do {
            let deb = try ServerConfiguration.load(file: Repo.url("packaging/deb/config.yaml").path)
            #expect(deb.policyDirectory == "/etc/arbiter/policies")
            #expect(deb.watchForChanges)
            #expect(deb.socketPath == "/run/arbiter/arbiter.sock")
            #expect(deb.socketGroup == "arbiter")
            let kubernetes = try ServerConfiguration.load(file: Repo.url("packaging/kubernetes/config.yaml").path)
            #expect(kubernetes.policyDirectory == "/etc/arbiter/policies")
            #expect(kubernetes.socketPath == "/run/arbiter/arbiter.sock")
            #expect(kubernetes.socketMode == 0o660)
            // Must stay below terminationGracePeriodSeconds (20) in daemonset.yaml.
            #expect(kubernetes.shutdownGracePeriod == .seconds(10))
        } catch let error as ConfigurationError {
            Issue.record("a packaged config is rejected by the daemon: \(error)")
        }
    }

    /// `#key: value` lines in the packaged config claim to show defaults: uncommented, they must
    /// all be accepted and equal what ServerConfiguration() starts with.
    @Test func packagedConfig_commentedSettingsAreTheRealDefaults() throws {
        let shipped = try Repo.text("packaging/deb/config.yaml")
        let marker = try Regex(#"(?m)^( *)#(?=[A-Za-z])"#, as: (Substring, Substring).self)
        let uncommented = shipped.replacing(marker) { $0.output.1 }
        #expect(uncommented != shipped, "the packaged config has no commented defaults left to check")
        let config: ServerConfiguration
        do {
            config = try ServerConfiguration.decode(yaml: Array(uncommented.utf8), file: "config.yaml (uncommented)")
        } catch let error as ConfigurationError {
            Issue.record("the commented settings are not valid configuration: \(error)")
            return
        }
        let defaults = ServerConfiguration()
        #expect(config.reloadDebounce == defaults.reloadDebounce)
        #expect(config.reloadMaxDelay == defaults.reloadMaxDelay)
        #expect(config.startWithoutPolicies == defaults.startWithoutPolicies)
        #expect(config.defaultPolicyVersion == defaults.defaultPolicyVersion)
        #expect(config.defaultScope == defaults.defaultScope)
        #expect(config.lenientScopeSearch == defaults.lenientScopeSearch)
        #expect(config.strictEvaluation == defaults.strictEvaluation)
        #expect(config.globals.isEmpty && defaults.globals.isEmpty)
        #expect(config.celLimits == defaults.celLimits)
        #expect(config.maxActionsPerResource == defaults.maxActionsPerResource)
        #expect(config.maxResourcesPerRequest == defaults.maxResourcesPerRequest)
        #expect(config.maxRolesPerPrincipal == defaults.maxRolesPerPrincipal)
        #expect(config.requestLimits == defaults.requestLimits)
        #expect(config.requireTestsPass == defaults.requireTestsPass)
        #expect(config.socketMode == defaults.socketMode)
        #expect(config.allowedUIDs == defaults.allowedUIDs)
        #expect(config.allowedGIDs == defaults.allowedGIDs)
        #expect(config.maxFrameSize == defaults.maxFrameSize)
        #expect(config.frameTimeout == defaults.frameTimeout)
        #expect(config.maxJSONDepth == defaults.maxJSONDepth)
        #expect(config.shutdownGracePeriod == defaults.shutdownGracePeriod)
        #expect(config.schemaEnforcement == defaults.schemaEnforcement)
        #expect(config.schemaCacheSize == defaults.schemaCacheSize)
        #expect(config.auxData.keySets.isEmpty && config.auxData.acceptableTimeSkew == defaults.auxData.acceptableTimeSkew)
        #expect(config.auxData.disableVerification == defaults.auxData.disableVerification)
        #expect(config.auxData.cacheSize == defaults.auxData.cacheSize)
        // The package sets these on purpose; they are the defaults too, except the group.
        #expect(config.policyDirectory == defaults.policyDirectory)
        #expect(config.watchForChanges == defaults.watchForChanges)
        #expect(config.socketPath == defaults.socketPath)
    }

    @Test(arguments: configurationKeys)
    func operationsDoc_andDefaultConfig_describeConfigurationKey(key: String) throws {
        let doc = try Repo.text("docs/operations.md")
        #expect(doc.contains("`\(key)`"), "docs/operations.md does not document `\(key)`")
        let leaf = String(key.split(separator: ".").last!)
        let config = try Repo.text("packaging/deb/config.yaml")
        #expect(config.contains(" \(leaf):") || config.contains("#\(leaf):"), "packaging/deb/config.yaml does not show \(key)")
    }

    @Test(arguments: ["`arbiter compile", "exit code 3", "..data", "STATUS=", "SIGHUP", "SIGTERM", "READY=1", "RELOADING=1",
                      "WATCHDOG=1", "STOPPING=1", "systemctl reload arbiter", "kubectl apply -k", "PrivateUsers="])
    func operationsDoc_covers(topic: String) throws {
        #expect(try Repo.text("docs/operations.md").contains(topic), "docs/operations.md never mentions \(topic)")
    }
}
