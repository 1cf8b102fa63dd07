/// Member names of the messages the daemon reads (the JSON-RPC envelope and the CheckResources
/// request), shared instead of built: comparing a key's bytes with these costs less than
/// creating a string for it and releasing that string after the request, and the strings here
/// are literals, which need no reference counting at all.
enum JSONKnownKeys {
    struct Entry {
        let bytes: StaticString
        let string: String
    }

    static let names: [StaticString] = [
        "jsonrpc", "id", "method", "params",
        "requestId", "request_id", "includeMeta", "include_meta", "principal", "resources", "auxData", "aux_data",
        "requestContext", "actions", "resource", "kind", "roles", "attr", "policyVersion", "policy_version", "scope",
        "jwt", "jwts",
    ]

    /// `names` by UTF-8 length, up to 15 bytes.
    static let byLength: [[Entry]] = {
        var table = Array(repeating: [Entry](), count: 16)
        for name in names where name.utf8CodeUnitCount < 16 {
            table[name.utf8CodeUnitCount].append(Entry(bytes: name, string: name.description))
        }
        return table
    }()

    /// The known key spelled by `bytes[start..<end]`, if any.
    static func lookup(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String? {
        let n = end - start
        guard n > 0, n < 16 else { return nil }
        for entry in byLength[n] {
            let known = entry.bytes.utf8Start
            var i = 0
            while i < n, known[i] == bytes[start + i] { i += 1 }
            if i == n { return entry.string }
        }
        return nil
    }
}
