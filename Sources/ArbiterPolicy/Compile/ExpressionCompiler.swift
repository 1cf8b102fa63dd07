import CEL

/// Turns CEL source text into runnable programs for the policy compiler.
///
/// The CEL-backed implementation declares Cerbos's identifiers (§3.1) and functions; the
/// protocol keeps the compiler testable and lets hosts add libraries.
public protocol ExpressionCompiler: Sendable {
    /// Compiles one expression.
    func compile(_ source: String) -> ExpressionCompileResult
    /// The slot layout programs expect their activation in.
    var layout: VariableLayout { get }
}

/// The outcome of compiling one expression.
public enum ExpressionCompileResult: Sendable {
    /// A runnable program and the policy variables and constants it reads.
    case success(any ExpressionProgram, references: ExpressionReferences)
    /// Compile errors, each with a 0-based offset (in Unicode scalars) into the source.
    case failure([(message: String, offset: Int)])
}

/// The `V.x`/`variables.x` and `C.x`/`constants.x` names an expression reads.
public struct ExpressionReferences: Sendable, Hashable {
    /// Variable names read.
    public var variables: Set<String>
    /// Constant names read.
    public var constants: Set<String>
    /// Whether the whole `V`/`variables` (or `C`) object is used, not only fields of it.
    public var usesWholeVariables: Bool
    /// Whether the expression names `runtime` (the effective derived roles).
    public var usesRuntime: Bool

    /// Creates a reference summary.
    public init(variables: Set<String> = [], constants: Set<String> = [], usesWholeVariables: Bool = false,
                usesRuntime: Bool = false) {
        self.variables = variables
        self.constants = constants
        self.usesWholeVariables = usesWholeVariables
        self.usesRuntime = usesRuntime
    }
}
