import CEL
import OrderedCollections

/// The yes/no pass of `JSONSchema.isValid` for schemas without `unevaluated*` and
/// `$dynamicRef`: no errors, instance path, annotations or dynamic scope, only the keyword
/// groups a node has (one bit test per group), so a valid value allocates nothing.
///
/// Answers exactly as `SchemaValidation` with `collect: false` does; the conformance suite
/// checks `isValid` against `validate` on every test.
///
/// Values are passed by pointer, not as `Value`s: a member read out of an object's storage (or
/// an item out of an array's) to be passed on as a `Value` was copied (retained, and released
/// after), because the compiler cannot prove that the calls in between leave that storage
/// alone. Through a pointer only the strings that are looked at are copied; the bench resource
/// of `ArbiterBench --only schema` validates in 6,875 instructions instead of 7,344 (callgrind).
/// Every pointer is into the value `JSONSchema.isValid` was given, which its caller holds and
/// nothing mutates during the check, or to a temporary of a `withUnsafePointer` scope the check
/// does not leave.
struct SchemaQuickCheck {
    let nodes: UnsafePointer<SchemaNode>
    var depth = 0

    init(nodes: UnsafePointer<SchemaNode>) { self.nodes = nodes }

    /// Whether the value at `value` satisfies node `index`.
    mutating func valid(_ index: Int, _ value: UnsafePointer<Value>) -> Bool {
        let node = nodes + index
        let groups = node.pointee.groups
        if groups.contains(.boolean) { return node.pointee.always! }
        if groups.isEmpty { return true }
        depth += 1
        defer { depth -= 1 }
        if depth > SchemaValidation.maxDepth { return false }

        if groups.contains(.type), !JSONInstance.matches(value, node.pointee.types!) { return false }
        if groups.contains(.const), !JSONInstance.equal(value.pointee, node.pointee.constValue!) { return false }
        if groups.contains(.enumeration) {
            if node.pointee.enumIsStrings {
                guard case let .string(s) = value.pointee, node.pointee.enumStrings.contains(s) else { return false }
            } else if !node.pointee.enumValues!.contains(where: { JSONInstance.equal(value.pointee, $0) }) {
                return false
            }
        }
        if groups.contains(.format), !node.pointee.format!.accepts(value.pointee) { return false }

        switch value.pointee {
        case let .map(object):
            if groups.contains(.object), !objectValid(node, value, object) { return false }
        case let .list(items):
            if groups.contains(.array), !arrayValid(node, items) { return false }
        case let .string(s):
            if groups.contains(.string), !stringValid(node, s) { return false }
        case .int, .uint, .double:
            if groups.contains(.number), !numberValid(node, JSONInstance.number(value.pointee)!) { return false }
        default:
            break
        }
        return !groups.contains(.applicators) || applicatorsValid(node, value)
    }

    private func stringValid(_ node: UnsafePointer<SchemaNode>, _ s: String) -> Bool {
        if node.pointee.minLength != nil || node.pointee.maxLength != nil {
            // A string of n UTF-8 bytes has between n/4 and n code points: most bounds are
            // decided by the byte count alone, without decoding.
            let bytes = s.utf8.count
            var length: Int?
            if let min = node.pointee.minLength {
                if bytes < min { return false }
                if (bytes + 3) / 4 < min {
                    length = s.unicodeScalars.count
                    if length! < min { return false }
                }
            }
            if let max = node.pointee.maxLength, bytes > max, (length ?? s.unicodeScalars.count) > max { return false }
        }
        if node.pointee.pattern != nil, !SchemaNode.pattern(of: node, matches: s) { return false }
        return true
    }

    private func numberValid(_ node: UnsafePointer<SchemaNode>, _ n: Double) -> Bool {
        if let m = node.pointee.minimum, n < m { return false }
        if let m = node.pointee.exclusiveMinimum, n <= m { return false }
        if let m = node.pointee.maximum, n > m { return false }
        if let m = node.pointee.exclusiveMaximum, n >= m { return false }
        if let m = node.pointee.multipleOf, !SchemaValidation.isMultiple(n, of: m) { return false }
        return true
    }

    /// `object` is the map at `value`.
    private mutating func objectValid(_ node: UnsafePointer<SchemaNode>, _ value: UnsafePointer<Value>, _ object: MapValue) -> Bool {
        let count = object.count
        if let min = node.pointee.minProperties, count < min { return false }
        if let max = node.pointee.maxProperties, count > max { return false }
        let hasProperties = !node.pointee.propertyTable.isEmpty
        let hasPatterns = !node.pointee.patternProperties.isEmpty
        let additional = node.pointee.additionalProperties
        let names = node.pointee.propertyNames
        if hasProperties || hasPatterns || additional != nil || names != nil {
            var requiredSeen = 0
            let storage = object.storage
            let membersValid = storage.keys.elements.withUnsafeBufferPointer { keys in
                storage.values.withUnsafeBufferPointer { members in
                    for m in 0..<keys.count {
                        guard case let .string(name) = keys[m] else { continue }
                        let member = members.baseAddress! + m
                        var matched = false
                        if hasProperties, let i = node.pointee.propertyTable.index(of: name) {
                            matched = true
                            if node.pointee.propertyRequired[i] { requiredSeen += 1 }
                            if !valid(node.pointee.propertyNodes[i], member) { return false }
                        }
                        if let names, !withUnsafePointer(to: Value.string(name), { valid(names, $0) }) { return false }
                        if hasPatterns {
                            for (regex, child) in node.pointee.patternProperties where regex.matches(name) {
                                matched = true
                                if !valid(child, member) { return false }
                            }
                        }
                        if !matched, let additional, !valid(additional, member) { return false }
                    }
                    return true
                }
            }
            if !membersValid || requiredSeen < node.pointee.requiredDeclaredCount { return false }
        }
        for key in node.pointee.requiredOutsideProperties where !object.contains(key) { return false }
        for (property, required) in node.pointee.dependentRequired where object[string: property] != nil {
            for name in required where object[string: name] == nil { return false }
        }
        for (property, child) in node.pointee.dependentSchemas where object[string: property] != nil {
            if !valid(child, value) { return false }
        }
        return true
    }

    private mutating func arrayValid(_ node: UnsafePointer<SchemaNode>, _ items: [Value]) -> Bool {
        items.withUnsafeBufferPointer { itemsValid(node, $0) }
    }

    private mutating func itemsValid(_ node: UnsafePointer<SchemaNode>, _ items: UnsafeBufferPointer<Value>) -> Bool {
        let count = items.count
        if let min = node.pointee.minItems, count < min { return false }
        if let max = node.pointee.maxItems, count > max { return false }
        if node.pointee.uniqueItems, count > 1 {
            for i in 1..<count {
                for j in 0..<i where JSONInstance.equal(items[i], items[j]) { return false }
            }
        }
        let prefix = node.pointee.prefixItems.count
        let item = items.baseAddress
        for i in 0..<min(prefix, count) where !valid(node.pointee.prefixItems[i], item! + i) { return false }
        if let rest = node.pointee.items, count > prefix {
            for i in prefix..<count where !valid(rest, item! + i) { return false }
        }
        if let contains = node.pointee.contains {
            let minimum = node.pointee.minContains
            let maximum = node.pointee.maxContains
            var matched = 0
            for i in 0..<count where valid(contains, item! + i) {
                matched += 1
                if maximum == nil && matched >= minimum { break }
            }
            if matched < minimum { return false }
            if let maximum, matched > maximum { return false }
        }
        return true
    }

    private mutating func applicatorsValid(_ node: UnsafePointer<SchemaNode>, _ value: UnsafePointer<Value>) -> Bool {
        if let ref = node.pointee.ref, !valid(ref, value) { return false }
        if let not = node.pointee.not, valid(not, value) { return false }
        for child in node.pointee.allOf where !valid(child, value) { return false }
        if !node.pointee.anyOf.isEmpty {
            var matched = false
            for child in node.pointee.anyOf where valid(child, value) { matched = true; break }
            if !matched { return false }
        }
        if !node.pointee.oneOf.isEmpty {
            var matched = 0
            for child in node.pointee.oneOf where valid(child, value) {
                matched += 1
                if matched > 1 { return false }
            }
            if matched == 0 { return false }
        }
        if let condition = node.pointee.ifSchema,
           let branch = valid(condition, value) ? node.pointee.thenSchema : node.pointee.elseSchema,
           !valid(branch, value) { return false }
        return true
    }
}
