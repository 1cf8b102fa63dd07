#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The little file-system access test discovery needs.
enum VerifyFiles {
    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    static func isFile(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }

    /// Entry names of a directory, sorted; empty when it cannot be read.
    static func entries(_ directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// True for `*_test.yaml`, `*_test.yml` and `*_test.json`.
    static func isSuiteFile(_ name: String) -> Bool {
        ["_test.yaml", "_test.yml", "_test.json"].contains { name.hasSuffix($0) }
    }

    /// Suite files under `root`, as paths relative to it, skipping hidden and `testdata` folders.
    static func suiteFiles(under root: String) -> [String] {
        var out: [String] = []
        func walk(_ relative: String) {
            let absolute = relative.isEmpty ? root : root + "/" + relative
            for name in entries(absolute) where !name.hasPrefix(".") {
                let child = relative.isEmpty ? name : relative + "/" + name
                if isDirectory(root + "/" + child) {
                    if name != "testdata" { walk(child) }
                } else if isSuiteFile(name) {
                    out.append(child)
                }
            }
        }
        walk("")
        return out
    }
}
