import ArbiterPolicy
import CEL
import Synchronization

/// What one reload leaves for the next: the decoded files and the compiled policies, so that a
/// reload decodes only the files whose bytes changed and compiles only the policies whose inputs
/// changed (`PolicyCompiler.compile(_:sources:reusing:)`). One per compile closure; reloads run
/// one at a time, the lock only makes the hand-over safe.
final class IncrementalCompilation: Sendable {
    struct State: Sendable {
        var decoded = DecodedFiles()
        var compiled: CompiledPolicyCache?
    }

    /// One compiler for every reload: compiled programs are reused only under the compiler (and
    /// variable layout) they were compiled with.
    let compiler: PolicyCompiler
    private let state = Mutex(State())

    /// Compiles under `limits` (`engine.celLimits`).
    init(limits: EvaluationLimits) {
        compiler = PolicyCompiler(expressionCompiler: CELExpressionCompiler(limits: limits))
    }

    /// Whether an earlier compile left anything to reuse (it is then a reload, not the first load).
    var hasPrevious: Bool { state.withLock { $0.compiled != nil } }

    /// Loads and compiles `directory`, reusing what the previous call decoded and compiled. The
    /// decoded files are kept whatever the outcome; the compiled policies only from a compile
    /// that succeeded, so a failed reload changes nothing the next one reuses.
    func compile(directory: String) -> (load: LoadResult, result: PolicyCompiler.Result) {
        let previous = state.withLock { $0 }
        let (load, decoded) = PolicyLoader.load(directory: directory, reusing: previous.decoded)
        let (result, cache) = compiler.compile(load, sources: decoded, reusing: previous.compiled)
        state.withLock { state in
            state.decoded = decoded
            if let cache { state.compiled = cache }
        }
        // A load leaves megabytes of garbage (file bytes, YAML trees, checker tables), freed in
        // the arena of the thread that ran it; give it back to the system rather than keep it
        // resident until the next reload.
        FreeMemory.release()
        return (load, result)
    }
}
