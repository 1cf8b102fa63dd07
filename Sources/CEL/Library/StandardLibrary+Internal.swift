extension StandardLibrary {
    /// Helpers that macro expansions call (`transformMap` builds its result with `cel.@mapInsert`).
    static let internalHelpers: [FunctionBinding] = [
        FunctionBinding("cel.@mapInsert", [
            Overload("@mapInsert_map_key_value", [K.map, K.any, K.any], .nary { args in
                guard case var .map(m) = args[0] else { return .noSuchOverload("cel.@mapInsert") }
                guard let key = MapKey.lookupKey(args[1]) else { return .err("unsupported key type: \(args[1].celType)") }
                if m.storage[key] != nil { return .err("insert failed: key \(key.displayString) already exists") }
                m.storage[key] = args[2]
                return .map(m)
            }),
            .binary("@mapInsert_map_map", K.map, K.map) { a, b in
                guard case var .map(m) = a, case let .map(other) = b else { return .noSuchOverload("cel.@mapInsert") }
                for (k, v) in other.storage {
                    if m.storage[k] != nil { return .err("insert failed: key \(k.displayString) already exists") }
                    m.storage[k] = v
                }
                return .map(m)
            },
        ]),
    ]
}
