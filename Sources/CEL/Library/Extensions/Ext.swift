/// Helpers shared by the extension libraries.
enum Ext {
    /// Argument kind of optional values.
    static let optional = ArgKind.kind(.optional)

    /// The Unicode scalars of a string: cel-go indexes strings by code point (Go runes).
    @inline(__always) static func scalars(_ s: String) -> [Unicode.Scalar] { Array(s.unicodeScalars) }

    /// A string made of `scalars`.
    static func string<S: Sequence>(_ scalars: S) -> String where S.Element == Unicode.Scalar {
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars)
        return String(out)
    }

    /// The strict-call guard: errors and unknowns pass through, anything else is a missing overload.
    static func fail(_ function: String, _ args: Value...) -> Value {
        for a in args where a.isErrorOrUnknown { return a }
        return .noSuchOverload(function)
    }
}
