import OrderedCollections

extension StandardLibrary {
    /// Helpers that macro expansions call (`transformMap` builds its result with `cel.@mapInsert`).
    static let internalHelpers: [FunctionBinding] = [
        FunctionBinding("cel.@mapInsert", [
            // Each insert copies the accumulated map (the loop still holds it), so each is
            // charged the map's size: a `transformMap` over n entries costs n²/2.
            Overload("@mapInsert_map_key_value", [K.map, K.any, K.any], .budgeted { args, budget in
                guard case var .map(m) = args[0] else { return .noSuchOverload("cel.@mapInsert") }
                if let e = budget.admitList(m.count + 1, by: "cel.@mapInsert") { return e }
                guard let key = MapKey.lookupKey(args[1]) else { return .err("unsupported key type: \(args[1].celType)") }
                if m.storage[key] != nil { return .err("insert failed: key \(key.displayString) already exists") }
                m.storage[key] = args[2]
                return .map(m)
            }),
            .budgetedBinary("@mapInsert_map_map", K.map, K.map) { a, b, budget in
                guard case var .map(m) = a, case let .map(other) = b else { return .noSuchOverload("cel.@mapInsert") }
                if let e = budget.admitList(m.count + other.count, by: "cel.@mapInsert") { return e }
                for (k, v) in other.storage {
                    if m.storage[k] != nil { return .err("insert failed: key \(k.displayString) already exists") }
                    m.storage[k] = v
                }
                return .map(m)
            },
        ]),
    ]
}
