import ArbiterJSON

extension JSONKnownKeys {
    /// Member names of the messages the daemon reads on every front end that speaks JSON: the
    /// JSON-RPC envelope and the Cerbos requests (CheckResources, PlanResources, auxData).
    public static var requestMembers: JSONKnownKeys { JSONKnownKeys(RequestMemberKeys.lookup) }
}

/// The spellings behind `JSONKnownKeys.requestMembers`, as code rather than a static table (no
/// lazy-initialisation check per key); the strings returned are literals.
enum RequestMemberKeys {
    /// The known key spelled by `bytes[start..<end]`, if any.
    @Sendable
    static func lookup(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String? {
        let b = bytes.baseAddress! + start
        switch end - start {
        case 2: if same(b, "id") { return "id" }
        case 3: if same(b, "jwt") { return "jwt" }
        case 4:
            if same(b, "kind") { return "kind" }
            if same(b, "attr") { return "attr" }
            if same(b, "jwts") { return "jwts" }
        case 5:
            if same(b, "roles") { return "roles" }
            if same(b, "scope") { return "scope" }
        case 6:
            if same(b, "method") { return "method" }
            if same(b, "params") { return "params" }
        case 7:
            if same(b, "actions") { return "actions" }
            if same(b, "jsonrpc") { return "jsonrpc" }
            if same(b, "auxData") { return "auxData" }
        case 8:
            if same(b, "resource") { return "resource" }
            if same(b, "aux_data") { return "aux_data" }
        case 9:
            if same(b, "principal") { return "principal" }
            if same(b, "resources") { return "resources" }
            if same(b, "requestId") { return "requestId" }
        case 10: if same(b, "request_id") { return "request_id" }
        case 11: if same(b, "includeMeta") { return "includeMeta" }
        case 12: if same(b, "include_meta") { return "include_meta" }
        case 13: if same(b, "policyVersion") { return "policyVersion" }
        case 14:
            if same(b, "policy_version") { return "policy_version" }
            if same(b, "requestContext") { return "requestContext" }
        default: break
        }
        return nil
    }

    @inline(__always)
    private static func same(_ p: UnsafePointer<UInt8>, _ key: StaticString) -> Bool {
        JSONKnownKeys.same(p, key)
    }
}
