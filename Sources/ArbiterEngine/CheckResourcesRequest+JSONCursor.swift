import ArbiterJSON
import CEL

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
        var seen: UInt8 = 0
        var requestId = ""
        var includeMeta = false
        var principal: Principal?
        var resources: [ResourceEntry] = []
        var auxData: Value?
        var first = true
        while let key = try c.nextKey(first: first) {
            first = false
            let bit: UInt8
            switch key {
            case "requestId", "request_id":
                bit = 1
                guard let s = try c.readString() else { return nil }
                requestId = s
            case "includeMeta", "include_meta":
                bit = 2
                guard let b = try c.readBool() else { return nil }
                includeMeta = b
            case "principal":
                bit = 4
                guard let p = try readPrincipal(&c) else { return nil }
                principal = p
            case "resources":
                bit = 8
                guard let list = try readResources(&c) else { return nil }
                resources = list
            case "auxData", "aux_data":
                bit = 16
                let v = try c.readValue()
                if case .null = v { auxData = nil } else { auxData = v }
            case "requestContext", "request_context":
                // Accepted and ignored, as by `init(from:)`; still read, so it must be valid JSON.
                bit = 32
                _ = try c.readValue()
            default:
                return nil
            }
            if seen & bit != 0 { return nil }
            seen |= bit
        }
        guard let principal, !resources.isEmpty else { return nil }
        return CheckResourcesRequest(requestId: requestId, includeMeta: includeMeta, principal: principal,
                                     resources: resources, auxData: auxData)
    }

    private static func readPrincipal(_ c: inout JSONCursor) throws -> Principal? {
        guard try c.enterObject() else { return nil }
        var seen: UInt8 = 0
        var id = ""
        var roles: [String] = []
        var attr = MapValue()
        var policyVersion = ""
        var scope = ""
        var first = true
        while let key = try c.nextKey(first: first) {
            first = false
            let bit: UInt8
            switch key {
            case "id":
                bit = 1
                guard let s = try c.readString(), !s.isEmpty else { return nil }
                id = s
            case "roles":
                bit = 2
                guard let list = try readUniqueStrings(&c) else { return nil }
                roles = list
            case "attr":
                bit = 4
                guard let m = try readAttributes(&c) else { return nil }
                attr = m
            case "policyVersion", "policy_version":
                bit = 8
                guard let s = try c.readString(), RequestReader.isPolicyVersion(s) else { return nil }
                policyVersion = s
            case "scope":
                bit = 16
                guard let s = try c.readString(), RequestReader.isScope(s) else { return nil }
                scope = s
            default:
                return nil
            }
            if seen & bit != 0 { return nil }
            seen |= bit
        }
        // id and roles are required.
        guard seen & 3 == 3 else { return nil }
        return Principal(id: id, roles: roles, attr: attr, policyVersion: policyVersion, scope: scope)
    }

    private static func readResource(_ c: inout JSONCursor) throws -> Resource? {
        guard try c.enterObject() else { return nil }
        var seen: UInt8 = 0
        var kind = ""
        var id = ""
        var attr = MapValue()
        var policyVersion = ""
        var scope = ""
        var first = true
        while let key = try c.nextKey(first: first) {
            first = false
            let bit: UInt8
            switch key {
            case "kind":
                bit = 1
                guard let s = try c.readString(), !s.isEmpty else { return nil }
                kind = s
            case "id":
                bit = 2
                guard let s = try c.readString(), !s.isEmpty else { return nil }
                id = s
            case "attr":
                bit = 4
                guard let m = try readAttributes(&c) else { return nil }
                attr = m
            case "policyVersion", "policy_version":
                bit = 8
                guard let s = try c.readString(), RequestReader.isPolicyVersion(s) else { return nil }
                policyVersion = s
            case "scope":
                bit = 16
                guard let s = try c.readString(), RequestReader.isScope(s) else { return nil }
                scope = s
            default:
                return nil
            }
            if seen & bit != 0 { return nil }
            seen |= bit
        }
        // kind and id are required.
        guard seen & 3 == 3 else { return nil }
        return Resource(kind: kind, id: id, attr: attr, policyVersion: policyVersion, scope: scope)
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
            var firstKey = true
            while let key = try c.nextKey(first: firstKey) {
                firstKey = false
                switch key {
                case "actions":
                    guard actions == nil, let list = try readUniqueStrings(&c) else { return nil }
                    actions = list
                case "resource":
                    guard resource == nil, let r = try readResource(&c) else { return nil }
                    resource = r
                default:
                    return nil
                }
            }
            guard let actions, let resource else { return nil }
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
