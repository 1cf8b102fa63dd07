/// cel-go `ext.Bindings`: `cel.bind(v, init, body)` is a parse-time macro; the interpreter's
/// comprehension evaluates it, so the library contributes only the macro.
public struct BindingsLibrary: Library {
    public init() {}
    public var name: String { "cel.ext.bindings" }
    public var macros: [Macro] { Macro.bindings }
}
