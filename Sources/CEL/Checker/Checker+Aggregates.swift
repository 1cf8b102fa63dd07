extension CheckerRun {
    mutating func checkList(_ e: Expr, elements: [Expr], optionalIndices: [Int]) -> Expr {
        let optional = Set(optionalIndices)
        var elemsType: CheckedType?
        var newElements: [Expr] = []
        for (i, element) in elements.enumerated() {
            let checked = check(element)
            newElements.append(checked)
            var t = type(of: checked)
            if optional.contains(i) { t = unwrapOptionalEntry(checked.id, t) }
            elemsType = join(checked.id, elemsType, t)
        }
        setType(e.id, .list(elemsType ?? newTypeVar()))
        return Expr(id: e.id, .list(elements: newElements, optionalIndices: optionalIndices))
    }

    mutating func checkMap(_ e: Expr, entries: [Expr.MapEntry]) -> Expr {
        var keyType: CheckedType?
        var valueType: CheckedType?
        var newEntries: [Expr.MapEntry] = []
        for entry in entries {
            let key = check(entry.key)
            keyType = join(key.id, keyType, type(of: key))
            let value = check(entry.value)
            var t = type(of: value)
            if entry.optional { t = unwrapOptionalEntry(value.id, t) }
            valueType = join(value.id, valueType, t)
            newEntries.append(Expr.MapEntry(id: entry.id, key: key, value: value, optional: entry.optional))
        }
        setType(e.id, .map(keyType ?? newTypeVar(), valueType ?? newTypeVar()))
        return Expr(id: e.id, .map(entries: newEntries))
    }

    /// `?x` in a literal must be an optional; the entry contributes the wrapped type.
    private mutating func unwrapOptionalEntry(_ id: Int64, _ t: CheckedType) -> CheckedType {
        if let inner = t.optionalElement { return inner }
        if !t.isDyn { reportTypeMismatch(id, expected: .optional(t), found: t) }
        return t
    }

    /// The common type of literal elements; heterogeneous literals are `dyn` (cel-go's default).
    private mutating func join(_ id: Int64, _ previous: CheckedType?, _ current: CheckedType) -> CheckedType {
        guard let previous else { return current }
        if isAssignable(previous, from: current) { return TypeMapping.mostGeneral(previous, current) }
        return .dyn
    }

    mutating func checkStruct(_ e: Expr, typeName: String, fields: [Expr.FieldEntry]) -> Expr {
        guard let decl = declarations.resolveIdentifier(typeName, container: container) else {
            reportUndeclared(e.id, typeName)
            setType(e.id, .error)
            let newFields = fields.map { f in
                Expr.FieldEntry(id: f.id, field: f.field, value: check(f.value), optional: f.optional)
            }
            return Expr(id: e.id, .structure(typeName: typeName, fields: newFields))
        }
        let fullName = decl.name
        references[e.id] = .identifier(fullName)
        var resultType = CheckedType.error
        var messageName: String?
        if case let .type(inner) = decl.type {
            switch inner {
            case let .message(name)?:
                resultType = .message(name)
                messageName = name
            case let wellKnown? where CheckedType.wellKnown(fullName) == wellKnown:
                // Well-known types may be built by their protobuf name (`google.protobuf.Int64Value{value: 1}`).
                resultType = wellKnown
                messageName = fullName
            default:
                report(e.id, "'\(inner ?? .type(nil))' is not a message type")
            }
        } else if decl.type != .error {
            report(e.id, "'\(decl.type)' is not a type")
        }
        setType(e.id, resultType)
        var newFields: [Expr.FieldEntry] = []
        for f in fields {
            let value = check(f.value)
            newFields.append(Expr.FieldEntry(id: f.id, field: f.field, value: value, optional: f.optional))
            var fieldType = CheckedType.error
            if let messageName, let t = lookupFieldType(f.id, messageName: messageName, field: f.field) {
                fieldType = t
            }
            var valueType = type(of: value)
            if f.optional { valueType = unwrapOptionalEntry(value.id, valueType) }
            if !isAssignable(fieldType, from: valueType) {
                report(f.id, "expected type of field '\(f.field)' is '\(substituted(fieldType))' but provided type is '\(substituted(valueType))'")
            }
        }
        return Expr(id: e.id, .structure(typeName: fullName, fields: newFields))
    }

    mutating func checkComprehension(_ e: Expr, _ comp: Expr.Comprehension) -> Expr {
        let range = check(comp.iterRange)
        let accuInit = check(comp.accuInit)
        let rangeType = substituted(type(of: range))
        let accuType = type(of: accuInit)
        scopes.append([comp.accuVar: accuType])

        let twoVars = !comp.iterVar2.isEmpty
        var varType: CheckedType
        var var2Type: CheckedType = .error
        switch rangeType {
        case let .list(elem):
            varType = twoVars ? .int : elem
            var2Type = elem
        case let .map(key, value):
            varType = key
            var2Type = value
        case .dyn, .any, .error, .typeParam:
            _ = isAssignable(.dyn, from: rangeType)
            varType = .dyn
            var2Type = .dyn
        default:
            report(range.id, "expression of type '\(rangeType)' cannot be range of a comprehension (must be list, map, or dynamic)")
            varType = .error
        }

        var loopScope = [comp.iterVar: varType]
        if twoVars { loopScope[comp.iterVar2] = var2Type }
        scopes.append(loopScope)
        let condition = check(comp.loopCondition)
        assertType(condition, .bool)
        let step = check(comp.loopStep)
        assertType(step, accuType)
        scopes.removeLast()
        let result = check(comp.result)
        scopes.removeLast()
        setType(e.id, substituted(type(of: result)))

        var newComp = comp
        newComp.iterRange = range
        newComp.accuInit = accuInit
        newComp.loopCondition = condition
        newComp.loopStep = step
        newComp.result = result
        return Expr(id: e.id, .comprehension(newComp))
    }

    private mutating func assertType(_ e: Expr, _ expected: CheckedType) {
        let actual = type(of: e)
        if !isAssignable(expected, from: actual) {
            reportTypeMismatch(e.id, expected: expected, found: actual)
        }
    }
}
