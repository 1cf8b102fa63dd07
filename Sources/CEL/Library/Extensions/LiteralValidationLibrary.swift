/// The literal validators Cerbos enables, as a library an environment opts into.
public struct LiteralValidationLibrary: ValidatingLibrary {
    /// The library; it has no options.
    public init() {}
    /// The library name used in diagnostics.
    public var name: String { "cel.validators.literals" }
    /// The validators this library contributes.
    public var validators: [any ASTValidator] {
        [LiteralValidator([.duration, .regex, .timestamp])]
    }
}

/// The `ip(...)`/`cidr(...)` literal validators of newer cel-go network libraries, separate because
/// it is not certain that cel-go v0.30 (Cerbos) has them.
public struct NetworkLiteralValidationLibrary: ValidatingLibrary {
    /// The library; it has no options.
    public init() {}
    /// The library name used in diagnostics.
    public var name: String { "cel.validators.network" }
    /// The validators this library contributes.
    public var validators: [any ASTValidator] { [LiteralValidator([.ip, .cidr])] }
}
