import ArbiterEngine
import ArbiterPolicy
import ArbiterTestSupport
import ArbiterYAML
import CEL

/// Locates and reads the shared Cerbos conformance data.
enum ConformanceData {
    static let variable = TestPaths.conformanceVariable

    /// `TestPaths.conformance`: `$ARBITER_CONFORMANCE_DIR`, else `<package root>/../shared/conformance`.
    static var root: String { TestPaths.conformance }

    static func exists(_ path: String) -> Bool { LocalFiles.exists(path) }

    static func files(in directory: String, suffix: String = ".yaml") -> [String] {
        LocalFiles.entries(in: directory, suffix: suffix)
    }

    static func read(_ path: String) -> [UInt8]? { LocalFiles.read(path) }

    /// The store compiled with the CEL front end, or the diagnostics that prevented it.
    static func compiledStore() -> (PolicySet?, [Diagnostic]) {
        let load = PolicyLoader.load(directory: root + "/cerbos/store")
        // Unchecked until the Cerbos function library (issue 4) declares inIPAddrRange, timeSince, ...:
        // calls to those functions then fail at run time and their cases are known failures.
        let result = PolicyCompiler(expressionCompiler: CELExpressionCompiler(checking: false)).compile(load)
        return (result.policySet, result.diagnostics)
    }
}
