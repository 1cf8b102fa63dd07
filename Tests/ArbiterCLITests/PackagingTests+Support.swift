import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Files of the repository, external tools and scratch space for the packaging tests.
extension PackagingTests {
    /// Paths inside the package, found from this file's location.
    enum Repo {
        static let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

        static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

        static func text(_ relative: String) throws -> String {
            try String(contentsOf: url(relative), encoding: .utf8)
        }

        /// The `arbiter` executable of this build: `ARBITER_BINARY`, else the one beside the test
        /// bundle (same configuration), else `.build/debug/arbiter`.
        static func builtBinary() throws -> URL {
            var candidates: [URL] = []
            if let explicit = ProcessInfo.processInfo.environment["ARBITER_BINARY"], !explicit.isEmpty {
                candidates.append(URL(fileURLWithPath: explicit))
            }
            if let runner = CommandLine.arguments.first {
                candidates.append(URL(fileURLWithPath: runner).deletingLastPathComponent().appendingPathComponent("arbiter"))
            }
            candidates.append(url(".build/debug/arbiter"))
            let found = candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
            return try #require(found, """
                no arbiter executable at \(candidates.map(\.path)): build it with \
                `swift build --product arbiter` (`make test` does) or set ARBITER_BINARY
                """)
        }
    }

    /// External programs the tests drive.
    enum Tool {
        /// CI must have every tool (`make deps` installs them), so there a missing one fails
        /// instead of skipping.
        static var isCI: Bool {
            let value = ProcessInfo.processInfo.environment["CI"] ?? ""
            return !value.isEmpty && value != "false" && value != "0"
        }

        /// The full path of `name` on PATH or in the sbin directories root's PATH has.
        static func path(_ name: String) -> String? {
            let searchPath = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/sbin:/sbin:/usr/bin:/bin"
            return searchPath.split(separator: ":")
                .map { "\($0)/\(name)" }
                .first { FileManager.default.isExecutableFile(atPath: $0) }
        }

        static func isAvailable(_ name: String) -> Bool { path(name) != nil }

        /// Whether a test that needs these tools should run: always under CI, else when all exist.
        static func canTest(_ names: String...) -> Bool { isCI || names.allSatisfy(isAvailable) }

        static func require(_ name: String) throws -> String {
            try #require(path(name), "\(name) is not installed; `make deps` installs it")
        }

        static func skipReason(_ tools: String, package: String) -> Comment {
            Comment(rawValue: "\(tools) not found, so this check cannot run here; `make deps` installs \(package)")
        }

        /// `kubernetes-validate` from PyPI: `ARBITER_K8S_VALIDATE`, else the venv that
        /// packaging/ci-deps.sh makes, else PATH.
        static func kubernetesValidate() -> String? {
            if let explicit = ProcessInfo.processInfo.environment["ARBITER_K8S_VALIDATE"], !explicit.isEmpty {
                return explicit
            }
            let venv = Repo.url(".build/packaging-venv/bin/kubernetes-validate").path
            return FileManager.default.isExecutableFile(atPath: venv) ? venv : path("kubernetes-validate")
        }

        /// The Python beside `kubernetes-validate`, which has PyYAML as its dependency.
        static func python() throws -> String {
            let validate = try #require(kubernetesValidate(), "kubernetes-validate is missing; run make deps")
            let python = URL(fileURLWithPath: validate).deletingLastPathComponent().appendingPathComponent("python").path
            return try #require(FileManager.default.isExecutableFile(atPath: python) ? python : nil,
                                "no python beside \(validate)")
        }
    }

    /// Runs a program to completion and collects its output.
    enum Shell {
        /// Other suites (the daemon's live tests) set these process-wide for a fake systemd; a
        /// tool started meanwhile must not inherit them and talk to that socket.
        static let serviceManagerVariables: Set<String> = [
            "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES",
        ]

        struct Result {
            var status: Int32
            var stdout: String
            var stderr: String
            var output: String { stdout + stderr }
        }

        static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Result {
            // Files rather than pipes: a chatty child cannot fill a pipe and block while we wait.
            let scratch = try ScratchDirectory()
            defer { withExtendedLifetime(scratch) {} }
            let outURL = scratch.url.appendingPathComponent("stdout")
            let errURL = scratch.url.appendingPathComponent("stderr")
            try Data().write(to: outURL)
            try Data().write(to: errURL)
            let out = try FileHandle(forWritingTo: outURL)
            let err = try FileHandle(forWritingTo: errURL)
            defer { try? out.close(); try? err.close() }

            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.environment = (environment ?? ProcessInfo.processInfo.environment).filter { !Self.serviceManagerVariables.contains($0.key) }
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = out
            process.standardError = err
            try process.run()
            process.waitUntilExit()
            return Result(status: process.terminationStatus,
                          stdout: try String(contentsOf: outURL, encoding: .utf8),
                          stderr: try String(contentsOf: errURL, encoding: .utf8))
        }
    }

    /// A temporary directory removed when the value goes away. ARC may end a value's life at
    /// its last use, so callers pin it to their scope with `withExtendedLifetime`.
    final class ScratchDirectory {
        let url: URL

        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("arbiter-packaging-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }

        deinit { try? FileManager.default.removeItem(at: url) }

        struct Entry {
            var path: String
            var isDirectory: Bool
        }

        /// Every file, symlink and directory below `root`, as paths relative to it; symlinks are not followed.
        static func entries(under root: URL) throws -> [Entry] {
            let names = try FileManager.default.subpathsOfDirectory(atPath: root.path)
            return names.sorted().map { name in
                var status = stat()
                let isDirectory = lstat(root.appendingPathComponent(name).path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
                return Entry(path: name, isDirectory: isDirectory)
            }
        }
    }

    /// A systemd unit file as an ordered list of settings.
    struct UnitFile {
        struct Setting {
            var section: String
            var key: String
            var value: String
            var line: Int
            /// Whether a comment opens the block of settings (lines with no blank between) this one is in.
            var followsComment: Bool
        }

        var settings: [Setting] = []

        init(_ text: String) throws {
            var section = ""
            var blockCommented = false
            for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.isEmpty {
                    blockCommented = false
                } else if line.hasPrefix("#") || line.hasPrefix(";") {
                    blockCommented = true
                } else if line.hasPrefix("[") && line.hasSuffix("]") {
                    section = String(line.dropFirst().dropLast())
                    blockCommented = false
                } else {
                    let equals = try #require(line.firstIndex(of: "="), "line \(index + 1) is neither a setting nor a comment: \(line)")
                    settings.append(Setting(section: section,
                                            key: String(line[..<equals]).trimmingCharacters(in: .whitespaces),
                                            value: String(line[line.index(after: equals)...]).trimmingCharacters(in: .whitespaces),
                                            line: index + 1,
                                            followsComment: blockCommented))
                }
            }
        }

        /// Every value assigned to `key` in `section`, in file order.
        func values(_ section: String, _ key: String) -> [String] {
            settings.filter { $0.section == section && $0.key == key }.map(\.value)
        }
    }

    /// What installing Arbiter would change on this machine itself; a scratch-root install must change none of it.
    struct HostFootprint: Equatable, CustomStringConvertible {
        static let paths = [
            "/usr/bin/arbiter", "/etc/arbiter", "/usr/lib/sysusers.d/arbiter.conf",
            "/usr/lib/systemd/system/arbiter.service", "/usr/lib/systemd/system/arbiter.socket",
            "/etc/systemd/system/arbiter.service", "/etc/systemd/system/arbiter.socket",
            "/etc/systemd/system/multi-user.target.wants/arbiter.service",
            "/etc/systemd/system/sockets.target.wants/arbiter.socket",
            "/var/lib/systemd/deb-systemd-helper-enabled/arbiter.service.dsh-also",
            "/var/lib/systemd/deb-systemd-helper-masked/arbiter.service",
        ]

        var present: [String]
        var passwdHasArbiter: Bool

        static func current() -> HostFootprint {
            var status = stat()
            let passwd = (try? String(contentsOfFile: "/etc/passwd", encoding: .utf8)) ?? ""
            return HostFootprint(present: paths.filter { lstat($0, &status) == 0 },
                                 passwdHasArbiter: passwd.split(separator: "\n").contains { $0.hasPrefix("arbiter:") })
        }

        var description: String { "present: \(present), arbiter in /etc/passwd: \(passwdHasArbiter)" }
    }

    /// YAML files read with PyYAML (from the validator's venv) and handed over as JSON.
    enum Yaml {
        static func documents(_ relative: String) throws -> [Any] {
            let script = "import json, sys, yaml; print(json.dumps(list(yaml.safe_load_all(open(sys.argv[1])))))"
            let result = try Shell.run(Tool.python(), ["-c", script, Repo.url(relative).path])
            try #require(result.status == 0, "cannot read \(relative) as YAML:\n\(result.output)")
            return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [Any])
        }
    }
}

extension Dictionary where Key == String, Value == Any {
    /// The value at a path of nested mapping keys, or nil where one is missing.
    subscript(path keys: String...) -> Any? {
        var current: Any? = self
        for key in keys {
            current = (current as? [String: Any])?[key]
        }
        return current
    }
}
