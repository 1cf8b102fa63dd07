import CEL
import OrderedCollections

extension SchemaValidation {
    mutating func validateObject(_ node: UnsafePointer<SchemaNode>, _ object: MapValue,
                                 _ annotations: inout SchemaAnnotations?) -> Bool {
        var valid = true
        let count = object.count
        if let min = node.pointee.minProperties, count < min {
            fail("minimum \(min) properties allowed, but found \(count) properties"); valid = false
        }
        if let max = node.pointee.maxProperties, count > max {
            fail("maximum \(max) properties allowed, but found \(count) properties"); valid = false
        }
        // One walk over the object serves `properties` and `required` (a hash lookup per member
        // instead of a map lookup per declared property); a missing required property is reported
        // as one message in `required`'s order, ahead of the property errors as Cerbos's validator
        // orders them.
        var missingRequired = false
        let requiredErrorAt = errors.count
        if !node.pointee.properties.isEmpty {
            var requiredSeen = 0
            for (key, member) in object.storage {
                guard case let .string(name) = key, let i = node.pointee.propertyTable.index(of: name) else { continue }
                let (child, required) = (node.pointee.propertyNodes[i], node.pointee.propertyRequired[i])
                if required { requiredSeen += 1 }
                annotations?.properties.insert(name)
                if !validateChild(child, member, token: name) {
                    valid = false
                    if !collect { return false }
                }
            }
            if requiredSeen < node.pointee.requiredDeclaredCount {
                missingRequired = true
                if !collect { return false }
            }
        }
        for key in node.pointee.requiredOutsideProperties where object[key] == nil {
            missingRequired = true
            if !collect { return false }
        }
        if missingRequired {
            let missing = node.pointee.required.filter { object[string: $0] == nil }.map(GoText.quote)
            fail("missing properties: \(missing.joined(separator: ", "))")
            errors.insert(errors.removeLast(), at: requiredErrorAt)
            valid = false
        }
        if let names = node.pointee.propertyNames {
            for (key, _) in object.storage {
                guard case let .string(name) = key else { continue }
                if !validateChild(names, .string(name), token: name) {
                    valid = false
                    if !collect { return false }
                }
            }
        }
        let patterns = node.pointee.patternProperties
        let additional = node.pointee.additionalProperties
        if !patterns.isEmpty || additional != nil {
            var notAllowed: [String] = []
            for (key, member) in object.storage {
                guard case let .string(name) = key else { continue }
                var matched = node.pointee.propertyTable.contains(name)
                for (regex, child) in patterns where regex.matches(name) {
                    matched = true
                    annotations?.properties.insert(name)
                    if !validateChild(child, member, token: name) {
                        valid = false
                        if !collect { return false }
                    }
                }
                guard !matched, let additional else { continue }
                if nodes[additional].always == false {
                    if !collect { return false }
                    notAllowed.append(GoText.quote(name))
                    valid = false
                } else if !validateChild(additional, member, token: name) {
                    valid = false
                    if !collect { return false }
                }
            }
            if !notAllowed.isEmpty { fail("additionalProperties \(notAllowed.joined(separator: ", ")) not allowed") }
            if additional != nil { annotations?.allProperties = true }
        }
        for (property, required) in node.pointee.dependentRequired where object[string: property] != nil {
            for name in required where object[string: name] == nil {
                fail("property \(GoText.quote(name)) is required, if \(GoText.quote(property)) property exists")
                valid = false
                if !collect { return false }
            }
        }
        for (property, child) in node.pointee.dependentSchemas where object[string: property] != nil {
            if !validateInPlace(child, .map(object), into: &annotations) {
                valid = false
                if !collect { return false }
            }
        }
        return valid
    }

    mutating func validateArray(_ node: UnsafePointer<SchemaNode>, _ items: [Value],
                                _ annotations: inout SchemaAnnotations?) -> Bool {
        var valid = true
        let count = items.count
        if let min = node.pointee.minItems, count < min {
            fail("minimum \(min) items required, but found \(count) items"); valid = false
        }
        if let max = node.pointee.maxItems, count > max {
            fail("maximum \(max) items required, but found \(count) items"); valid = false
        }
        if node.pointee.uniqueItems, count > 1 {
            for i in 1..<count {
                for j in 0..<i where JSONInstance.equal(items[i], items[j]) {
                    fail("items at index \(j) and \(i) are equal")
                    valid = false
                }
            }
        }
        if !valid && !collect { return false }

        let prefix = node.pointee.prefixItems
        for i in 0..<min(prefix.count, count) where !validateChild(prefix[i], items[i], token: String(i)) {
            valid = false
            if !collect { return false }
        }
        if annotations != nil { annotations!.itemsPrefix = max(annotations!.itemsPrefix, min(prefix.count, count)) }
        if let rest = node.pointee.items, count > prefix.count {
            if node.pointee.itemsKeyword == "additionalItems" && nodes[rest].always == false {
                fail("only \(prefix.count) items are allowed, but found \(count) items")
                valid = false
                if !collect { return false }
            } else {
                for i in prefix.count..<count where !validateChild(rest, items[i], token: String(i)) {
                    valid = false
                    if !collect { return false }
                }
            }
            annotations?.allItems = true
        }
        if let contains = node.pointee.contains {
            let before = errors.count
            var matched = 0
            for i in 0..<count {
                if validateChild(contains, items[i], token: String(i)) {
                    matched += 1
                    annotations?.items.insert(i)
                }
            }
            let minimum = node.pointee.minContains
            if matched >= minimum, collect { errors.removeSubrange(before...) }
            if matched < minimum {
                if errors.count == before { fail("valid must be >= \(minimum), but got \(matched)") }
                valid = false
            }
            if let maximum = node.pointee.maxContains, matched > maximum {
                fail("valid must be <= \(maximum), but got \(matched)")
                valid = false
            }
        }
        return valid
    }

    mutating func validateApplicators(_ node: UnsafePointer<SchemaNode>, _ value: Value,
                                      _ annotations: inout SchemaAnnotations?) -> Bool {
        var valid = true
        if let ref = node.pointee.ref, !validateInPlace(ref, value, into: &annotations) {
            valid = false
            if !collect { return false }
        }
        if let (target, anchor) = node.pointee.dynamicRef {
            var resolved = target
            if let anchor {
                for resource in dynamicScope {
                    if let found = schema.dynamicAnchors[resource][anchor] { resolved = found; break }
                }
            }
            if !validateInPlace(resolved, value, into: &annotations) {
                valid = false
                if !collect { return false }
            }
        }
        if let not = node.pointee.not {
            let before = errors.count
            var none: SchemaAnnotations?
            let notValid = validate(not, value, &none)
            if collect { errors.removeSubrange(before...) }
            if notValid {
                fail("not failed")
                valid = false
                if !collect { return false }
            }
        }
        for child in node.pointee.allOf where !validateInPlace(child, value, into: &annotations) {
            valid = false
            if !collect { return false }
        }
        if !node.pointee.anyOf.isEmpty {
            let before = errors.count
            var matched = false
            for child in node.pointee.anyOf {
                if validateInPlace(child, value, into: &annotations) {
                    matched = true
                    // Every passing branch counts for unevaluated*; otherwise one is enough.
                    if annotations == nil { break }
                }
            }
            if matched {
                if collect { errors.removeSubrange(before...) }
            } else {
                valid = false
                if !collect { return false }
            }
        }
        if !node.pointee.oneOf.isEmpty {
            let before = errors.count
            var first: Int?
            var second: Int?
            for (i, child) in node.pointee.oneOf.enumerated() {
                var sub: SchemaAnnotations? = annotations == nil ? nil : SchemaAnnotations()
                if validate(child, value, &sub) {
                    if first == nil {
                        first = i
                        if let sub { annotations!.merge(sub) }
                    } else {
                        second = i
                        break
                    }
                }
            }
            if first != nil, collect { errors.removeSubrange(before...) }
            if let first, let second {
                fail("valid against schemas at indexes \(first) and \(second)")
                valid = false
            } else if first == nil {
                valid = false
            }
            if !valid && !collect { return false }
        }
        if let condition = node.pointee.ifSchema {
            let before = errors.count
            let holds = validateInPlace(condition, value, into: &annotations)
            if collect { errors.removeSubrange(before...) }
            if let branch = holds ? node.pointee.thenSchema : node.pointee.elseSchema,
               !validateInPlace(branch, value, into: &annotations) {
                valid = false
            }
        }
        return valid
    }

    mutating func validateUnevaluated(_ node: UnsafePointer<SchemaNode>, _ value: Value,
                                      _ annotations: inout SchemaAnnotations?) -> Bool {
        guard let seen = annotations else { return true }
        var valid = true
        switch value {
        case let .map(object):
            guard let child = node.pointee.unevaluatedProperties else { return true }
            for (key, member) in object.storage {
                guard case let .string(name) = key, !seen.evaluated(property: name) else { continue }
                if !validateChild(child, member, token: name) {
                    valid = false
                    if !collect { return false }
                }
            }
            annotations!.allProperties = true
        case let .list(items):
            guard let child = node.pointee.unevaluatedItems else { return true }
            for i in items.indices where !seen.evaluated(item: i) {
                if !validateChild(child, items[i], token: String(i)) {
                    valid = false
                    if !collect { return false }
                }
            }
            annotations!.allItems = true
        default:
            break
        }
        return valid
    }
}

/// Instance-location tokens written the way santhosh-tekuri/jsonschema writes them: JSON
/// pointer escapes, then Go's `url.PathEscape`.
enum InstancePath {
    static func escape(_ token: String) -> String {
        let pointer = JSONPointer.escape(token)
        var needs = false
        for b in pointer.utf8 where !allowed(b) { needs = true; break }
        guard needs else { return pointer }
        var out = ""
        for b in pointer.utf8 {
            if allowed(b) {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(b >> 4)], hex[Int(b & 15)]], as: UTF8.self)
            }
        }
        return out
    }

    private static func allowed(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: "$"), UInt8(ascii: "&"),
             UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: "@"):
            return true
        default:
            return false
        }
    }
}
