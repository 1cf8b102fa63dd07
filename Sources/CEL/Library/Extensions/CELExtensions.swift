/// The cel-go extension libraries Cerbos enables, as `Library` values an `Environment` opts into.
public enum CELExtensions {
    /// cel-go `ext.Bindings`: the `cel.bind` macro.
    public static let bindings: any Library = BindingsLibrary()
    /// cel-go `ext.Encoders`: base64 and `json.encode`.
    public static let encoders: any Library = EncodersLibrary()
    /// cel-go `ext.Lists` (latest version).
    public static let lists: any Library = ListsLibrary()
    /// cel-go `ext.Math` (latest version).
    public static let math: any Library = MathLibrary()
    /// cel-go `ext.Network`: `net.IP` and `net.CIDR`.
    public static let network: any Library = NetworkLibrary()
    /// cel-go `ext.Regex` on RE2.
    public static let regex: any Library = RegexLibrary()
    /// cel-go `ext.Sets`.
    public static let sets: any Library = SetsLibrary()
    /// cel-go `ext.Strings` (latest version).
    public static let strings: any Library = StringsLibrary()
    /// cel-go `ext.TwoVarComprehensions`.
    public static let twoVariableComprehensions: any Library = TwoVarComprehensionsLibrary()
    /// cel-go `OptionalTypes` (version 2).
    public static let optionals: any Library = OptionalsLibrary()

    /// cel-go's duration, timestamp and regex literal validators (compile-time diagnostics).
    public static let literalValidation: any Library = LiteralValidationLibrary()
    /// Compile-time checks of `ip('...')`/`cidr('...')` literals (newer cel-go network library).
    public static let networkLiteralValidation: any Library = NetworkLiteralValidationLibrary()

    /// Every extension library in the order Cerbos registers them (`OptionalTypes` first, then
    /// the `ext` libraries). Validators are separate: cel-spec's conformance suite runs without them.
    public static let all: [any Library] = [
        optionals, bindings, encoders, lists, math, network, regex, sets, strings, twoVariableComprehensions,
    ]

    /// What Cerbos's environment adds to the standard library: the literal validators, then `all`.
    public static let cerbos: [any Library] = [literalValidation] + all
}
