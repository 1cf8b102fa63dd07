/// cel-go `OptionalTypes` (version 2): the `optMap`/`optFlatMap` macros. The functions
/// (`optional.of/none/ofNonZeroValue`, `hasValue`, `value`, `or`, `orValue`, `unwrap`, `first`,
/// `last`) and their declarations are part of the standard library, as in Cerbos's environment.
public struct OptionalsLibrary: Library {
    /// The library; it has no options.
    public init() {}
    /// The library name used in diagnostics.
    public var name: String { "cel.lib.optional" }
    /// Parse-time macros.
    public var macros: [Macro] { Macro.optionals }
}
