/// The results of one test, nested principal → resource → action as in Cerbos's `TestResults`.
public struct TestCaseResult: Sendable {
    /// Results for one resource.
    public struct ResourceResults: Sendable {
        /// Resource fixture name.
        public var name: String
        /// One entry per input action, in input order.
        public var actions: [ActionResult]
    }
    /// Results for one principal.
    public struct PrincipalResults: Sendable {
        /// Principal fixture name.
        public var name: String
        /// One entry per input resource, in input order.
        public var resources: [ResourceResults]
    }
    /// Test name.
    public var name: String
    /// One entry per input principal, in input order.
    public var principals: [PrincipalResults]
}
