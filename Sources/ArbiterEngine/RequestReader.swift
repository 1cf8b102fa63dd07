import CEL

/// Reads protojson-shaped request objects out of decoded JSON values, with field paths in errors.
struct RequestReader {
    let value: Value
    let path: String

    init(_ value: Value, path: String = "") {
        self.value = value
        self.path = path
    }

    func child(_ name: String) -> String { path.isEmpty ? name : path + "." + name }

    func fail(_ message: String, at p: String? = nil) -> RequestError { RequestError(path: p ?? path, message: message) }

    /// The object's fields, rejecting names outside `allowed` (protojson rejects unknown fields).
    func object(allowed: Set<String>) throws(RequestError) -> MapValue {
        guard case let .map(m) = value else { throw fail("must be an object") }
        for key in m.storage.keys {
            guard case let .string(name) = key else { throw fail("object keys must be strings") }
            if !allowed.contains(name) { throw fail("unknown field \"\(name)\"", at: child(name)) }
        }
        return m
    }

    func string(_ m: MapValue, _ name: String, required: Bool = false) throws(RequestError) -> String {
        guard let v = m[string: name], !isNull(v) else {
            if required { throw fail("value is required", at: child(name)) }
            return ""
        }
        guard case let .string(s) = v else { throw fail("must be a string", at: child(name)) }
        if required && s.isEmpty { throw fail("value is required", at: child(name)) }
        return s
    }

    func bool(_ m: MapValue, _ name: String) throws(RequestError) -> Bool {
        guard let v = m[string: name], !isNull(v) else { return false }
        guard case let .bool(b) = v else { throw fail("must be a boolean", at: child(name)) }
        return b
    }

    /// A list of unique, non-empty strings with at least `minimum` entries.
    func uniqueStrings(_ m: MapValue, _ name: String, minimum: Int) throws(RequestError) -> [String] {
        let p = child(name)
        guard let v = m[string: name], !isNull(v) else {
            if minimum > 0 { throw fail("value must contain at least \(minimum) item(s)", at: p) }
            return []
        }
        guard case let .list(items) = v else { throw fail("must be an array", at: p) }
        if items.count < minimum { throw fail("value must contain at least \(minimum) item(s)", at: p) }
        var out: [String] = []
        var seen = Set<String>()
        for (i, item) in items.enumerated() {
            guard case let .string(s) = item else { throw fail("must be a string", at: "\(p)[\(i)]") }
            if s.isEmpty { throw fail("value length must be at least 1 characters", at: "\(p)[\(i)]") }
            if !seen.insert(s).inserted { throw fail("repeated value must contain unique items", at: "\(p)[\(i)]") }
            out.append(s)
        }
        return out
    }

    /// An attribute map: keys must be non-empty.
    func attributes(_ m: MapValue, _ name: String) throws(RequestError) -> MapValue {
        guard let v = m[string: name], !isNull(v) else { return MapValue() }
        guard case let .map(attr) = v else { throw fail("must be an object", at: child(name)) }
        for key in attr.storage.keys {
            if case let .string(k) = key, k.isEmpty { throw fail("attribute keys must not be empty", at: child(name)) }
        }
        return attr
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

    /// `^(^$|\.|[0-9a-zA-Z][\w\-]*(\.\w[\w\-]*)*)$`.
    static func isScope(_ s: String) -> Bool {
        if s.isEmpty || s == "." { return true }
        let segments = s.split(separator: ".", omittingEmptySubsequences: false)
        for (i, seg) in segments.enumerated() {
            guard let first = seg.utf8.first else { return false }
            if i == 0 {
                let alnum = (first >= 0x30 && first <= 0x39) || (first >= 0x41 && first <= 0x5A) || (first >= 0x61 && first <= 0x7A)
                if !alnum { return false }
            } else if !isWordByte(first) {
                return false
            }
            if !seg.utf8.dropFirst().allSatisfy({ isWordByte($0) || $0 == UInt8(ascii: "-") }) { return false }
        }
        return true
    }
}
