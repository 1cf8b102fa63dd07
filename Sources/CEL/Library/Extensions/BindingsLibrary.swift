/// cel-go `ext.Bindings`: `cel.bind(v, init, body)` is a parse-time macro; the interpreter's
/// comprehension evaluates it, so the library contributes only the macro.
public struct BindingsLibrary: Library {
    /// The library; it has no options.
    public init() {}
    /// The library name used in diagnostics.
    public var name: String { "cel.ext.bindings" }
    /// Parse-time macros.
    public var macros: [Macro] { Macro.bindings }
}
