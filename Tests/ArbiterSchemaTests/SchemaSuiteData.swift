import ArbiterJSON
import CEL
#if canImport(Glibc)
import Glibc
#endif

/// Locates and reads the JSON Schema Test Suite in the shared conformance data.
enum SchemaSuiteData {
    static let variable = "ARBITER_CONFORMANCE_DIR"

    /// `$ARBITER_CONFORMANCE_DIR/json-schema`, else `<package root>/../shared/conformance/json-schema`.
    static var root: String {
        if let env = getenv(variable) { return String(cString: env) + "/json-schema" }
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        parts.removeLast(3) // Tests/ArbiterSchemaTests/<file>
        return parts.joined(separator: "/") + "/../shared/conformance/json-schema"
    }

    static func files(in directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name.hasSuffix(".json") { names.append(name) }
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

    /// The suite's remote documents, served as the suite says: `http://localhost:1234/<path>` is `remotes/<path>`.
    static func remotesResolver(_ uri: String) -> Value? {
        let prefix = "http://localhost:1234/"
        guard uri.hasPrefix(prefix), let bytes = read(root + "/remotes/" + uri.dropFirst(prefix.count)) else { return nil }
        return try? JSONReader.parse(bytes)
    }
}
