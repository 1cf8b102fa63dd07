import CEL
import OrderedCollections

/// Reads protojson-shaped request objects out of decoded JSON values, with field paths in errors.
///
/// The happy path allocates nothing: paths are rendered only when an error is thrown, allowed
/// keys are compared as bytes against static lists, and uniqueness is checked without a set for
/// the short lists requests carry.
struct RequestReader {
    let value: Value
    let location: RequestPath

    init(_ value: Value, path: String = "") {
        self.init(value, at: RequestPath(path))
    }

    init(_ value: Value, at location: RequestPath) {
        self.value = value
        self.location = location
    }

    var path: String { location.text }

    func child(_ name: String) -> String { location.child(name) }

    func fail(_ message: String, at p: String? = nil) -> RequestError { RequestError(path: p ?? path, message: message) }

    /// The object's fields, rejecting names outside `allowed` (protojson rejects unknown fields).
    func object(allowed: [StaticString]) throws(RequestError) -> MapValue {
        guard case let .map(m) = value else { throw fail("must be an object") }
        for key in m.storage.keys {
            guard case let .string(name) = key else { throw fail("object keys must be strings") }
            if !Self.isAllowed(name, allowed) { throw fail("unknown field \"\(name)\"", at: child(name)) }
        }
        return m
    }

    /// Whether `name` is one of `allowed`, comparing UTF-8 bytes (a `Set<String>` literal was
    /// built, hashed and freed on every call before).
    static func isAllowed(_ name: String, _ allowed: [StaticString]) -> Bool {
        var name = name
        return name.withUTF8 { utf8 in
            for candidate in allowed where candidate.utf8CodeUnitCount == utf8.count {
                let start = candidate.utf8Start
                var i = 0
                while i < utf8.count, utf8[i] == start[i] { i += 1 }
                if i == utf8.count { return true }
            }
            return false
        }
    }

    func string(_ m: MapValue, _ name: String, required: Bool = false) throws(RequestError) -> String {
        guard let v = m[string: name], !isNull(v) else {
            if required { throw fail("value is required", at: child(name)) }
            return ""
        }
        guard case let .string(s) = v else { throw fail("must be a string", at: child(name)) }
        if required { try RequestRules.required(s, at: child(name)) }
        return s
    }

    func bool(_ m: MapValue, _ name: String) throws(RequestError) -> Bool {
        guard let v = m[string: name], !isNull(v) else { return false }
        guard case let .bool(b) = v else { throw fail("must be a boolean", at: child(name)) }
        return b
    }

    /// A list of unique, non-empty strings with at least `minimum` entries (`RequestRules.strings`).
    func uniqueStrings(_ m: MapValue, _ name: String, minimum: Int) throws(RequestError) -> [String] {
        guard let v = m[string: name], !isNull(v) else {
            try RequestRules.strings([], at: child(name), minimum: minimum)
            return []
        }
        guard case let .list(items) = v else { throw fail("must be an array", at: child(name)) }
        var out: [String] = []
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            guard case let .string(s) = item else { throw fail("must be a string", at: "\(child(name))[\(i)]") }
            out.append(s)
        }
        try RequestRules.strings(out, at: child(name), minimum: minimum)
        return out
    }

    /// An attribute map: keys must be non-empty.
    func attributes(_ m: MapValue, _ name: String) throws(RequestError) -> MapValue {
        guard let v = m[string: name], !isNull(v) else { return MapValue() }
        guard case let .map(attr) = v else { throw fail("must be an object", at: child(name)) }
        try RequestRules.attributeKeys(attr, at: child(name))
        return attr
    }

    /// The members CheckResources and PlanResources requests share: `requestId`, `includeMeta`
    /// and the required `principal` (either spelling of each name).
    func requestHeader(_ m: MapValue) throws(RequestError) -> (requestId: String, includeMeta: Bool, principal: Principal) {
        let requestId = try string(m, m[string: "requestId"] != nil ? "requestId" : "request_id")
        let includeMeta = try bool(m, m[string: "includeMeta"] != nil ? "includeMeta" : "include_meta")
        guard let p = m[string: "principal"], !isNull(p) else {
            throw RequestError(path: "principal", message: "value is required")
        }
        return (requestId, includeMeta, try Principal(from: p, at: RequestPath("principal")))
    }

    /// `auxData` (or `aux_data`) as given, nil when absent or null.
    func auxData(_ m: MapValue) -> Value? {
        let aux = m[string: "auxData"] ?? m[string: "aux_data"]
        return aux.flatMap { isNull($0) ? nil : $0 }
    }

    func isNull(_ v: Value) -> Bool {
        if case .null = v { return true }
        return false
    }

    /// `^\w*$`.
    static func isPolicyVersion(_ s: String) -> Bool {
        s.utf8.allSatisfy { isWordByte($0) }
    }

    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }

    /// `^(^$|\.|[0-9a-zA-Z][\w\-]*(\.\w[\w\-]*)*)$`, in one pass over the bytes (splitting into
    /// segments allocated an array per scoped request).
    static func isScope(_ s: String) -> Bool {
        if s.isEmpty || s == "." { return true }
        var atSegmentStart = true
        var firstSegment = true
        for b in s.utf8 {
            if b == UInt8(ascii: ".") {
                if atSegmentStart { return false }
                atSegmentStart = true
                firstSegment = false
                continue
            }
            if atSegmentStart {
                let ok = firstSegment
                    ? (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                    : isWordByte(b)
                if !ok { return false }
                atSegmentStart = false
            } else if !isWordByte(b) && b != UInt8(ascii: "-") {
                return false
            }
        }
        return !atSegmentStart
    }
}
