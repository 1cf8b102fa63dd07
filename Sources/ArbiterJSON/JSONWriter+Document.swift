import CEL
import OrderedCollections

extension JSONWriter {
    /// How a whole document is laid out (reports, files and test output; the request path
    /// writes compact JSON in the values' own order).
    public struct DocumentOptions: Sendable {
        /// Two-space indentation, one member or element per line (`JSONIndenter`).
        public var pretty: Bool
        /// Object members in the order of their names' UTF-8 bytes, at every depth.
        public var sortedKeys: Bool

        /// Compact unless `pretty`, in the values' own order unless `sortedKeys`.
        public init(pretty: Bool = false, sortedKeys: Bool = false) {
            self.pretty = pretty
            self.sortedKeys = sortedKeys
        }
    }

    /// Encodes `value` as a standalone document laid out as `options` say.
    public static func encode(_ value: Value, _ options: DocumentOptions) throws -> [UInt8] {
        let bytes = try encode(options.sortedKeys ? sortingKeys(value) : value)
        return options.pretty ? JSONIndenter.indent(bytes) : bytes
    }

    /// Encodes `value` laid out as `options` say, as a string.
    public static func encodeString(_ value: Value, _ options: DocumentOptions) throws -> String {
        String(decoding: try encode(value, options), as: UTF8.self)
    }

    /// `value` with the entries of every map, at every depth, in the order of their member names.
    private static func sortingKeys(_ value: Value) -> Value {
        switch value {
        case let .list(items): return .list(items.map(sortingKeys))
        case let .map(m):
            let entries = m.storage.map { (name: $0.key.jsonMemberName, key: $0.key, value: sortingKeys($0.value)) }
                .sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
            var sorted = MapValue()
            for entry in entries { sorted.storage[entry.key] = entry.value }
            return .map(sorted)
        case let .optional(inner?): return .optional(sortingKeys(inner))
        default: return value
        }
    }
}

extension MapKey {
    /// The key as a JSON object member name: protojson writes every map key as a string.
    public var jsonMemberName: String {
        switch self {
        case let .string(s): return s
        case let .int(i): return String(i)
        case let .uint(u): return String(u)
        case let .bool(b): return b ? "true" : "false"
        }
    }
}
