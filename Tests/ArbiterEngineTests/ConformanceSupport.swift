import ArbiterEngine
import ArbiterPolicy
import ArbiterYAML
import CEL
#if canImport(Glibc)
import Glibc
#endif

/// Locates and reads the shared Cerbos conformance data.
enum ConformanceData {
    static let variable = "ARBITER_CONFORMANCE_DIR"

    /// `$ARBITER_CONFORMANCE_DIR`, else `<package root>/../shared/conformance`.
    static var root: String {
        if let env = getenv(variable) { return String(cString: env) }
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        parts.removeLast(3) // Tests/ArbiterEngineTests/<file>
        return parts.joined(separator: "/") + "/../shared/conformance"
    }

    static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    static func files(in directory: String, suffix: String = ".yaml") -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name.hasSuffix(suffix) { names.append(name) }
        }
        return names.sorted()
    }

    static func read(_ path: String) -> [UInt8]? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n <= 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
        }
        return bytes
    }

    /// The store compiled with the CEL front end, or the diagnostics that prevented it.
    static func compiledStore() -> (PolicySet?, [Diagnostic]) {
        let load = PolicyLoader.load(directory: root + "/cerbos/store")
        // Unchecked until the Cerbos function library (issue 4) declares inIPAddrRange, timeSince, ...:
        // calls to those functions then fail at run time and their cases are known failures.
        let result = PolicyCompiler(expressionCompiler: CELExpressionCompiler(checking: false)).compile(load)
        return (result.policySet, result.diagnostics)
    }
}
