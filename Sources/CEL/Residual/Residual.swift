/// What is left of an expression after partial evaluation: known parts are values, parts that
/// depend on unknown inputs are kept as calls over the remaining unknowns.
///
/// Function names stay the cel-spec ones (`_==_`, `@in`, `_&&_` ...); hosts translate them
/// into their own vocabulary.
public indirect enum Residual: Sendable, Equatable {
    /// A fully evaluated part (possibly an `.error` value).
    case value(Value)
    /// An unknown input or loop variable, named by its dotted path (`request.resource.attr.x`).
    case unknown(String)
    /// A call that could not be evaluated; `target` is the receiver of a member call.
    case call(function: String, target: Residual?, args: [Residual])
    /// `operand.field` on something that is not a plain dotted name.
    case select(Residual, field: String)
    /// A list literal with unknown elements.
    case list([Residual])
    /// A map literal with unknown keys or values, in source order.
    case map(keys: [Residual], values: [Residual])
    /// A comprehension macro over an unknown range: `name` is the macro (`all`, `exists`,
    /// `exists_one`, `map`, `filter`, ...), `bodies` its residual expressions (the transform
    /// first, then a filter predicate, if any), `variables` its loop variables.
    case macro(name: String, range: Residual, bodies: [Residual], variables: [String])

    /// The value, when this part is fully known.
    public var knownValue: Value? {
        if case let .value(v) = self { return v }
        return nil
    }

    /// The boolean, when this part is a known `bool`.
    public var knownBool: Bool? {
        if case let .value(.bool(b)) = self { return b }
        return nil
    }
}
