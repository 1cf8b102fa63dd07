import CEL

extension MapKey {
    /// The key as a JSON object member name: protojson writes every map key as a string.
    var jsonText: String {
        switch self {
        case let .string(s): return s
        case let .int(i): return String(i)
        case let .uint(u): return String(u)
        case let .bool(b): return b ? "true" : "false"
        }
    }
}
