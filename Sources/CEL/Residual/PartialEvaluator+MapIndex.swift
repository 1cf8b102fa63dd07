extension PartialEvaluator {
    /// Rewrites a residual whose root compares an element of a known map, chosen by an unknown
    /// key, with a known value (`m[x] == c`, `<`, `>=` ..., or `c in m[x]`) into the keys for
    /// which the comparison holds: `x == k1 || x == k2 ...` (false when none does). Databases
    /// cannot index a literal map by a column; they can compare the column with each key.
    /// Keys are taken in the order of their text, as Cerbos's planner orders them.
    public mutating func expandingKnownMapIndex(_ residual: Residual) -> Residual {
        guard case let .call(function, nil, args) = residual, args.count == 2 else { return residual }
        let indexPosition: Int
        switch function {
        case "_==_", "_!=_", "_<_", "_<=_", "_>_", "_>=_": indexPosition = 0
        case "@in": indexPosition = 1
        default: return residual
        }
        guard case let .call("_[_]", nil, indexArgs) = args[indexPosition], indexArgs.count == 2,
              case let .value(.map(map)) = indexArgs[0], case .unknown = indexArgs[1],
              case .value = args[1 - indexPosition], map.count > 0 else { return residual }
        let key = indexArgs[1]
        let entries = map.storage.sorted { "\($0.key.value)" < "\($1.key.value)" }
        var options: [Residual] = []
        for (k, v) in entries {
            var operands = args
            operands[indexPosition] = .value(v)
            guard apply(function, target: nil, args: operands).knownBool == true else { continue }
            options.append(.call(function: "_==_", target: nil, args: [key, .value(k.value)]))
        }
        guard var result = options.last else { return .value(.bool(false)) }
        for option in options.dropLast().reversed() { result = logical(and: false, option, result) }
        return result
    }
}
