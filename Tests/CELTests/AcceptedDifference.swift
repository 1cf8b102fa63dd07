/// A known, accepted way in which Arbiter's CEL and cel-cpp answer a generated expression
/// differently: where Arbiter follows cel-go (Cerbos's CEL) on purpose, or where cel-cpp
/// deviates from the spec. The differential test sorts every disagreement into one of these by
/// its rule, and fails on any it cannot sort.
struct AcceptedDifference: Sendable {
    /// A short name, shown in the test's tally.
    let rule: String
    /// Why the difference is accepted.
    let reason: String
    /// Whether a disagreement is this one: the expression, checked mode, and both results.
    let matches: @Sendable (_ expr: String, _ checked: Bool, _ ours: Outcome, _ theirs: Outcome) -> Bool

    /// One side's result, rendered: the tagged JSON, and the error message when it is one.
    struct Outcome: Sendable {
        let json: String
        let error: String?
        var isError: Bool { error != nil }
    }

    static func all(_ rules: AcceptedDifference...) -> [AcceptedDifference] { rules }
}
