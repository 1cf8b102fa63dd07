import CEL
import OrderedCollections

/// The protovalidate rules of Cerbos's request protos (required fields, list sizes, uniqueness,
/// patterns), stated once: the JSON decoders apply them while reading a request, and
/// `CheckResourcesRequest.validate()` applies them to a request built another way (the gRPC
/// front end's protobuf messages), so both give the same error for the same request.
/// Paths are autoclosures: they are rendered only when a rule fails.
enum RequestRules {
    /// A required string: present and non-empty.
    static func required(_ s: String, at path: @autoclosure () -> String) throws(RequestError) {
        if s.isEmpty { throw RequestError(path: path(), message: "value is required") }
    }

    /// A repeated field with at least `minimum` entries.
    static func count(_ n: Int, at path: @autoclosure () -> String, minimum: Int) throws(RequestError) {
        if n < minimum { throw RequestError(path: path(), message: "value must contain at least \(minimum) item(s)") }
    }

    /// A list of at least `minimum` unique, non-empty strings.
    static func strings(_ items: [String], at path: @autoclosure () -> String, minimum: Int) throws(RequestError) {
        try count(items.count, at: path(), minimum: minimum)
        // Short lists compare pairwise; a set pays off only for long ones.
        var seen: Set<String>? = items.count > 16 ? Set(minimumCapacity: items.count) : nil
        for (i, s) in items.enumerated() {
            if s.isEmpty { throw RequestError(path: "\(path())[\(i)]", message: "value length must be at least 1 characters") }
            let repeated = if seen != nil { !seen!.insert(s).inserted } else { items[..<i].contains(s) }
            if repeated { throw RequestError(path: "\(path())[\(i)]", message: "repeated value must contain unique items") }
        }
    }

    /// Attribute maps: keys must be non-empty.
    static func attributeKeys(_ attr: MapValue, at path: @autoclosure () -> String) throws(RequestError) {
        for key in attr.storage.keys {
            if case let .string(k) = key, k.isEmpty { throw RequestError(path: path(), message: "attribute keys must not be empty") }
        }
    }

    /// `policyVersion`: `^\w*$`.
    static func policyVersion(_ s: String, at path: @autoclosure () -> String) throws(RequestError) {
        if !RequestReader.isPolicyVersion(s) { throw RequestError(path: path(), message: "value does not match regex pattern `^\\w*$`") }
    }

    /// `scope`: dot-separated segments (see `RequestReader.isScope`).
    static func scope(_ s: String, at path: @autoclosure () -> String) throws(RequestError) {
        if !RequestReader.isScope(s) { throw RequestError(path: path(), message: "value does not match the scope pattern") }
    }
}

extension Principal {
    /// Applies the request rules to a principal built from something other than JSON.
    func validate(at path: String) throws(RequestError) {
        try RequestRules.required(id, at: path + ".id")
        try RequestRules.strings(roles, at: path + ".roles", minimum: 1)
        try RequestRules.attributeKeys(attr, at: path + ".attr")
        try RequestRules.policyVersion(policyVersion, at: path + ".policyVersion")
        try RequestRules.scope(scope, at: path + ".scope")
    }
}

extension Resource {
    /// Applies the request rules to a resource built from something other than JSON.
    func validate(at path: String) throws(RequestError) {
        try RequestRules.required(kind, at: path + ".kind")
        try RequestRules.required(id, at: path + ".id")
        try RequestRules.attributeKeys(attr, at: path + ".attr")
        try RequestRules.policyVersion(policyVersion, at: path + ".policyVersion")
        try RequestRules.scope(scope, at: path + ".scope")
    }
}

extension CheckResourcesRequest {
    /// Checks the rules the JSON decoder checks while reading, for a request built field by field
    /// (the gRPC front end): errors name the field as the JSON path would. Limits are separate
    /// (`checkLimits`), as `Engine.checkResources` applies them.
    public func validate() throws(RequestError) {
        try principal.validate(at: "principal")
        try RequestRules.count(resources.count, at: "resources", minimum: 1)
        for (i, entry) in resources.enumerated() {
            try RequestRules.strings(entry.actions, at: "resources[\(i)].actions", minimum: 1)
            try entry.resource.validate(at: "resources[\(i)].resource")
        }
    }
}
