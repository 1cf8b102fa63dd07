import ArbiterPolicy

extension TestRunner {
    /// Finds every suite under `directory` (with the `testdata/` fixtures beside each) and runs them.
    public func run(directory: String) -> TestResults {
        var fixturesByFolder: [String: Result<TestFixtures, FixtureProblem>] = [:]
        var suites: [SuiteResult] = []
        for file in VerifyFiles.suiteFiles(under: directory) {
            let folder = file.split(separator: "/").dropLast().joined(separator: "/")
            guard case let .success(bytes) = FileContents.read(directory + "/" + file) else {
                suites.append(Self.unreadable(file, "failed to load test suite:\ncannot read the file"))
                continue
            }
            let (decoded, diagnostics) = TestSuiteDecoder.decodeSuite(bytes, file: file)
            guard let suite = decoded else {
                suites.append(Self.unreadable(file, "failed to load test suite:\n" + Self.describe(diagnostics)))
                continue
            }
            if fixturesByFolder[folder] == nil {
                fixturesByFolder[folder] = Self.loadFixtures(directory + (folder.isEmpty ? "" : "/" + folder) + "/testdata",
                                                             relative: (folder.isEmpty ? "" : folder + "/") + "testdata")
            }
            switch fixturesByFolder[folder]! {
            case let .success(fixtures):
                suites.append(run(suite, fixtures: fixtures))
            case let .failure(problem):
                let base = SuiteResult(file: file, name: suite.name, description: suite.description, summary: TestSummary(),
                                       testCases: [], error: nil, skipReason: nil)
                suites.append(Self.errored(base, problem.message))
            }
        }
        return TestResults(suites: suites)
    }

    /// Why the shared fixtures of a folder could not be read.
    public struct FixtureProblem: Error, Sendable {
        /// Cerbos-style message, the diagnostics on following lines.
        public var message: String
        /// The positioned problems.
        public var diagnostics: [Diagnostic]
    }

    /// Reads `principals`, `resources` and `auxdata` (`.yaml`, `.yml` or `.json`) from a `testdata` folder.
    public static func loadFixtures(_ folder: String, relative: String = "testdata") -> Result<TestFixtures, FixtureProblem> {
        var fixtures = TestFixtures()
        guard VerifyFiles.isDirectory(folder) else { return .success(fixtures) }
        for kind in TestSuiteDecoder.FixtureKind.allCases {
            for ext in ["yaml", "yml", "json"] {
                let name = "\(kind.rawValue).\(ext)"
                guard VerifyFiles.isFile(folder + "/" + name) else { continue }
                let what = kind == .auxData ? "aux data" : kind.rawValue
                guard case let .success(bytes) = FileContents.read(folder + "/" + name) else {
                    return .failure(FixtureProblem(message: "failed to load test fixtures from testdata: failed to load \(what):\ncannot read \(relative)/\(name)",
                                                   diagnostics: []))
                }
                let diagnostics = TestSuiteDecoder.decodeFixture(kind, bytes, file: relative + "/" + name, into: &fixtures)
                if !diagnostics.isEmpty {
                    return .failure(FixtureProblem(message: "failed to load test fixtures from testdata: failed to load \(what):\n" + describe(diagnostics),
                                                   diagnostics: diagnostics))
                }
                break
            }
        }
        return .success(fixtures)
    }

    static func unreadable(_ file: String, _ message: String) -> SuiteResult {
        SuiteResult(file: file, name: "Unknown", description: "", summary: TestSummary(overall: .errored), testCases: [],
                    error: message, skipReason: nil)
    }

    /// `line:column message`, one per line, as Cerbos prints suite decoding errors.
    static func describe(_ diagnostics: [Diagnostic]) -> String {
        Diagnostic.normalize(diagnostics).map { d in
            d.line > 0 ? "\(d.file):\(d.line):\(d.column): \(d.message)" : "\(d.file): \(d.message)"
        }.joined(separator: "\n")
    }
}
