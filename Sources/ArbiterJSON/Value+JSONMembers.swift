import CEL

/// Reading a JSON document as `JSONReader` returns it (objects are maps with string keys, arrays
/// lists, numbers doubles), for callers that walk a document by member name.
extension Value {
    /// The member `name` when this is a JSON object, else nil.
    public subscript(member name: String) -> Value? {
        if case let .map(m) = self { return m[string: name] }
        return nil
    }

    /// The members in document order when this is a JSON object, else nil.
    public var jsonMembers: [(name: String, value: Value)]? {
        guard case let .map(m) = self else { return nil }
        return m.storage.compactMap { key, value in
            if case let .string(name) = key { return (name, value) }
            return nil
        }
    }

    /// The elements when this is a JSON array, else nil.
    public var jsonArray: [Value]? {
        if case let .list(l) = self { return l }
        return nil
    }

    /// The text when this is a JSON string, else nil.
    public var jsonString: String? {
        if case let .string(s) = self { return s }
        return nil
    }

    /// The truth value when this is a JSON boolean, else nil.
    public var jsonBool: Bool? {
        if case let .bool(b) = self { return b }
        return nil
    }
}
