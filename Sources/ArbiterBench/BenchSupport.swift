import ArbiterTestSupport
// For `timespec`'s and `struct stat`'s members on Linux (see ArbiterServer's AuditFileSink.swift).
import CoreFoundation
#if canImport(Glibc)
import Glibc
#endif

/// Monotonic nanoseconds (CLOCK_MONOTONIC), the only clock the harness times with.
@inline(__always) func monotonicNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
}

/// CPU nanoseconds consumed by the calling thread (CLOCK_THREAD_CPUTIME_ID): on a shared
/// machine it leaves out the time the thread waited for a core, which wall time counts.
@inline(__always) func threadCPUNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
}

/// The median of a non-empty list.
func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    guard !s.isEmpty else { return .nan }
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// Runs `body` `rounds` times after `warmup` untimed runs and returns the median of the
/// per-round nanoseconds per operation (`body` returns how many operations it did).
func medianNanosPerOp(rounds: Int, warmup: Int = 1, _ body: () throws -> Int) rethrows -> Double {
    for _ in 0..<warmup { _ = try body() }
    var perOp: [Double] = []
    for _ in 0..<rounds {
        let start = monotonicNanos()
        let ops = try body()
        let elapsed = monotonicNanos() - start
        perOp.append(Double(elapsed) / Double(max(ops, 1)))
    }
    return median(perOp)
}

/// How many repetitions of `body` fill about `targetNanos`: doubles a trial count until one
/// trial takes a quarter of the target, then scales. Keeps rounds short on a slow or shared
/// machine and long enough on a fast one.
func calibratedCount(targetNanos: UInt64, _ body: (Int) -> Void) -> Int {
    var n = 1
    while true {
        let start = monotonicNanos()
        body(n)
        let elapsed = monotonicNanos() - start
        if elapsed >= targetNanos / 4 || n >= 1 << 30 {
            return max(1, Int(Double(n) * Double(targetNanos) / Double(max(elapsed, 1))))
        }
        n *= 2
    }
}

/// Reads a whole file, nil when it cannot be read.
func readFile(_ path: String) -> [UInt8]? { LocalFiles.read(path) }

/// Writes a whole file, creating or truncating it.
func writeFile(_ path: String, _ text: String) throws {
    guard let f = fopen(path, "wb") else { throw BenchFailure("cannot write \(path): \(String(cString: strerror(errno)))") }
    defer { fclose(f) }
    let bytes = Array(text.utf8)
    if !bytes.isEmpty, fwrite(bytes, 1, bytes.count, f) != bytes.count {
        throw BenchFailure("short write to \(path)")
    }
}

/// `mkdir -p`.
func makeDirectories(_ path: String) throws {
    var built = path.hasPrefix("/") ? "" : "."
    for part in path.split(separator: "/") {
        built += "/" + part
        if mkdir(built, 0o755) != 0 && errno != EEXIST {
            throw BenchFailure("cannot create \(built): \(String(cString: strerror(errno)))")
        }
    }
}

/// A fresh directory under $TMPDIR (or /tmp).
func makeTemporaryDirectory(_ prefix: String) throws -> String {
    let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    var template = Array("\(base)/\(prefix)-XXXXXX".utf8CString)
    guard let p = mkdtemp(&template) else { throw BenchFailure("mkdtemp failed under \(base)") }
    return String(cString: p)
}

/// `rm -rf`, for the temporary trees the harness made.
func removeTree(_ path: String) {
    guard path.count > 5, path.contains("arbiter-bench") else { return }
    runProcess(["/bin/rm", "-rf", path])
}

/// Runs a program to completion and returns its exit status.
@discardableResult
func runProcess(_ argv: [String]) -> Int32 {
    var pid: pid_t = 0
    var cargs = argv.map { strdup($0) }
    cargs.append(nil)
    defer { for p in cargs { free(p) } }
    guard posix_spawn(&pid, argv[0], nil, nil, cargs, environ) == 0 else { return -1 }
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    return (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
}

/// The Cerbos conformance folder (`TestPaths.conformance`): $ARBITER_CONFORMANCE_DIR, else
/// `<package root>/../shared/conformance`; an error when it holds no `cerbos` folder.
func conformanceRoot() throws -> String {
    let root = TestPaths.conformance
    guard LocalFiles.exists(root + "/cerbos") else {
        throw BenchFailure("conformance data not found at \(root)/cerbos; set ARBITER_CONFORMANCE_DIR to the conformance folder")
    }
    return root
}

/// The package root (where bench/ lives).
func packageRoot() -> String { TestPaths.packageRoot }

/// Names of the entries of a directory ending in `suffix`, sorted.
func listDirectory(_ directory: String, suffix: String = "") -> [String] {
    LocalFiles.entries(in: directory, suffix: suffix)
}

/// Fixed-point formatting without Foundation.
func fmt(_ x: Double, _ digits: Int = 1) -> String {
    guard x.isFinite else { return "n/a" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let r = (x * scale).rounded() / scale
    var s = "\(r)"
    if s.contains("e") { return s }
    if let dot = s.firstIndex(of: ".") {
        let decimals = s.distance(from: dot, to: s.endIndex) - 1
        if digits == 0 { s = String(s[..<dot]) } else if decimals < digits { s += String(repeating: "0", count: digits - decimals) }
    }
    return s
}

/// The number of online CPUs.
func cpuCount() -> Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

/// Runs `body` on a new joinable pthread.
func startThread(_ body: @escaping () -> Void) throws -> pthread_t {
    final class Box { let body: () -> Void; init(_ b: @escaping () -> Void) { body = b } }
    var t = pthread_t()
    let box = Unmanaged.passRetained(Box(body))
    guard pthread_create(&t, nil, { arg in
        Unmanaged<Box>.fromOpaque(arg!).takeRetainedValue().body()
        return nil
    }, box.toOpaque()) == 0 else {
        box.release()
        throw BenchFailure("pthread_create failed")
    }
    return t
}
