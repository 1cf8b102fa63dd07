#if canImport(Glibc)
import Glibc
#endif
import CFuzzerDriver

/// The harness registered by `runFuzzer`, called for each input. Set once before libFuzzer starts.
nonisolated(unsafe) private var harness: ((UnsafeRawBufferPointer) -> Void)?

/// libFuzzer's input callback. SwiftPM links an executable target's own `main` (its top-level
/// code), which calls `runFuzzer`; libFuzzer's `main` is linked in beside it and names this symbol,
/// so it must exist, and it runs the same harness.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    harness?(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// Hands the process to libFuzzer with `body` as the harness; libFuzzer reads the command line
/// (corpus directories, `-max_total_time=`, ...) and exits the process.
public func runFuzzer(_ body: @escaping (UnsafeRawBufferPointer) -> Void) -> Never {
    harness = body
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzerTestOneInput))
}

/// An invariant of the code under test: when it does not hold, the harness crashes with
/// `message`, which libFuzzer reports like any crash and saves the input for.
public func fuzzInvariant(_ condition: Bool, _ message: @autoclosure () -> String,
                          file: StaticString = #fileID, line: UInt = #line) {
    if !condition { fatalError("fuzz invariant violated: \(message())", file: file, line: line) }
}

/// The environment variable `name`, or `fallback` when it is unset or empty.
public func environment(_ name: String, default fallback: String) -> String {
    guard let value = getenv(name), value.pointee != 0 else { return fallback }
    return String(cString: value)
}
