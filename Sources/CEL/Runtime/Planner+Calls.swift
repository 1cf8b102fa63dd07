extension Planner {
    /// Plans a global or member call: operators get dedicated nodes, qualified function names
    /// (`math.greatest(...)` written as a member call on `math`) resolve to global functions,
    /// everything else binds the library overloads of the right arity.
    mutating func planCall(_ id: Int64, _ target: Expr?, _ function: String, _ args: [Expr]) -> Interpretable {
        let checked: Bool
        if case .function? = references[id] { checked = true } else { checked = false }
        if !checked, let target, let p = Planner.path(target), local(p[0]) == nil, layout.slot(of: p[0]) == nil {
            let qualified = p.joined(separator: ".") + "." + function
            for c in candidates(qualified) where functions[c] != nil {
                return planFunction(id, c, args)
            }
        }
        if target == nil, let node = planOperator(id, function, args) { return node }
        if let target, args.count == 1, function == "or" || function == "orValue" {
            // Each operand is planned once and shared with the fallback (no exponential re-planning).
            let t = plan(target), a = plan(args[0])
            let overloads = (functions[function] ?? []).filter { $0.params.count == 2 }
            let fallback = overloads.isEmpty ? UnboundCallNode(id: id, name: function, args: [t, a])
                : callNode(id, function, [t, a], overloads)
            return OptionalOrNode(id: id, target: t, alternative: a, unwrapsValue: function == "orValue",
                                  fallback: fallback)
        }
        var all = args
        if let target { all.insert(target, at: 0) }
        if target == nil, !checked {
            for c in candidates(function) where functions[c] != nil { return planFunction(id, c, all) }
        }
        return planFunction(id, function, all)
    }

    mutating func planOperator(_ id: Int64, _ function: String, _ args: [Expr]) -> Interpretable? {
        switch (function, args.count) {
        case ("_&&_", 2): return AndNode(id: id, plan(args[0]), plan(args[1]))
        case ("_||_", 2): return OrNode(id: id, plan(args[0]), plan(args[1]))
        case ("_?_:_", 3): return TernaryNode(id: id, plan(args[0]), plan(args[1]), plan(args[2]))
        case ("@not_strictly_false", 1), ("__not_strictly_false__", 1): return NotStrictlyFalseNode(id: id, plan(args[0]))
        case ("_==_", 2): return equality(id, plan(args[0]), plan(args[1]), negate: false)
        case ("_!=_", 2): return equality(id, plan(args[0]), plan(args[1]), negate: true)
        case ("_<_", 2): return RelationNode(id: id, plan(args[0]), plan(args[1]), op: .lt)
        case ("_<=_", 2): return RelationNode(id: id, plan(args[0]), plan(args[1]), op: .le)
        case ("_>_", 2): return RelationNode(id: id, plan(args[0]), plan(args[1]), op: .gt)
        case ("_>=_", 2): return RelationNode(id: id, plan(args[0]), plan(args[1]), op: .ge)
        case ("@in", 2):
            let elem = plan(args[0]), container = plan(args[1])
            if let c = elem.constantValue, !c.isErrorOrUnknown, container.constantValue == nil {
                return ConstantInNode(id: id, c, container)
            }
            return InNode(id: id, elem, container)
        case ("_[_]", 2): return IndexNode(id: id, operand: plan(args[0]), index: plan(args[1]), optional: false)
        case ("_[?_]", 2): return IndexNode(id: id, operand: plan(args[0]), index: plan(args[1]), optional: true)
        case ("_?._", 2):
            guard case let .constant(.string(field)) = args[1].kind else { return nil }
            return OptionalSelectNode(id: id, operand: plan(args[0]), field: field)
        default: return nil
        }
    }

    /// `==` or `!=`, with a dedicated node when exactly one side is a proper constant.
    func equality(_ id: Int64, _ lhs: Interpretable, _ rhs: Interpretable, negate: Bool) -> Interpretable {
        switch (lhs.constantValue, rhs.constantValue) {
        case let (nil, c?) where !c.isErrorOrUnknown:
            return ConstantEqualityNode(id: id, lhs, c, constantOnLeft: false, negate: negate)
        case let (c?, nil) where !c.isErrorOrUnknown:
            return ConstantEqualityNode(id: id, rhs, c, constantOnLeft: true, negate: negate)
        default:
            return EqualityNode(id: id, lhs, rhs, negate: negate)
        }
    }

    mutating func planFunction(_ id: Int64, _ name: String, _ args: [Expr]) -> Interpretable {
        let argNodes = args.map { plan($0) }
        var overloads = (functions[name] ?? []).filter { $0.params.count == argNodes.count }
        if case let .function(ids)? = references[id] {
            let narrowed = overloads.filter { ids.contains($0.id) }
            if !narrowed.isEmpty { overloads = narrowed }
        }
        guard !overloads.isEmpty else { return UnboundCallNode(id: id, name: name, args: argNodes) }
        let constants = argNodes.map(\.constantValue)
        if overloads.count == 1, let spec = overloads[0].specialize, let impl = spec(constants) {
            overloads[0].implementation = impl
        }
        let node = callNode(id, name, argNodes, overloads)
        // Fold calls whose arguments are all constants, unless a host function reads the activation.
        if !argNodes.isEmpty, constants.allSatisfy({ $0 != nil }), !overloads.contains(where: {
            if case .withActivation = $0.implementation { return true }
            return false
        }) {
            let empty = Activation(layout: VariableLayout(names: []))
            let folded = withUnsafePointer(to: empty) { pointer in
                Frame.with(pointer, slots: UnsafeBufferPointer(start: nil, count: 0), localCount: 0, limits: limits) { frame in
                    node.eval(&frame)
                }
            }
            return ConstNode(id: id, folded)
        }
        return node
    }

    func callNode(_ id: Int64, _ name: String, _ args: [Interpretable], _ overloads: [Overload]) -> Interpretable {
        let strict = !overloads.contains { $0.isNonStrict }
        // A single overload hands its closure over straight from the enum payload: going
        // through an array of closures would store it at the generic abstraction and add a
        // reabstraction thunk (arguments spilled to memory) to every call.
        if strict && overloads.count == 1 {
            switch overloads[0].implementation {
            case let .unary(fn) where args.count == 1:
                return UnaryCallNode(id: id, name: name, arg: args[0], param: overloads[0].params[0], fn: fn)
            case let .binary(fn) where args.count == 2:
                return BinaryCallNode(id: id, name: name, lhs: args[0], rhs: args[1], p: overloads[0].params[0],
                                      q: overloads[0].params[1], fn: fn)
            case let .budgetedUnary(fn) where args.count == 1:
                return BudgetedUnaryCallNode(id: id, name: name, arg: args[0], param: overloads[0].params[0], fn: fn)
            case let .budgetedBinary(fn) where args.count == 2:
                return BudgetedBinaryCallNode(id: id, name: name, lhs: args[0], rhs: args[1], p: overloads[0].params[0],
                                              q: overloads[0].params[1], fn: fn)
            default: break
            }
        }
        if strict && args.count == 1 {
            let fns = overloads.compactMap { UnaryFunction($0.implementation) }
            if fns.count == overloads.count {
                return UnaryDispatchNode(id: id, name: name, arg: args[0], params: overloads.map { $0.params[0] }, fns: fns)
            }
        }
        if strict && args.count == 2 {
            let fns = overloads.compactMap { BinaryFunction($0.implementation) }
            if fns.count == overloads.count {
                return BinaryDispatchNode(id: id, name: name, lhs: args[0], rhs: args[1], ps: overloads.map { $0.params[0] },
                                          qs: overloads.map { $0.params[1] }, fns: fns)
            }
        }
        return DispatchCallNode(id: id, name: name, args: args, overloads: overloads)
    }
}
