import CEL

/// The state of one validation: the errors so far, the instance path, the dynamic scope.
/// Lives on the stack of `JSONSchema.validate`; nodes are read in place through a pointer
/// into the schema's table (copying a node out would retain each of its arrays).
struct SchemaValidation {
    let schema: JSONSchema
    let nodes: UnsafePointer<SchemaNode>
    /// Whether errors are recorded; without it validation stops at the first failure.
    let collect: Bool
    var errors: [SchemaValidationError] = []
    /// Instance path tokens as they are (escaped only for a message), kept only when collecting.
    var path: [String] = []
    var dynamicScope: [Int] = []
    var depth = 0

    /// Subschema applications deeper than this are a schema that loops without consuming input
    /// (such as `{"$ref": "#"}`), reported as an error instead of exhausting the stack.
    static let maxDepth = 512

    init(schema: JSONSchema, nodes: UnsafePointer<SchemaNode>, collect: Bool) {
        self.schema = schema
        self.nodes = nodes
        self.collect = collect
    }

    mutating func fail(_ message: @autoclosure () -> String) {
        guard collect else { return }
        errors.append(SchemaValidationError(instanceLocation: instanceLocation, message: message()))
    }

    var instanceLocation: String {
        path.isEmpty ? "" : "/" + path.map(InstancePath.escape).joined(separator: "/")
    }

    /// Validates `value` against `index` applied to a member or item at `token`.
    mutating func validateChild(_ index: Int, _ value: Value, token: @autoclosure () -> String) -> Bool {
        var none: SchemaAnnotations?
        guard collect else { return validate(index, value, &none) }
        path.append(token())
        defer { path.removeLast() }
        return validate(index, value, &none)
    }

    /// Validates `value` in place against another schema; its annotations are merged into
    /// `into` only when it passes.
    mutating func validateInPlace(_ index: Int, _ value: Value, into annotations: inout SchemaAnnotations?) -> Bool {
        guard annotations != nil else { return validate(index, value, &annotations) }
        var sub: SchemaAnnotations? = SchemaAnnotations()
        let valid = validate(index, value, &sub)
        if valid, let sub { annotations!.merge(sub) }
        return valid
    }

    /// Validates `value` against node `index`, adding what it evaluated to `annotations` when
    /// the caller collects them.
    mutating func validate(_ index: Int, _ value: Value, _ annotations: inout SchemaAnnotations?) -> Bool {
        let node = nodes + index
        if let always = node.pointee.always {
            if !always { fail("not allowed") }
            return always
        }
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth {
            fail("schema \(node.pointee.location) applies itself without end")
            return false
        }
        var pushed = false
        if schema.usesDynamicScope, dynamicScope.last != node.pointee.resource {
            dynamicScope.append(node.pointee.resource)
            pushed = true
        }
        defer { if pushed { dynamicScope.removeLast() } }

        var mine: SchemaAnnotations? = annotations != nil || node.pointee.needsAnnotations ? SchemaAnnotations() : nil
        var valid = true

        if let types = node.pointee.types, !JSONInstance.matches(value, types) {
            fail("expected \(node.pointee.typeNames.joined(separator: " or ")), but got \(JSONInstance.typeName(value))")
            return false
        }
        if let constant = node.pointee.constValue, !JSONInstance.equal(value, constant) {
            valid = false
            switch constant {
            case .map, .list: fail("const failed")
            default: fail("value must be \(GoText.goSyntax(constant))")
            }
            if !collect { return false }
        }
        if let values = node.pointee.enumValues, !values.contains(where: { JSONInstance.equal(value, $0) }) {
            valid = false
            fail(node.pointee.enumMessage)
            if !collect { return false }
        }
        if let format = node.pointee.format, !format.accepts(value) {
            valid = false
            let shown: String
            if case let .string(s) = value { shown = GoText.quote(s) } else { shown = GoText.value(value) }
            fail("\(shown) is not valid \(GoText.quote(node.pointee.formatName))")
            if !collect { return false }
        }

        switch value {
        case let .map(object):
            valid = validateObject(node, object, &mine) && valid
        case let .list(items):
            valid = validateArray(node, items, &mine) && valid
        case let .string(s):
            valid = validateString(node, s) && valid
        default:
            if let n = JSONInstance.number(value) { valid = validateNumber(node, n, value) && valid }
        }
        if !valid && !collect { return false }

        valid = validateApplicators(node, value, &mine) && valid
        if !valid && !collect { return false }

        if node.pointee.needsAnnotations {
            valid = validateUnevaluated(node, value, &mine) && valid
        }
        if valid, annotations != nil, let mine { annotations!.merge(mine) }
        return valid
    }

    private mutating func validateString(_ node: UnsafePointer<SchemaNode>, _ s: String) -> Bool {
        var valid = true
        if node.pointee.minLength != nil || node.pointee.maxLength != nil {
            let length = s.unicodeScalars.count
            if let min = node.pointee.minLength, length < min {
                fail("length must be >= \(min), but got \(length)")
                valid = false
            }
            if let max = node.pointee.maxLength, length > max {
                fail("length must be <= \(max), but got \(length)")
                valid = false
            }
        }
        if let pattern = node.pointee.pattern, !SchemaNode.pattern(of: node, matches: s) {
            fail("does not match pattern \(GoText.quote(pattern.pattern))")
            valid = false
        }
        return valid
    }

    private mutating func validateNumber(_ node: UnsafePointer<SchemaNode>, _ n: Double, _ value: Value) -> Bool {
        var valid = true
        if let m = node.pointee.minimum, n < m { fail("must be >= \(GoText.number(m)) but found \(GoText.value(value))"); valid = false }
        if let m = node.pointee.exclusiveMinimum, n <= m { fail("must be > \(GoText.number(m)) but found \(GoText.value(value))"); valid = false }
        if let m = node.pointee.maximum, n > m { fail("must be <= \(GoText.number(m)) but found \(GoText.value(value))"); valid = false }
        if let m = node.pointee.exclusiveMaximum, n >= m { fail("must be < \(GoText.number(m)) but found \(GoText.value(value))"); valid = false }
        if let m = node.pointee.multipleOf, !Self.isMultiple(n, of: m) {
            fail("\(GoText.value(value)) not multipleOf \(GoText.number(m))")
            valid = false
        }
        return valid
    }

    /// Whether `n / m` is an integer, allowing for the rounding of decimal fractions in binary
    /// (0.0075 is a multiple of 0.0001 though the double quotient is 74.99999999999999).
    static func isMultiple(_ n: Double, of m: Double) -> Bool {
        let q = n / m
        if !q.isFinite { return false }
        let r = q.rounded()
        return r == q || abs(q - r) <= 1e-9 * max(1, abs(q))
    }
}
