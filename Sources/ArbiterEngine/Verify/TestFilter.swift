import CEL

/// Which tests a run includes (`cerbos compile --run`, and the verify configuration of Cerbos's tests).
public struct TestFilter: Sendable {
    /// Tests whose name does not match are SKIPPED; nil runs all.
    public var includedTestNames: RE2Regex?
    /// Resource policy FQNs (`cerbos.resource.<kind>.v<version>[/<scope>]`) whose checks are SKIPPED.
    public var excludedResourcePolicyFQNs: Set<String>
    /// Principal policy FQNs (`cerbos.principal.<id>.v<version>[/<scope>]`) whose checks are SKIPPED.
    public var excludedPrincipalPolicyFQNs: Set<String>

    /// Creates a filter; the default includes everything.
    public init(includedTestNames: RE2Regex? = nil, excludedResourcePolicyFQNs: Set<String> = [],
                excludedPrincipalPolicyFQNs: Set<String> = []) {
        self.includedTestNames = includedTestNames
        self.excludedResourcePolicyFQNs = excludedResourcePolicyFQNs
        self.excludedPrincipalPolicyFQNs = excludedPrincipalPolicyFQNs
    }

    /// A filter running tests whose name matches `pattern` (RE2 syntax, unanchored).
    public init(run pattern: String) throws {
        self.init(includedTestNames: try RE2Regex(pattern))
    }

    static let nameSkipReason = "Test name did not match the provided pattern"
    static let resourceSkipReason = "Resource matched a policy that was excluded from the bundle"
    static let principalSkipReason = "Principal matched a policy that was excluded from the bundle"
}
