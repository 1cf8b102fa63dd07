/// cel-go `ext.TwoVarComprehensions`: `all`, `exists`, `existsOne`, `transformList`,
/// `transformMap`, `transformMapEntry` with (index, value) over lists and (key, value) over maps.
/// The macros expand to two-variable comprehensions; `cel.@mapInsert` is in the standard library.
public struct TwoVarComprehensionsLibrary: Library {
    /// The library; it has no options.
    public init() {}
    /// The library name used in diagnostics.
    public var name: String { "cel.ext.comprev2" }
    /// Parse-time macros.
    public var macros: [Macro] { Macro.twoVariableComprehensions }
}
