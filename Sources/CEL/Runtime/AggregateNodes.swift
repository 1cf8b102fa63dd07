import OrderedCollections

/// `[a, b, ?c]`.
final class ListNode: Interpretable, @unchecked Sendable {
    let elements: [Interpretable]
    let optional: [Bool]
    let hasOptional: Bool
    init(id: Int64, elements: [Interpretable], optionalIndices: [Int]) {
        self.elements = elements
        var opt = Array(repeating: false, count: elements.count)
        for i in optionalIndices where i >= 0 && i < opt.count { opt[i] = true }
        self.optional = opt
        self.hasOptional = !optionalIndices.isEmpty
        super.init(id: id)
    }
    override func eval(_ f: inout Frame) -> Value {
        var out: [Value] = []
        out.reserveCapacity(elements.count)
        for (i, e) in elements.enumerated() {
            let v = e.eval(&f)
            if v.isErrorOrUnknown { return v }
            if hasOptional && optional[i] {
                switch v {
                case let .optional(inner): if let inner { out.append(inner) }
                default: return .err("cannot use a non-optional value in an optional list entry")
                }
            } else {
                out.append(v)
            }
        }
        return .list(out)
    }
}

/// `{k: v, ?k2: v2}`.
final class MapNode: Interpretable, @unchecked Sendable {
    let keys: [Interpretable]
    let values: [Interpretable]
    let optional: [Bool]
    /// Keys written as double literals (`{3.0: 1}`): errors, as CEL allows only bool, int,
    /// uint and string keys. Doubles that come from data are another matter (below).
    let doubleLiteralKeys: [Bool]
    init(id: Int64, keys: [Interpretable], values: [Interpretable], optional: [Bool]) {
        self.keys = keys; self.values = values; self.optional = optional
        self.doubleLiteralKeys = keys.map {
            if case .double? = $0.constantValue { return true }
            return false
        }
        super.init(id: id)
    }
    override func eval(_ f: inout Frame) -> Value {
        var d = OrderedDictionary<MapKey, Value>(minimumCapacity: keys.count)
        for i in keys.indices {
            let k = keys[i].eval(&f)
            if k.isErrorOrUnknown { return k }
            let v = values[i].eval(&f)
            if v.isErrorOrUnknown { return v }
            if doubleLiteralKeys[i] { return .err("unsupported key type: double") }
            // Integral doubles from data (JSON numbers in Cerbos attributes) key as ints, as
            // cel-go, which keeps them as doubles, finds them by numeric equality.
            guard let key = MapKey.lookupKey(k) else { return .err("unsupported key type: \(k.celType)") }
            if optional[i] {
                guard case let .optional(inner) = v else {
                    return .err("cannot use a non-optional value in an optional map entry")
                }
                if let inner { d[key] = inner }
            } else {
                d[key] = v
            }
        }
        return .map(MapValue(d))
    }
}

/// A message construction: needs a type provider, which this runtime does not have.
final class StructNode: Interpretable, @unchecked Sendable {
    let typeName: String
    init(id: Int64, typeName: String) { self.typeName = typeName; super.init(id: id) }
    override func eval(_ f: inout Frame) -> Value { .err("unknown type: \(typeName)") }
}
