import ArbiterEngine
import ArbiterPolicy
import ArbiterYAML
import CEL
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Helpers shared by the verify tests: temporary folders, txtar archives, golden reading.
enum VerifySupport {
    /// A fresh temporary directory.
    static func temporaryDirectory() -> String {
        var template = Array("/tmp/arbiter-verify-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { return "/tmp/arbiter-verify-fallback-\(getpid())" }
        return String(cString: made)
    }

    /// Writes `files` (relative path → text) under `root`, creating folders.
    static func write(_ files: [(path: String, text: String)], under root: String) {
        for (path, text) in files {
            let parts = path.split(separator: "/").map(String.init)
            var dir = root
            for part in parts.dropLast() {
                dir += "/" + part
                mkdir(dir, 0o755)
            }
            guard let f = fopen(root + "/" + path, "wb") else {
                Issue.record("cannot write \(root)/\(path)")
                continue
            }
            let bytes = Array(text.utf8)
            fwrite(bytes, 1, bytes.count, f)
            fclose(f)
        }
    }

    /// Removes a directory tree made by these tests.
    static func remove(_ root: String) {
        guard root.hasPrefix("/tmp/arbiter-verify-") else { return }
        for name in ConformanceData.files(in: root, suffix: "") where name != "." && name != ".." {
            let path = root + "/" + name
            var st = stat()
            if stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR { remove(path) } else { unlink(path) }
        }
        rmdir(root)
    }

    /// The files of a txtar archive (`-- name --` headers).
    static func txtar(_ text: String) -> [(path: String, text: String)] {
        var files: [(path: String, text: String)] = []
        var current: String?
        var body = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("-- ") && line.hasSuffix(" --") && line.count > 6 {
                if let current { files.append((current, body)) }
                current = String(line.dropFirst(3).dropLast(3))
                body = ""
            } else if current != nil {
                body += line + "\n"
            }
        }
        if let current { files.append((current, body)) }
        return files
    }

    /// A YAML or JSON file as a JSON-shaped value.
    static func readValue(_ path: String) throws -> Value? {
        guard let bytes = ConformanceData.read(path) else { return nil }
        guard let doc = try YAMLParser.parse(bytes, file: path).first else { return nil }
        return doc.protobufValue
    }

    /// The CEL front end `arbiter compile` uses: checked, Cerbos functions and Cerbos's CEL extensions.
    static func compiler() -> ClockWatchingCompiler {
        ClockWatchingCompiler(CELExpressionCompiler())
    }

    /// The store compiled once for all verify tests, as `arbiter compile` compiles it.
    static let store: (PolicySet?, [Diagnostic]) = {
        let load = PolicyLoader.load(directory: ConformanceData.root + "/cerbos/store")
        let result = PolicyCompiler(expressionCompiler: compiler()).compile(load)
        return (result.policySet, result.diagnostics)
    }()
}

extension VerifySupport {
    /// A small note-taking policy: `read` for users, `write` for the owner (with an output),
    /// `late` only after 2020 by the request's clock.
    static let notePolicy = """
    apiVersion: api.cerbos.dev/v1
    resourcePolicy:
      resource: note
      version: default
      rules:
        - actions: [read]
          effect: EFFECT_ALLOW
          roles: [user]
        - name: write
          actions: [write]
          effect: EFFECT_ALLOW
          roles: [user]
          condition:
            match:
              expr: R.attr.owner == P.id
          output:
            when:
              ruleActivated: '"wrote:" + R.id'
        - actions: [late]
          effect: EFFECT_ALLOW
          roles: [user]
          condition:
            match:
              expr: now() > timestamp("2020-01-01T00:00:00Z")
    """

    /// The note policy compiled with the test clock.
    static func notePolicySet() throws -> PolicySet {
        let load = PolicyLoader.load(files: [(path: "note.yaml", contents: Array(notePolicy.utf8))])
        let result = PolicyCompiler(expressionCompiler: compiler()).compile(load)
        return try #require(result.policySet, "note policy did not compile: \(result.diagnostics)")
    }

    /// Decodes a suite from text, failing the test on diagnostics.
    static func suite(_ text: String, file: String = "note_test.yaml") throws -> TestSuite {
        let (suite, diagnostics) = TestSuiteDecoder.decodeSuite(Array(text.utf8), file: file)
        return try #require(suite, "suite did not decode: \(diagnostics.map(\.description))")
    }

    /// Fixtures for the note tests.
    static let noteSuite = """
    name: Notes
    description: note rules
    principals:
      ann: {id: ann, roles: [user]}
      ben: {id: ben, roles: [user]}
    resources:
      note1: {kind: note, id: n1, attr: {owner: ann}}
    tests:
      - name: owner writes
        input: {principals: [ann], resources: [note1], actions: [read, write]}
        expected:
          - principal: ann
            resource: note1
            actions: {read: EFFECT_ALLOW, write: EFFECT_ALLOW}
            outputs:
              - action: write
                expected: [{src: "resource.note.vdefault#write", val: "wrote:n1"}]
      - name: wrong expectation
        input: {principals: [ben], resources: [note1], actions: [read, write]}
        expected:
          - principal: ben
            resource: note1
            actions: {read: EFFECT_ALLOW, write: EFFECT_ALLOW}
      - name: wrong output
        input: {principals: [ann], resources: [note1], actions: [write]}
        expected:
          - principal: ann
            resource: note1
            actions: {write: EFFECT_ALLOW}
            outputs:
              - action: write
                expected: [{src: "resource.note.vdefault#write", val: "wrote:other"}]
      - name: clock without now
        input: {principals: [ann], resources: [note1], actions: [late]}
        expected:
          - principal: ann
            resource: note1
            actions: {late: EFFECT_ALLOW}
      - name: clock with now
        options: {now: "2021-05-01T00:00:00Z"}
        input: {principals: [ann], resources: [note1], actions: [late]}
        expected:
          - principal: ann
            resource: note1
            actions: {late: EFFECT_ALLOW}
      - name: skipped test
        skip: true
        skipReason: not today
        input: {principals: [ann], resources: [note1], actions: [read]}
        expected: []
    """
}
