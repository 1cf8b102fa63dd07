import ArbiterJSON
import CEL
import OrderedCollections

extension CheckResourcesRequest {
    /// Decodes the params object at the cursor straight from its JSON bytes: the daemon's hot
    /// path. Returns nil for anything but a plain valid request (unknown or repeated members,
    /// both spellings of a field, nulls where a value is expected, invalid values, malformed
    /// JSON); the caller then parses the document into a `Value` and uses `init(from:)`, which
    /// reports the exact error. Whenever it succeeds, the request is the one `init(from:)`
    /// builds from the same bytes.
    ///
    /// Saves, per request, the `Value` tree of the fixed structure (an array pair per object,
    /// an array per list, all released afterwards) and the hashed member lookups of decoding.
    public init?(json c: inout JSONCursor) {
        do {
            guard let request = try Self.read(&c) else { return nil }
            self = request
        } catch {
            return nil
        }
    }

    private static func read(_ c: inout JSONCursor) throws -> CheckResourcesRequest? {
        guard try c.enterObject() else { return nil }
        var requestId = ""
        var includeMeta = false
        var principal: Principal?
        var resources: [ResourceEntry] = []
        var auxData: Value?
        guard try c.readMembers({ key, c in
            switch key {
            case "requestId", "request_id":
                guard let s = try c.readString() else { return nil }
                requestId = s
                return 1
            case "includeMeta", "include_meta":
                guard let b = try c.readBool() else { return nil }
                includeMeta = b
                return 2
            case "principal":
                guard let p = try readPrincipal(&c) else { return nil }
                principal = p
                return 4
            case "resources":
                guard let list = try readResources(&c) else { return nil }
                resources = list
                return 8
            case "auxData", "aux_data":
                let v = try c.readValue()
                if case .null = v { auxData = nil } else { auxData = v }
                return 16
            case "requestContext", "request_context":
                // Accepted and ignored, as by `init(from:)`; still read, so it must be valid JSON.
                _ = try c.readValue()
                return 32
            default:
                return nil
            }
        }) != nil, let principal, !resources.isEmpty else { return nil }
        return CheckResourcesRequest(requestId: requestId, includeMeta: includeMeta, principal: principal,
                                     resources: resources, auxData: auxData)
    }

    private static func readPrincipal(_ c: inout JSONCursor) throws -> Principal? {
        guard try c.enterObject() else { return nil }
        var id = ""
        var roles: [String] = []
        var attr = MapValue()
        var policyVersion = ""
        var scope = ""
        let seen = try c.readMembers { key, c in
            switch key {
            case "id":
                guard let s = try c.readString(), !s.isEmpty else { return nil }
                id = s
                return 1
            case "roles":
                guard let list = try readUniqueStrings(&c) else { return nil }
                roles = list
                return 2
            default:
                return try readShared(key, &c, attr: &attr, policyVersion: &policyVersion, scope: &scope)
            }
        }
        // id and roles are required.
        guard let seen, seen & 3 == 3 else { return nil }
        return Principal(id: id, roles: roles, attr: attr, policyVersion: policyVersion, scope: scope)
    }

    private static func readResource(_ c: inout JSONCursor) throws -> Resource? {
        guard try c.enterObject() else { return nil }
        var kind = ""
        var id = ""
        var attr = MapValue()
        var policyVersion = ""
        var scope = ""
        let seen = try c.readMembers { key, c in
            switch key {
            case "kind":
                guard let s = try c.readString(), !s.isEmpty else { return nil }
                kind = s
                return 1
            case "id":
                guard let s = try c.readString(), !s.isEmpty else { return nil }
                id = s
                return 2
            default:
                return try readShared(key, &c, attr: &attr, policyVersion: &policyVersion, scope: &scope)
            }
        }
        // kind and id are required.
        guard let seen, seen & 3 == 3 else { return nil }
        return Resource(kind: kind, id: id, attr: attr, policyVersion: policyVersion, scope: scope)
    }

    /// The members a principal and a resource both have (bits 4, 8 and 16); nil for any other key.
    private static func readShared(_ key: String, _ c: inout JSONCursor, attr: inout MapValue, policyVersion: inout String,
                                   scope: inout String) throws -> UInt32? {
        switch key {
        case "attr":
            guard let m = try readAttributes(&c) else { return nil }
            attr = m
            return 4
        case "policyVersion", "policy_version":
            guard let s = try c.readString(), RequestReader.isPolicyVersion(s) else { return nil }
            policyVersion = s
            return 8
        case "scope":
            guard let s = try c.readString(), RequestReader.isScope(s) else { return nil }
            scope = s
            return 16
        default:
            return nil
        }
    }

    private static func readResources(_ c: inout JSONCursor) throws -> [ResourceEntry]? {
        guard try c.enterArray() else { return nil }
        var entries: [ResourceEntry] = []
        entries.reserveCapacity(4)
        var first = true
        while try c.nextElement(first: first) {
            first = false
            guard try c.enterObject() else { return nil }
            var actions: [String]?
            var resource: Resource?
            guard try c.readMembers({ key, c in
                switch key {
                case "actions":
                    actions = try readUniqueStrings(&c)
                    return actions == nil ? nil : 1
                case "resource":
                    resource = try readResource(&c)
                    return resource == nil ? nil : 2
                default:
                    return nil
                }
            }) != nil, let actions, let resource else { return nil }
            entries.append(ResourceEntry(actions: actions, resource: resource))
        }
        return entries
    }

    /// At least one string, each non-empty and unique, as `RequestReader.uniqueStrings`.
    private static func readUniqueStrings(_ c: inout JSONCursor) throws -> [String]? {
        guard try c.enterArray() else { return nil }
        var out: [String] = []
        // Room for a typical list at once: growing from empty reallocated at 1, 2, 4 and 8.
        out.reserveCapacity(8)
        // Short lists compare pairwise; past 16 entries a set keeps long lists linear.
        var seen: Set<String>?
        var first = true
        while try c.nextElement(first: first) {
            first = false
            guard let s = try c.readString(), !s.isEmpty else { return nil }
            if seen != nil {
                guard seen!.insert(s).inserted else { return nil }
            } else {
                guard !out.contains(s) else { return nil }
                if out.count == 16 { seen = Set(out + [s]) }
            }
            out.append(s)
        }
        return out.isEmpty ? nil : out
    }

    /// An attribute map, as `RequestReader.attributes`: null is empty, keys must be non-empty.
    private static func readAttributes(_ c: inout JSONCursor) throws -> MapValue? {
        switch try c.readValue() {
        case .null:
            return MapValue()
        case let .map(m):
            for case let .string(k) in m.storage.keys where k.isEmpty { return nil }
            return m
        default:
            return nil
        }
    }
}
