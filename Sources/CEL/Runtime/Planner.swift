/// Turns an `Expr` into a tree of `Interpretable`s: resolves identifiers to variable slots,
/// locals or constants with container rules, picks specialised nodes for operators, binds
/// overloads and folds constant calls.
struct Planner {
    let functions: [String: [Overload]]
    let constants: [String: Value]
    let layout: VariableLayout
    let container: String
    /// The bounds constant folding evaluates under (the program's own).
    let limits: EvaluationLimits
    /// The checker's resolutions by node id: exact variable names and candidate overload ids.
    let references: [Int64: Reference]

    private var scopes: [[String: Int]] = []
    private(set) var localCount = 0

    init(functions: [String: [Overload]], constants: [String: Value], layout: VariableLayout, container: String,
         limits: EvaluationLimits, references: [Int64: Reference] = [:]) {
        self.functions = functions; self.constants = constants; self.layout = layout
        self.container = container; self.limits = limits; self.references = references
    }

    /// Names to try for `name` in the container, most qualified first; a leading dot means root.
    func candidates(_ name: String) -> [String] {
        if name.hasPrefix(".") { return [String(name.dropFirst())] }
        guard !container.isEmpty else { return [name] }
        var out: [String] = []
        var prefix = Substring(container)
        while true {
            out.append(prefix + "." + name)
            guard let dot = prefix.lastIndex(of: ".") else { break }
            prefix = prefix[..<dot]
        }
        out.append(name)
        return out
    }

    func local(_ name: String) -> Int? {
        for scope in scopes.reversed() { if let s = scope[name] { return s } }
        return nil
    }

    /// The dotted path of an ident/select chain (`a.b.c` → ["a", "b", "c"]), nil otherwise.
    static func path(_ e: Expr) -> [String]? {
        switch e.kind {
        case let .ident(n): return [n]
        case let .select(operand, field, false):
            guard var p = path(operand) else { return nil }
            p.append(field)
            return p
        default: return nil
        }
    }

    mutating func plan(_ e: Expr) -> Interpretable {
        switch e.kind {
        case let .constant(c): return ConstNode(id: e.id, Planner.value(of: c))
        case let .ident(name):
            if case let .identifier(full)? = references[e.id] { return exact(e.id, full) }
            return resolve(e.id, [name]) ?? dynamic(e.id, [name])
        case let .select(operand, field, testOnly):
            if testOnly { return HasNode(id: e.id, operand: plan(operand), field: field) }
            if let p = Planner.path(e), local(p[0]) == nil {
                return resolve(e.id, p) ?? dynamic(e.id, p)
            }
            return SelectNode(id: e.id, operand: plan(operand), field: field)
        case let .call(target, function, args): return planCall(e.id, target, function, args)
        case let .list(elements, optionalIndices):
            let items = elements.map { plan($0) }
            if optionalIndices.isEmpty, items.allSatisfy({ $0.constantValue != nil }) {
                let values = items.map { $0.constantValue! }
                // A literal with an error element is that error, as ListNode does at run time.
                if let failed = values.first(where: { $0.isErrorOrUnknown }) { return ConstNode(id: e.id, failed) }
                return ConstNode(id: e.id, .list(values))
            }
            return ListNode(id: e.id, elements: items, optionalIndices: optionalIndices)
        case let .map(entries):
            return MapNode(id: e.id, keys: entries.map { plan($0.key) }, values: entries.map { plan($0.value) },
                           optional: entries.map(\.optional))
        case let .structure(typeName, _): return StructNode(id: e.id, typeName: typeName)
        case let .comprehension(c): return planComprehension(e.id, c)
        }
    }

    /// Resolves a qualified path: the longest prefix that names a declared variable or a
    /// constant wins; the rest of the path becomes field selections.
    mutating func resolve(_ id: Int64, _ path: [String]) -> Interpretable? {
        if path.count == 1, !path[0].hasPrefix("."), let s = local(path[0]) { return LocalNode(id: id, slot: s) }
        for n in stride(from: path.count, through: 1, by: -1) {
            let name = path[0..<n].joined(separator: ".")
            for candidate in candidates(name) {
                var node: Interpretable
                if let slot = layout.slot(of: candidate) {
                    if n < path.count {
                        return SlotPathNode(id: id, slot: slot, name: candidate, fields: Array(path[n...]))
                    }
                    node = SlotNode(id: id, slot: slot, name: candidate)
                } else if let c = constants[candidate] {
                    node = ConstNode(id: id, c)
                } else {
                    continue
                }
                for field in path[n...] { node = SelectNode(id: id, operand: node, field: field) }
                return node
            }
        }
        return nil
    }

    /// A name the checker already resolved: a declared variable or a constant, no container search.
    func exact(_ id: Int64, _ name: String) -> Interpretable {
        if let slot = layout.slot(of: name) { return SlotNode(id: id, slot: slot, name: name) }
        if let c = constants[name] { return ConstNode(id: id, c) }
        return DynamicIdentNode(id: id, candidates: [(name, [])], display: name)
    }

    func dynamic(_ id: Int64, _ path: [String]) -> Interpretable {
        var list: [(String, [String])] = []
        for n in stride(from: path.count, through: 1, by: -1) {
            let name = path[0..<n].joined(separator: ".")
            for c in candidates(name) { list.append((c, Array(path[n...]))) }
        }
        return DynamicIdentNode(id: id, candidates: list, display: path.joined(separator: "."))
    }

    mutating func planComprehension(_ id: Int64, _ c: Expr.Comprehension) -> Interpretable {
        let range = plan(c.iterRange)
        let accuSlot = newLocal()
        scopes.append([c.accuVar: accuSlot])
        let accuInit = plan(c.accuInit)
        let iterSlot = newLocal()
        var scope = [c.iterVar: iterSlot]
        var iterSlot2 = -1
        if !c.iterVar2.isEmpty {
            iterSlot2 = newLocal()
            scope[c.iterVar2] = iterSlot2
        }
        scopes.append(scope)
        if case let (kind, predicate?) = Planner.fold(of: c) {
            let step = plan(predicate)
            scopes.removeLast()
            let result = plan(c.result)
            scopes.removeLast()
            return ComprehensionNode(id: id, fold: kind, range: range, iterSlot: iterSlot, iterSlot2: iterSlot2,
                                     accuSlot: accuSlot, accuInit: accuInit,
                                     condition: ConstNode(id: c.loopCondition.id, .bool(true)), step: step, result: result)
        }
        let cond = plan(c.loopCondition)
        let step = planStep(c.loopStep, accuVar: c.accuVar, accuSlot: accuSlot)
        scopes.removeLast()
        let result = plan(c.result)
        scopes.removeLast()
        return ComprehensionNode(id: id, range: range, iterSlot: iterSlot, iterSlot2: iterSlot2, accuSlot: accuSlot,
                                 accuInit: accuInit, condition: cond, step: step, result: result)
    }

    /// Recognises the folds of `all` and `exists` (as the macros expand them, in one- and
    /// two-variable form): the predicate, or nil for any other comprehension. Only when the
    /// loop variables and the predicate leave the accumulator alone, so that fusing the
    /// condition and step into the loop (see `ComprehensionNode.Fold`) cannot change a result.
    static func fold(of c: Expr.Comprehension) -> (ComprehensionNode.Fold, Expr?) {
        let accu = c.accuVar
        guard c.iterVar != accu, c.iterVar2 != accu, case .ident(accu) = c.result.kind,
              case let .call(nil, "@not_strictly_false", condArgs) = c.loopCondition.kind, condArgs.count == 1,
              case let .call(nil, op, stepArgs) = c.loopStep.kind, stepArgs.count == 2,
              case .ident(accu) = stepArgs[0].kind, !mentions(stepArgs[1], accu) else { return (.general, nil) }
        switch (op, c.accuInit.kind, condArgs[0].kind) {
        case ("_&&_", .constant(.bool(true)), .ident(accu)):
            return (.all, stepArgs[1])
        case let ("_||_", .constant(.bool(false)), .call(nil, "!_", notArgs)):
            guard notArgs.count == 1, case .ident(accu) = notArgs[0].kind else { return (.general, nil) }
            return (.exists, stepArgs[1])
        default:
            return (.general, nil)
        }
    }

    /// Whether `e` refers to the identifier `name` anywhere.
    static func mentions(_ e: Expr, _ name: String) -> Bool {
        switch e.kind {
        case .constant: return false
        case let .ident(n): return n == name
        case let .select(operand, _, _): return mentions(operand, name)
        case let .call(target, _, args):
            if let target, mentions(target, name) { return true }
            return args.contains { mentions($0, name) }
        case let .list(elements, _): return elements.contains { mentions($0, name) }
        case let .map(entries): return entries.contains { mentions($0.key, name) || mentions($0.value, name) }
        case let .structure(_, fields): return fields.contains { mentions($0.value, name) }
        case let .comprehension(inner):
            return mentions(inner.iterRange, name) || mentions(inner.accuInit, name) || mentions(inner.loopCondition, name)
                || mentions(inner.loopStep, name) || mentions(inner.result, name)
        }
    }

    /// Plans a loop step, turning `accu + [x]` (directly or in a ternary branch) into an
    /// in-place append.
    mutating func planStep(_ e: Expr, accuVar: String, accuSlot: Int) -> Interpretable {
        if case let .call(nil, "_+_", args) = e.kind, args.count == 2, case .ident(accuVar) = args[0].kind,
           case .list = args[1].kind, local(accuVar) == accuSlot {
            return AccumulateNode(id: e.id, accuSlot: accuSlot, elements: plan(args[1]))
        }
        if case let .call(nil, "_?_:_", args) = e.kind, args.count == 3 {
            return TernaryNode(id: e.id, plan(args[0]), planStep(args[1], accuVar: accuVar, accuSlot: accuSlot),
                               planStep(args[2], accuVar: accuVar, accuSlot: accuSlot))
        }
        return plan(e)
    }

    mutating func newLocal() -> Int {
        localCount += 1
        return localCount - 1
    }

    static func value(of c: Expr.Constant) -> Value {
        switch c {
        case .null: return .null
        case let .bool(b): return .bool(b)
        case let .int(i): return .int(i)
        case let .uint(u): return .uint(u)
        case let .double(d): return .double(d)
        case let .string(s): return .string(s)
        case let .bytes(b): return .bytes(b)
        }
    }
}
