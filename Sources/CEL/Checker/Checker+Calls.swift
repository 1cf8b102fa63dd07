extension CheckerRun {
    mutating func checkCall(_ e: Expr, target: Expr?, function: String, args: [Expr]) -> Expr {
        if function == "_?._", target == nil, args.count == 2 {
            return checkOptionalSelect(e, operand: args[0], fieldArg: args[1])
        }
        if function == "cel.@block", target == nil, args.count == 2, case let .list(slots, optionals) = args[0].kind {
            return checkBlock(e, slotsID: args[0].id, slots: slots, optionalIndices: optionals, result: args[1])
        }
        guard let target else {
            let newArgs = args.map { check($0) }
            guard let fn = declarations.resolveFunction(function, container: container) else {
                reportUndeclared(e.id, function)
                setType(e.id, .error)
                return Expr(id: e.id, .call(target: nil, function: function, args: newArgs))
            }
            resolveOverloadOrError(e.id, fn, target: nil, args: newArgs)
            return Expr(id: e.id, .call(target: nil, function: fn.name, args: newArgs))
        }
        // `a.b.f(x)` is either the namespaced function `a.b.f` or the member `f` on `a.b`.
        if let prefix = Self.qualifiedName(target), !isLocalRoot(prefix),
           let fn = declarations.resolveFunction(prefix + "." + function, container: container)
        {
            let newArgs = args.map { check($0) }
            resolveOverloadOrError(e.id, fn, target: nil, args: newArgs)
            return Expr(id: e.id, .call(target: nil, function: fn.name, args: newArgs))
        }
        let newTarget = check(target)
        let newArgs = args.map { check($0) }
        let rewritten = Expr(id: e.id, .call(target: newTarget, function: function, args: newArgs))
        guard let fn = declarations.resolveFunction(function, container: container) else {
            setType(e.id, .error)
            reportUndeclared(e.id, function)
            return rewritten
        }
        resolveOverloadOrError(e.id, fn, target: newTarget, args: newArgs)
        return rewritten
    }

    /// `cel.@block([e0, e1, ...], result)`: each slot may use the earlier ones as `@index<i>`, and
    /// the result all of them (the output format of cel-go's common-subexpression optimiser).
    private mutating func checkBlock(_ e: Expr, slotsID: Int64, slots: [Expr], optionalIndices: [Int],
                                     result: Expr) -> Expr {
        scopes.append([:])
        var newSlots: [Expr] = []
        for (i, slot) in slots.enumerated() {
            let checked = check(slot)
            newSlots.append(checked)
            scopes[scopes.count - 1]["@index\(i)"] = type(of: checked)
        }
        let newResult = check(result)
        scopes.removeLast()
        setType(slotsID, .list(.dyn))
        setType(e.id, substituted(type(of: newResult)))
        references[e.id] = .function(overloadIDs: ["cel_block_list"])
        let list = Expr(id: slotsID, .list(elements: newSlots, optionalIndices: optionalIndices))
        return Expr(id: e.id, .call(target: nil, function: "cel.@block", args: [list, newResult]))
    }

    /// `a.?b`, which the parser writes as `_?._(a, "b")`.
    private mutating func checkOptionalSelect(_ e: Expr, operand: Expr, fieldArg: Expr) -> Expr {
        guard case let .constant(.string(field)) = fieldArg.kind else {
            report(fieldArg.id, "unsupported optional field selection: \(fieldArg)")
            setType(e.id, .error)
            return e
        }
        let (newOperand, resultType) = checkSelectField(e.id, operand: operand, field: field, optional: true)
        setType(fieldArg.id, .string)
        setType(e.id, substituted(resultType))
        references[e.id] = .function(overloadIDs: ["select_optional_field"])
        return Expr(id: e.id, .call(target: nil, function: "_?._", args: [newOperand, fieldArg]))
    }

    private mutating func resolveOverloadOrError(_ id: Int64, _ fn: FunctionDecl, target: Expr?, args: [Expr]) {
        var argTypes: [CheckedType] = []
        if let target { argTypes.append(type(of: target)) }
        argTypes += args.map { type(of: $0) }

        // `&&` and `||` may be flattened into one call with many arguments.
        if fn.name == "_&&_" || fn.name == "_||_", target == nil,
           let overload = fn.overloads.first(where: { !$0.isMember })
        {
            var ok = true
            for (i, t) in argTypes.enumerated() where !isAssignable(t, from: .bool) {
                reportTypeMismatch(args[i].id, expected: .bool, found: t)
                ok = false
            }
            setType(id, ok ? .bool : .error)
            if ok { references[id] = .function(overloadIDs: [overload.id]) }
            return
        }

        var resultType: CheckedType?
        var matched: [String] = []
        for overload in fn.overloads where overload.isMember == (target != nil) {
            var params = overload.params
            var result = overload.result
            if !overload.typeParams.isEmpty {
                // Fresh variables per use, so two calls of a generic overload do not share bindings.
                var fresh = TypeMapping()
                for name in overload.typeParams { fresh.bind(name, newTypeVar()) }
                params = params.map { fresh.substitute($0, typeParamToDyn: false) }
                result = fresh.substitute(result, typeParamToDyn: false)
            }
            guard mapping.isAssignable(argTypes, from: params) else { continue }
            matched.append(overload.id)
            let overloadResult = substituted(result)
            if let current = resultType {
                if !current.isDyn && overloadResult != current { resultType = .dyn }
            } else {
                resultType = overloadResult
            }
        }
        guard let resultType else {
            let shown = argTypes.map { mapping.substitute($0, typeParamToDyn: true) }
            let signature: String
            if target != nil, let first = shown.first {
                signature = "\(first).(\(shown.dropFirst().map(\.description).joined(separator: ", ")))"
            } else {
                signature = "(\(shown.map(\.description).joined(separator: ", ")))"
            }
            report(id, "found no matching overload for '\(fn.name)' applied to '\(signature)'")
            setType(id, .error)
            return
        }
        setType(id, resultType)
        references[id] = .function(overloadIDs: matched)
    }
}
