/// Named principals, resources, aux data and groups a suite's tests refer to: the shared
/// `testdata/` files merged with the suite's inline definitions.
public struct TestFixtures: Sendable {
    /// Principals by name.
    public var principals: [String: Principal] = [:]
    /// Resources by name.
    public var resources: [String: Resource] = [:]
    /// Aux data by name.
    public var auxData: [String: AuxData] = [:]
    /// Principal groups by name.
    public var principalGroups: [String: [String]] = [:]
    /// Resource groups by name.
    public var resourceGroups: [String: [String]] = [:]

    /// Creates an empty fixture set.
    public init() {}

    /// These fixtures with the suite's inline definitions layered on top (inline wins).
    public func merging(_ suite: TestSuite) -> TestFixtures {
        var out = self
        out.principals.merge(suite.principals) { $1 }
        out.resources.merge(suite.resources) { $1 }
        out.auxData.merge(suite.auxData) { $1 }
        out.principalGroups.merge(suite.principalGroups) { $1 }
        out.resourceGroups.merge(suite.resourceGroups) { $1 }
        return out
    }
}
