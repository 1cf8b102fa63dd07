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
