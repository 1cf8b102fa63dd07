import CEL
#if canImport(Glibc)
import Glibc
#endif

/// Which tests a run includes: `--run` (a regular expression over test names, as in older
/// `cerbos compile`), `--test-filter` (globs per dimension, as in current `cerbos compile`), and
/// the policy exclusions of Cerbos's verify configuration.
public struct TestFilter: Sendable {
    /// Tests whose name does not match are SKIPPED; nil runs all.
    public var includedTestNames: RE2Regex?
    /// Globs per dimension; a dimension without globs matches everything.
    public var globs: [Dimension: [String]]
    /// Resource policy FQNs (`cerbos.resource.<kind>.v<version>[/<scope>]`) whose checks are SKIPPED.
    public var excludedResourcePolicyFQNs: Set<String>
    /// Principal policy FQNs (`cerbos.principal.<id>.v<version>[/<scope>]`) whose checks are SKIPPED.
    public var excludedPrincipalPolicyFQNs: Set<String>

    /// What a `--test-filter` glob is matched against.
    public enum Dimension: String, Sendable, CaseIterable {
        case suite, test, principal, resource, action
    }

    /// Creates a filter; the default includes everything.
    public init(includedTestNames: RE2Regex? = nil, globs: [Dimension: [String]] = [:],
                excludedResourcePolicyFQNs: Set<String> = [], excludedPrincipalPolicyFQNs: Set<String> = []) {
        self.includedTestNames = includedTestNames
        self.globs = globs
        self.excludedResourcePolicyFQNs = excludedResourcePolicyFQNs
        self.excludedPrincipalPolicyFQNs = excludedPrincipalPolicyFQNs
    }

    /// A filter running tests whose name matches `pattern` (RE2 syntax, unanchored).
    public init(run pattern: String) throws {
        self.init(includedTestNames: try RE2Regex(pattern))
    }

    /// Adds one `--test-filter` value, `dimension=glob1,glob2;dimension=glob...` (for example
    /// `suite=Album*;action=view,edit`). Several values merge: globs of one dimension add up.
    public mutating func addTestFilter(_ text: String) throws(TestFilterError) {
        for clause in text.split(separator: ";", omittingEmptySubsequences: true) {
            let trimmed = clause.trimmingSpaces()
            guard let eq = trimmed.firstIndex(of: "=") else {
                throw TestFilterError(text: text, message: "\"\(trimmed)\" is not dimension=glob")
            }
            let name = String(trimmed[..<eq]).trimmingSpaces()
            guard let dimension = Dimension(rawValue: name) else {
                let known = Dimension.allCases.map(\.rawValue).joined(separator: ", ")
                throw TestFilterError(text: text, message: "unknown dimension \"\(name)\"; use one of \(known)")
            }
            let patterns = trimmed[trimmed.index(after: eq)...].split(separator: ",").map { String($0).trimmingSpaces() }
                .filter { !$0.isEmpty }
            guard !patterns.isEmpty else { throw TestFilterError(text: text, message: "no glob given for \(name)") }
            globs[dimension, default: []].append(contentsOf: patterns)
        }
    }

    /// Whether `name` passes the globs of `dimension` (shell-style: `*`, `?`, `[...]`).
    public func includes(_ dimension: Dimension, _ name: String) -> Bool {
        guard let patterns = globs[dimension], !patterns.isEmpty else { return true }
        return patterns.contains { fnmatch($0, name, 0) == 0 }
    }

    static let nameSkipReason = "Test name did not match the provided pattern"
    static let globSkipReason = "Excluded by the test filter"
    static let resourceSkipReason = "Resource matched a policy that was excluded from the bundle"
    static let principalSkipReason = "Principal matched a policy that was excluded from the bundle"
}

/// A `--test-filter` value that cannot be read.
public struct TestFilterError: Error, Sendable, CustomStringConvertible {
    /// The value as given.
    public var text: String
    /// What is wrong with it.
    public var message: String
    public var description: String { "\"\(text)\": \(message)" }
}

private extension StringProtocol {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
