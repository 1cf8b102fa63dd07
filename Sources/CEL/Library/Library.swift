/// A pluggable bundle of CEL features: runtime function bindings, named constants (type
/// identifiers such as `int`), and, as the parser and checker provide them, macros and
/// declarations. The standard library, the extension libraries and host libraries (Cerbos's
/// functions) all register through this one protocol.
public protocol Library: Sendable {
    /// A short name for diagnostics (`cel.stdlib`, `cel.ext.strings` ...).
    var name: String { get }
    /// Runtime overloads, grouped by function name. Bindings for a name already bound by
    /// another library add overloads to it.
    var functions: [FunctionBinding] { get }
    /// Identifiers that evaluate to constants (type names such as `int` or `net.IP`).
    var constants: [(name: String, value: Value)] { get }
    /// Parse-time macros this library contributes (`Macro.standard`, `Macro.bindings` ...).
    var macros: [Macro] { get }
    /// Checker declarations of this library's functions (ids matching its runtime overloads).
    var declarations: [FunctionDecl] { get }
    /// Checker declarations of identifiers this library defines (type names such as `net.IP`).
    var identifierDeclarations: [VariableDecl] { get }
}

extension Library {
    public var functions: [FunctionBinding] { [] }
    public var constants: [(name: String, value: Value)] { [] }
    public var macros: [Macro] { [] }
    public var declarations: [FunctionDecl] { [] }
    public var identifierDeclarations: [VariableDecl] { [] }
}
