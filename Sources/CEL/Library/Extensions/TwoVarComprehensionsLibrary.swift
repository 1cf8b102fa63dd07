/// cel-go `ext.TwoVarComprehensions`: `all`, `exists`, `existsOne`, `transformList`,
/// `transformMap`, `transformMapEntry` with (index, value) over lists and (key, value) over maps.
/// The macros expand to two-variable comprehensions; `cel.@mapInsert` is in the standard library.
public struct TwoVarComprehensionsLibrary: Library {
    public init() {}
    public var name: String { "cel.ext.comprev2" }
    public var macros: [Macro] { Macro.twoVariableComprehensions }
}
