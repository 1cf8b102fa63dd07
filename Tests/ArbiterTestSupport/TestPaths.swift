#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the test targets and the benchmarks find the package and the shared reference data:
/// one rule for every target, instead of one copy per target counting its own path.
public enum TestPaths {
    /// The variable that points at the conformance folder when it is not at `../shared/conformance`.
    public static let conformanceVariable = "ARBITER_CONFORMANCE_DIR"

    /// The package root, from this file's path (`<root>/Tests/ArbiterTestSupport/<file>`).
    public static var packageRoot: String {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }

    /// `$ARBITER_CONFORMANCE_DIR` when set and not empty, else `<package root>/../shared/conformance`.
    public static var conformance: String {
        if let env = getenv(conformanceVariable), env.pointee != 0 { return String(cString: env) }
        return packageRoot + "/../shared/conformance"
    }
}
