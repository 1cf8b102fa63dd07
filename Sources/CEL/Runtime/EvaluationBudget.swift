/// What one evaluation may still spend, against its `EvaluationLimits`. It lives in the
/// evaluation's `Frame`; comprehensions and the functions whose work grows with their input
/// (`Overload.Implementation.budgetedUnary` and its siblings) charge it.
///
/// Costs, chosen so that a unit is roughly the same time whatever charges it:
/// - one comprehension iteration: 1;
/// - one list element or map entry built, copied, scanned or compared: 1;
/// - 16 bytes of a string or bytes value built or scanned: 1 (a substring search: the
///   haystack's units times the needle's);
/// - one byte a regular expression runs over: 1;
/// - one element of a list or map compared with `==`, or 16 searched by `in`: 1.
///
/// Once exhausted it stays exhausted: every later charge fails too, so an error that `||` or
/// a comprehension absorbs does not let the evaluation keep working.
public struct EvaluationBudget: Sendable {
    /// The limits charged against.
    public let limits: EvaluationLimits
    /// Cost units left; negative once exhausted.
    public private(set) var remaining: Int
    /// Cost units at the start: the cost limit, or less when the host request's budget had
    /// less left (`requestCapped`).
    public let initial: Int
    /// Whether the host request's budget, not the cost limit, set `initial`.
    public let requestCapped: Bool

    /// A full budget, or what the host request has left (`requestRemaining`) when that is less.
    public init(_ limits: EvaluationLimits, requestRemaining: Int = .max) {
        self.limits = limits
        requestCapped = requestRemaining < limits.costLimit
        initial = requestCapped ? max(requestRemaining, 0) : limits.costLimit
        remaining = initial
    }

    /// Cost units spent so far (all of `initial` once exhausted).
    public var spent: Int { remaining < 0 ? initial : initial - remaining }

    /// Charges `units`; the cost-limit error when the budget is (or was already) exhausted.
    @inline(__always)
    public mutating func charge(_ units: Int) -> Value? {
        // Compared before subtracting, so a huge charge cannot wrap around to a large remainder.
        if units > remaining || remaining < 0 {
            remaining = -1
            return exhausted()
        }
        remaining -= max(units, 0)
        return nil
    }

    /// Charges one comprehension iteration; false once the budget is exhausted.
    @inline(__always)
    mutating func iterate() -> Bool {
        guard remaining > 0 else { remaining = -1; return false }
        remaining -= 1
        return true
    }

    /// The error an exhausted budget yields.
    func exhausted() -> Value {
        if requestCapped {
            return .err("request cost limit exceeded: the request's evaluations spent more than \(limits.requestCostLimit) units (request cost limit)")
        }
        return .err("evaluation cost limit exceeded: more than \(limits.costLimit) units (cost limit)")
    }

    /// Admits a list or map of `count` elements that `function` is about to build: checks the
    /// size limit, then charges one unit per element. Nil when admitted.
    public mutating func admitList(_ count: Int, by function: String) -> Value? {
        if count > limits.maxListSize {
            return .err("\(function): a list of \(count) elements exceeds the limit of \(limits.maxListSize) (list size limit)")
        }
        return charge(count)
    }

    /// Admits a string or bytes value of `bytes` bytes that `function` is about to build.
    public mutating func admitString(_ bytes: Int, by function: String) -> Value? {
        if bytes > limits.maxStringSize {
            return .err("\(function): a string of \(bytes) bytes exceeds the limit of \(limits.maxStringSize) (string size limit)")
        }
        return charge(Self.units(bytes: bytes))
    }

    /// Admits a scan of `bytes` bytes of text by a regular expression in `function`.
    public mutating func admitRegexInput(_ bytes: Int, by function: String) -> Value? {
        if bytes > limits.maxRegexInputSize {
            return .err("\(function): regular expression input of \(bytes) bytes exceeds the limit of \(limits.maxRegexInputSize) (regex input size limit)")
        }
        // A byte a unit: RE2 runs in linear time, but a byte of a complex pattern costs about
        // what a comprehension iteration does.
        return charge(bytes)
    }

    /// Charges a scan of `bytes` bytes (searching, comparing, converting a string).
    @inline(__always)
    public mutating func chargeScan(bytes: Int) -> Value? { charge(Self.units(bytes: bytes)) }

    /// Charges a direct substring search of a `needle`-byte string in a `haystack`-byte one:
    /// its worst case, the haystack's units times the needle's (at least one).
    public mutating func chargeSearch(haystack: Int, needle: Int) -> Value? {
        let (units, overflow) = Self.units(bytes: haystack).multipliedReportingOverflow(by: max(1, Self.units(bytes: needle)))
        return charge(overflow ? .max : units)
    }

    /// Charges comparing every element of a `left`-element list with every element of a
    /// `right`-element one (set operations): one unit per 16 comparisons, as `in` is charged.
    public mutating func chargePairwise(_ left: Int, _ right: Int) -> Value? {
        let (pairs, overflow) = left.multipliedReportingOverflow(by: right)
        return charge(overflow ? .max : pairs >> 4)
    }

    /// Cost units of `bytes` bytes: one per 16, rounded up.
    @inline(__always)
    static func units(bytes: Int) -> Int { (bytes &+ 15) >> 4 }
}

extension EvalError {
    /// Whether the error is an `EvaluationLimits` bound being hit rather than an ordinary CEL
    /// error. Every such error is made by `EvaluationBudget` (or a function measuring its own
    /// result against `maxStringSize`), and each of their messages ends by naming the limit in
    /// parentheses: `(cost limit)`, `(request cost limit)`, `(list size limit)`,
    /// `(string size limit)`, `(regex input size limit)`.
    public var isLimitExceeded: Bool { message.hasSuffix(" limit)") }
}
