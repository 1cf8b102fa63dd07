#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import ArbiterPolicy

/// The policy directory walk on trees an operator can get wrong: entries that look like
/// policies but cannot be read as files, and trees that never end.
@Suite struct DirectoryWalkerTests {
    static let policy = "apiVersion: api.cerbos.dev/v1\nresourcePolicy:\n  resource: doc\n  version: default\n"
        + "  rules:\n    - actions: [view]\n      roles: [user]\n      effect: EFFECT_ALLOW\n"

    /// A fresh directory holding `a.yaml`, removed by `cleanup`.
    final class Tree {
        let root: String
        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("arbiter-walk-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            try DirectoryWalkerTests.policy.write(toFile: root + "/a.yaml", atomically: false, encoding: .utf8)
        }
        func cleanup() { try? FileManager.default.removeItem(atPath: root) }
        func mkdirs(_ relative: String) throws {
            try FileManager.default.createDirectory(atPath: root + "/" + relative, withIntermediateDirectories: true)
        }
        func link(_ relative: String, to target: String) {
            #expect(symlink(target, root + "/" + relative) == 0, "symlink \(relative): \(String(cString: strerror(errno)))")
        }
    }

    private func messages(_ result: LoadResult) -> [String] {
        result.diagnostics.map { "\($0.file): \($0.message)" }
    }

    @Test func danglingLinkNamedLikeAPolicy_isADiagnosticNamingIt() throws {
        let tree = try Tree()
        defer { tree.cleanup() }
        tree.link("gone.yaml", to: "nowhere.yaml")
        let result = PolicyLoader.load(directory: tree.root)
        #expect(messages(result) == ["gone.yaml: dangling symbolic link: its target does not exist"])
        #expect(result.policies.map(\.file) == ["a.yaml"])
    }

    @Test func symlinkLoopNamedLikeAPolicy_isADiagnostic() throws {
        let tree = try Tree()
        defer { tree.cleanup() }
        tree.link("x.yaml", to: "y.yaml")
        tree.link("y.yaml", to: "x.yaml")
        let result = PolicyLoader.load(directory: tree.root)
        #expect(messages(result) == [
            "x.yaml: symbolic link loop: the link resolves to itself", "y.yaml: symbolic link loop: the link resolves to itself",
        ])
    }

    @Test func fifoNamedLikeAPolicy_isADiagnostic_andIsNeverOpened() throws {
        let tree = try Tree()
        defer { tree.cleanup() }
        #expect(mkfifo(tree.root + "/pipe.yaml", 0o644) == 0)
        // Opening a FIFO for reading would block the walk for as long as no writer comes.
        let result = PolicyLoader.load(directory: tree.root)
        #expect(messages(result) == ["pipe.yaml: is a FIFO, not a regular file; a policy file must be a regular file"])
    }

    @Test func specialFilesWithOtherNames_areIgnoredAsBefore() throws {
        let tree = try Tree()
        defer { tree.cleanup() }
        #expect(mkfifo(tree.root + "/pipe", 0o644) == 0)
        tree.link("README", to: "nowhere")
        #expect(PolicyLoader.load(directory: tree.root).diagnostics.isEmpty)
    }

    /// Issue 19, defect 2: `mkdir P/loop; ln -s .. P/loop/up; ln -s . P/loop/self` ran the reload
    /// away (90 s, 3.8 GB). Each link back into the tree is now one diagnostic.
    @Test func directorySymlinkCycle_isReportedOnce_perLink_andTheWalkEnds() throws {
        let tree = try Tree()
        defer { tree.cleanup() }
        try tree.mkdirs("loop")
        tree.link("loop/up", to: "..")
        tree.link("loop/self", to: ".")
        let started = ContinuousClock.now
        let result = PolicyLoader.load(directory: tree.root)
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(messages(result).sorted() == [
            "loop/self: directory cycle: this is the directory 'loop' again (a symbolic link loop?); not walked twice",
            "loop/up: directory cycle: this is the directory '.' again (a symbolic link loop?); not walked twice",
        ])
        #expect(result.policies.map(\.file) == ["a.yaml"])
    }

    @Test func symlinkToADirectoryOutsideTheTree_isStillFollowed() throws {
        let tree = try Tree()
        let outside = try Tree()
        defer { tree.cleanup(); outside.cleanup() }
        try FileManager.default.moveItem(atPath: outside.root + "/a.yaml", toPath: outside.root + "/b.yaml")
        try (Self.policy.replacingOccurrences(of: "resource: doc", with: "resource: other"))
            .write(toFile: outside.root + "/b.yaml", atomically: false, encoding: .utf8)
        tree.link("linked", to: outside.root)
        let result = PolicyLoader.load(directory: tree.root)
        #expect(result.diagnostics.isEmpty, "\(messages(result))")
        #expect(result.policies.map(\.file) == ["a.yaml", "linked/b.yaml"])
    }

    @Test func nestingDeeperThanTheLimit_isAClearError() throws {
        let tree = try Tree()
        defer { tree.cleanup() }
        let deep = (1...5).map { "d\($0)" }.joined(separator: "/")
        try tree.mkdirs(deep)
        let found = DirectoryWalker(root: tree.root, limits: .init(maxDepth: 3, maxEntries: 1000)).walk()
        #expect(found.errors.map { "\($0.path): \($0.message)" } == ["d1/d2/d3/d4: directories nested deeper than 3 levels; not walked further"])
    }

    @Test func moreEntriesThanTheLimit_stopTheWalkWithAClearError() throws {
        let tree = try Tree()
        defer { tree.cleanup() }
        for i in 0..<20 { try "".write(toFile: tree.root + "/f\(i).txt", atomically: false, encoding: .utf8) }
        let found = DirectoryWalker(root: tree.root, limits: .init(maxDepth: 3, maxEntries: 10)).walk()
        #expect(found.errors.map { "\($0.path): \($0.message)" } == [".: more than 10 entries in the policy directory tree; the walk stopped there"])
    }

    @Test func emptyAndCommentOnlyFiles_areListedAsEmpty() throws {
        let tree = try Tree()
        defer { tree.cleanup() }
        try "".write(toFile: tree.root + "/empty.yaml", atomically: false, encoding: .utf8)
        try "# nothing\n".write(toFile: tree.root + "/comments.yaml", atomically: false, encoding: .utf8)
        let result = PolicyLoader.load(directory: tree.root)
        #expect(result.diagnostics.isEmpty)
        #expect(result.emptyFiles.sorted() == ["comments.yaml", "empty.yaml"])
    }
}
