extension Overload {
    /// This overload charging the evaluation's budget for reading its string and bytes
    /// arguments before it runs: for functions whose work is a walk over their input (`size`,
    /// `indexOf`, `lowerAscii` ...), which a comprehension can repeat over a large request
    /// string. A plan-time specialisation is charged the same way.
    public func chargingScans() -> Overload {
        var out = self
        out.implementation = Self.scanCharged(implementation)
        if let specialize {
            out.specialize = { constants in specialize(constants).map(Self.scanCharged) }
        }
        return out
    }

    /// This overload charging the evaluation's budget for a substring search of its second
    /// argument (the needle) in its first (the haystack): the scan of the haystack times the
    /// needle's length in 16-byte units, the worst case of a direct search.
    public func chargingSearch() -> Overload {
        var out = self
        let plain = implementation
        let charge: @Sendable ([Value], inout EvaluationBudget) -> Value? = { args, budget in
            budget.chargeSearch(haystack: Overload.scannedBytes(args[0]), needle: args.count > 1 ? Overload.scannedBytes(args[1]) : 0)
        }
        switch plain {
        case let .binary(f):
            out.implementation = .budgetedBinary { a, b, budget in charge([a, b], &budget) ?? f(a, b) }
        case let .nary(f):
            out.implementation = .budgeted { args, budget in charge(args, &budget) ?? f(args) }
        default:
            return chargingScans()
        }
        return out
    }

    /// This two-argument overload charging the evaluation's budget for comparing every element
    /// of its first list argument with every element of its second (set operations such as
    /// `sets.intersects`, quadratic in the request's lists). Arguments that are not lists cost
    /// nothing.
    public func chargingPairwise() -> Overload {
        guard case let .binary(f) = implementation else { return self }
        var out = self
        out.implementation = .budgetedBinary { a, b, budget in
            guard case let .list(x) = a, case let .list(y) = b else { return f(a, b) }
            return budget.chargePairwise(x.count, y.count) ?? f(a, b)
        }
        return out
    }

    /// Each of `overloads` charging for its searches (see `chargingSearch()`).
    public static func chargingSearches(_ overloads: [Overload]) -> [Overload] { overloads.map { $0.chargingSearch() } }

    /// Each of `overloads` charging for its scans (see `chargingScans()`).
    public static func chargingScans(_ overloads: [Overload]) -> [Overload] { overloads.map { $0.chargingScans() } }

    private static func scanCharged(_ implementation: Implementation) -> Implementation {
        switch implementation {
        case let .unary(f):
            return .budgetedUnary { a, budget in
                if let e = budget.chargeScan(bytes: scannedBytes(a)) { return e }
                return f(a)
            }
        case let .binary(f):
            return .budgetedBinary { a, b, budget in
                if let e = budget.chargeScan(bytes: scannedBytes(a) + scannedBytes(b)) { return e }
                return f(a, b)
            }
        case let .nary(f):
            return .budgeted { args, budget in
                if let e = budget.chargeScan(bytes: args.reduce(0) { $0 + scannedBytes($1) }) { return e }
                return f(args)
            }
        case .withActivation, .budgetedUnary, .budgetedBinary, .budgeted:
            return implementation
        }
    }

    /// The bytes a scan of `value` reads: its length when a string or bytes, else nothing.
    @inline(__always)
    static func scannedBytes(_ value: Value) -> Int {
        switch value {
        case let .string(s): return s.utf8.count
        case let .bytes(b): return b.count
        default: return 0
        }
    }
}
