#if canImport(Glibc)
import Glibc
#endif
import ArbiterEngine
import ArbiterServer
import Foundation
import Testing

/// `storage.disk.requireTestsPass`: a policy set whose own test suites fail is not published.
@Suite struct TestsGatedReloadLiveTests {
    static let suite = """
    name: DocumentTests
    principals:
      alice: {id: alice, roles: [user]}
    resources:
      own_doc: {kind: document, id: d1, attr: {owner: alice}}
    tests:
      - name: Owners can view their documents
        input: {principals: [alice], resources: [own_doc], actions: [view]}
        expected:
          - principal: alice
            resource: own_doc
            actions: {view: EFFECT_ALLOW}

    """

    /// Lets only admins view: the suite's expectation for alice no longer holds.
    func breakTheTest(_ dir: TemporaryDirectory) throws {
        try replaceFile(dir.path + "/document.yaml", DaemonChild.policy.replacingOccurrences(of: "roles: [\"user\"]", with: "roles: [\"admin\"]"),
                        stagingDirectory: dir.path + "/..")
    }

    @Test func policyEditThatBreaksItsTests_isNotPublished_andTheFailingTestIsNamed() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        try writeFile(dir.path + "/document.yaml", DaemonChild.policy)
        try writeFile(dir.path + "/document_test.yaml", Self.suite)
        try await withEngineWatcher(directory: dir.path, requireTestsPass: true) { store in
            #expect(store.current().generation == 1, "\(store.current().lastReload?.diagnostics ?? [])")
            try breakTheTest(dir)
            #expect(await eventually { store.current().lastReload?.outcome == .failure })
            let record = try #require(store.current().lastReload)
            #expect(store.current().generation == 1)
            #expect(record.diagnostics == [
                "policy test failed: document_test.yaml › DocumentTests › Owners can view their documents › alice › own_doc › view: "
                    + "expected EFFECT_ALLOW, got EFFECT_DENY",
            ])
            let status = SystemdNotifier.statusLine(store.current())
            #expect(status.contains("last reload FAILED (1 problems, previous policies in service): policy test failed: document_test.yaml"), "\(status)")
        }
    }

    @Test func withoutTheSetting_theSameEditIsPublished() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        try writeFile(dir.path + "/document.yaml", DaemonChild.policy)
        try writeFile(dir.path + "/document_test.yaml", Self.suite)
        try await withEngineWatcher(directory: dir.path, requireTestsPass: false) { store in
            try breakTheTest(dir)
            #expect(await eventually { store.current().generation == 2 })
            #expect(store.current().lastReload?.outcome == .success)
        }
    }

    @Test func configuration_readsRequireTestsPass() throws {
        let c = try ServerConfiguration.decode(yaml: Array("storage:\n  disk:\n    requireTestsPass: true\n".utf8), file: "a.yaml")
        #expect(c.requireTestsPass)
        #expect(!ServerConfiguration().requireTestsPass)
    }
}
