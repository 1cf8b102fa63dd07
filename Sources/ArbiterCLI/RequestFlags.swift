import ArbiterJSON
import ArgumentParser
import CEL

/// What `arbiter check` and `arbiter plan` share: reading a request body from a file and
/// turning `key=value` flags into attribute maps.
enum RequestFlags {
    /// The JSON request body in `path` (`-` for stdin).
    static func body(from path: String) throws -> Value {
        let bytes: [UInt8]
        do { bytes = try readAll(path == "-" ? nil : path) } catch {
            throw ValidationError("cannot read \(path): \(error)")
        }
        do { return try JSONReader.parse(bytes) } catch {
            throw ValidationError("\(path): \(error)")
        }
    }

    /// `key=value` pairs as an attribute object; values are JSON when they parse as JSON, else
    /// plain strings.
    static func attributes(_ pairs: [String], flag: String) throws -> Value {
        var out: [(String, Value)] = []
        for pair in pairs {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                throw ValidationError("\(flag) \(pair): expected key=value")
            }
            let key = String(pair[..<eq]), raw = String(pair[pair.index(after: eq)...])
            let value = (try? JSONReader.parse(raw)) ?? .string(raw) // not JSON: a plain string, by design
            out.append((key, value))
        }
        return .map(MapValue(stringKeyed: out))
    }
}
