import CEL

/// Cerbos's own CEL functions and types (spec §3.3): `now`/`timeSince` on the request clock,
/// list set operations, `inIPAddrRange`, `hierarchy`, the SPIFFE functions, the path
/// functions and `id`. Add it to an `Environment` next to the standard and extension libraries.
public struct CerbosLibrary: Library {
    /// Creates the library.
    public init() {}

    public var name: String { "cerbos.lib" }

    public var functions: [FunctionBinding] {
        TimeFunctions.functions + ListFunctions.functions + IPAddrRange.functions + Self.hierarchyFunctions
            + SPIFFE.functions + PathFunctions.functions + [Self.identity]
    }

    public var declarations: [FunctionDecl] {
        TimeFunctions.declarations + ListFunctions.declarations + IPAddrRange.declarations + Self.hierarchyDeclarations
            + SPIFFE.declarations + PathFunctions.declarations
            + [FunctionDecl("id", OverloadDecl("id_overload", [.dyn], .dyn))]
    }

    /// `id(x)`: returns its argument (the query planner uses it to keep sub-expressions apart).
    static let identity = FunctionBinding("id", [.unary("id_overload", .any) { $0 }])
}
