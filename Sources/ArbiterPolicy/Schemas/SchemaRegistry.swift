import ArbiterJSON
import ArbiterSchema
import CEL

/// The attribute schemas of a policy store, compiled once when the store loads: each `ref`
/// that a resource policy names, to its validator or to the reason it cannot be loaded, in
/// Cerbos's words. Part of the compiled snapshot, so a schema edit reloads with the policies.
public final class SchemaRegistry: Sendable {
    /// A compiled schema, or why there is none.
    public enum Entry: Sendable {
        case schema(JSONSchema)
        /// Cerbos's reason, such as `schema _schemas/a.json doesn't exist`.
        case failure(String)
    }

    /// The URI scheme of schemas kept under `_schemas/` in the policy store.
    public static let scheme = "cerbos:///"

    private let entries: [String: Entry]

    /// A registry without schemas.
    public static let empty = SchemaRegistry(entries: [:])

    private init(entries: [String: Entry]) { self.entries = entries }

    /// Compiles the schema each of `refs` names; `read` returns the bytes of a path under
    /// `_schemas/` (such as `a/b.json`), nil when there is no such file.
    public init(refs: some Sequence<String>, read: (String) -> [UInt8]?) {
        var documents: [String: Value] = [:]
        var unreadable: [String: String] = [:]
        func document(_ path: String) -> Value? {
            if let known = documents[path] { return known }
            guard let bytes = read(path) else { return nil }
            do {
                let parsed = try JSONReader.parse(bytes)
                documents[path] = parsed
                return parsed
            } catch {
                unreadable[Self.scheme + path] = "\(error)"
                return nil
            }
        }
        var entries: [String: Entry] = [:]
        for ref in refs where entries[ref] == nil {
            entries[ref] = Self.compile(ref, read: read, document: document, unreadable: { unreadable[$0] })
        }
        self.entries = entries
    }

    private static func compile(_ ref: String, read: (String) -> [UInt8]?, document: (String) -> Value?,
                                unreadable: (String) -> String?) -> Entry {
        guard ref.hasPrefix(scheme) else { return .failure("schema \(displayName(ref)) doesn't exist") }
        let path = String(ref.dropFirst(scheme.count))
        guard let bytes = read(path) else { return .failure("schema \(displayName(ref)) doesn't exist") }
        let root: Value
        do {
            root = try JSONReader.parse(bytes)
        } catch {
            return .failure("schema \(displayName(ref)) is not a JSON Schema: expected a JSON object or boolean (\(error))")
        }
        // Cerbos's validator checks `format`s, so schemas written for it may rely on that.
        let compiled = withoutActuallyEscaping(document) { document in
            let compiler = SchemaCompiler(defaultDraft: .draft2020_12, assertFormat: true) { uri in
                uri.hasPrefix(scheme) ? document(String(uri.dropFirst(scheme.count))) : nil
            }
            return Result { () throws(SchemaCompileError) in try compiler.compile(root, uri: ref) }
        }
        switch compiled {
        case let .success(schema):
            return .schema(schema)
        case let .failure(error):
            if let missing = error.unresolvedURI {
                if let problem = unreadable(missing) {
                    return .failure("schema \(displayName(missing)) referenced by \(ref) is not valid JSON: \(problem)")
                }
                return .failure("schema \(displayName(missing)) referenced by \(ref) doesn't exist")
            }
            return .failure("schema \(displayName(ref)) is not a valid JSON Schema: \(error)")
        }
    }

    /// How Cerbos names a schema URI in messages: `_schemas/<path>` for its own scheme, the path for `file:`.
    static func displayName(_ uri: String) -> String {
        if uri.hasPrefix(scheme) { return "_schemas/" + uri.dropFirst(scheme.count) }
        if uri.hasPrefix("file://") { return String(uri.dropFirst("file://".count)) }
        return uri
    }

    /// The entry for `ref`; a ref the registry was not built with is reported as missing.
    public func entry(for ref: String) -> Entry {
        entries[ref] ?? .failure("schema \(Self.displayName(ref)) doesn't exist")
    }

    /// Whether the registry holds no schema at all.
    public var isEmpty: Bool { entries.isEmpty }
}
