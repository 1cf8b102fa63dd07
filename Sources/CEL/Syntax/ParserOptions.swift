/// Settings of the CEL parser; the defaults are cel-go's (with optional syntax on).
public struct ParserOptions: Sendable {
    /// Macros expanded at parse time; see `Macro.standard` and the named extension groups.
    public var macros: [Macro]
    /// When false no macro is expanded, whatever `macros` holds (the conformance `disableMacros`).
    public var enableMacros: Bool
    /// Maximum nesting of sub-expressions (cel-go `ParserRecursionLimit`, default 250).
    public var maxRecursionDepth: Int
    /// Maximum length of an expression in Unicode scalars (cel-go default 100 000).
    public var expressionSizeCodePointLimit: Int
    /// Maximum number of recoveries from syntax errors before parsing stops (cel-go default 30).
    public var errorRecoveryLimit: Int
    /// Maximum number of syntax errors reported before parsing stops (cel-go default 100).
    public var errorReportingLimit: Int
    /// Accept `a.?b`, `m[?k]`, `[?x]`, `{?k: v}` and `Msg{?f: v}` (cel-go `EnableOptionalSyntax`).
    public var enableOptionalSyntax: Bool
    /// Accept backtick-quoted field names such as `` a.`b-c` `` (cel-go `EnableIdentifierEscapeSyntax`).
    public var enableIdentifierEscapeSyntax: Bool
    /// Record the original call of each macro expansion in `SourceInfo.macroCalls`.
    public var populateMacroCalls: Bool

    public init(
        macros: [Macro] = Macro.standard,
        enableMacros: Bool = true,
        maxRecursionDepth: Int = 250,
        expressionSizeCodePointLimit: Int = 100_000,
        errorRecoveryLimit: Int = 30,
        errorReportingLimit: Int = 100,
        enableOptionalSyntax: Bool = true,
        enableIdentifierEscapeSyntax: Bool = true,
        populateMacroCalls: Bool = true
    ) {
        self.macros = macros
        self.enableMacros = enableMacros
        self.maxRecursionDepth = maxRecursionDepth
        self.expressionSizeCodePointLimit = expressionSizeCodePointLimit
        self.errorRecoveryLimit = errorRecoveryLimit
        self.errorReportingLimit = errorReportingLimit
        self.enableOptionalSyntax = enableOptionalSyntax
        self.enableIdentifierEscapeSyntax = enableIdentifierEscapeSyntax
        self.populateMacroCalls = populateMacroCalls
    }

    /// The defaults with every macro group: standard, bindings, two-variable comprehensions,
    /// optionals, lists and math (what an environment with all those extensions parses).
    public static var extended: ParserOptions {
        ParserOptions(macros: Macro.all)
    }
}
