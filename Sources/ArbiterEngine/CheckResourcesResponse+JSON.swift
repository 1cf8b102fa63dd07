import ArbiterJSON
import CEL

extension CheckResourcesResponse {
    /// The protojson form as JSON bytes, identical to `JSONWriter.encode(toValue())`.
    public func encodeJSON() throws -> [UInt8] {
        var w = JSONWriter(capacity: 128 + 160 * results.count)
        try write(to: &w)
        return w.bytes
    }

    /// Appends the protojson form straight to `w`, byte for byte what `toValue()` written by
    /// `JSONWriter` gives, without building the intermediate maps (allocations and a dictionary
    /// per result that would cost more than the writing itself). With `includingMeta` false the
    /// results' `meta` is left out, as if it were nil: an audited call decides with meta for its
    /// log entry and answers without it, without copying the response to drop it.
    public func write(to w: inout JSONWriter, includingMeta: Bool = true) throws {
        w.appendASCII("{")
        if !requestId.isEmpty {
            w.appendASCII("\"requestId\":")
            w.writeString(requestId)
            w.appendASCII(",")
        }
        w.appendASCII("\"results\":")
        try Self.writeElements(results, "[", "]", to: &w) { result, w in try Self.write(result, includingMeta: includingMeta, to: &w) }
        w.appendASCII("}")
    }

    static func write(_ result: Result, includingMeta: Bool, to w: inout JSONWriter) throws {
        w.appendASCII("{\"resource\":{\"id\":")
        w.writeString(result.resource.id)
        w.appendASCII(",\"kind\":")
        w.writeString(result.resource.kind)
        if !result.resource.policyVersion.isEmpty {
            w.appendASCII(",\"policyVersion\":")
            w.writeString(result.resource.policyVersion)
        }
        if !result.resource.scope.isEmpty {
            w.appendASCII(",\"scope\":")
            w.writeString(result.resource.scope)
        }
        w.appendASCII("},\"actions\":")
        if hasRepeatedAction(result.actions.lazy.map(\.action)) {
            // A map keeps the first position and the last value of a repeated key; let it decide.
            try w.write(value(of: result).mapField("actions"))
        } else {
            writeElements(result.actions, "{", "}", to: &w) { a, w in
                w.writeString(a.action)
                w.appendASCII(":")
                w.writeString(a.effect.rawValue)
            }
        }
        if !result.validationErrors.isEmpty {
            w.appendASCII(",\"validationErrors\":")
            writeElements(result.validationErrors, "[", "]", to: &w) { e, w in
                w.appendASCII("{\"path\":")
                w.writeString(e.path)
                w.appendASCII(",\"message\":")
                w.writeString(e.message)
                w.appendASCII(",\"source\":")
                w.writeString(e.source.rawValue)
                w.appendASCII("}")
            }
        }
        if includingMeta, let meta = result.meta {
            w.appendASCII(",\"meta\":{\"actions\":")
            if hasRepeatedAction(meta.actions.lazy.map(\.action)) {
                try w.write(value(of: result).mapField("meta").mapField("actions"))
            } else {
                writeElements(meta.actions, "{", "}", to: &w) { a, w in
                    w.writeString(a.action)
                    w.appendASCII(":{\"matchedPolicy\":")
                    w.writeString(a.matchedPolicy)
                    if !a.matchedScope.isEmpty {
                        w.appendASCII(",\"matchedScope\":")
                        w.writeString(a.matchedScope)
                    }
                    w.appendASCII("}")
                }
            }
            if !meta.effectiveDerivedRoles.isEmpty {
                w.appendASCII(",\"effectiveDerivedRoles\":")
                writeElements(meta.effectiveDerivedRoles, "[", "]", to: &w) { role, w in w.writeString(role) }
            }
            w.appendASCII("}")
        }
        if !result.outputs.isEmpty {
            w.appendASCII(",\"outputs\":")
            try writeElements(result.outputs, "[", "]", to: &w) { o, w in
                w.appendASCII("{\"src\":")
                w.writeString(o.src)
                if let v = o.value {
                    w.appendASCII(",\"val\":")
                    try w.write(v)
                }
                w.appendASCII(",\"action\":")
                w.writeString(o.action)
                w.appendASCII("}")
            }
        }
        w.appendASCII("}")
    }

    /// `open`, each element written by `element` with commas between, then `close`.
    @inline(__always)
    private static func writeElements<C: Collection>(_ items: C, _ open: StaticString, _ close: StaticString,
                                                     to w: inout JSONWriter,
                                                     _ element: (C.Element, inout JSONWriter) throws -> Void) rethrows {
        w.appendASCII(open)
        var first = true
        for item in items {
            if !first { w.appendASCII(",") }
            first = false
            try element(item, &w)
        }
        w.appendASCII(close)
    }

    /// Whether an action name repeats; requests reject repeats, so this is a pairwise check of
    /// a handful of names (a set only for long lists).
    static func hasRepeatedAction<C: Collection>(_ names: C) -> Bool where C.Element == String {
        if names.count > 16 { return Set(names).count != names.count }
        var i = names.startIndex
        while i != names.endIndex {
            var j = names.index(after: i)
            while j != names.endIndex {
                if names[i] == names[j] { return true }
                j = names.index(after: j)
            }
            i = names.index(after: i)
        }
        return false
    }
}

private extension Value {
    /// The member `name` of a map value built by `toValue` (always present where it is used).
    func mapField(_ name: String) -> Value {
        if case let .map(m) = self, let v = m[string: name] { return v }
        return .null
    }
}
