import CEL

extension CerbosLibrary {
    static func hierarchy(_ v: Value) -> Value {
        switch v {
        case .object(let h as Hierarchy): return .object(h)
        case let .string(s): return .object(Hierarchy(s))
        case let .list(items):
            var segments: [String] = []
            for item in items {
                guard case let .string(s) = item else {
                    return .err("failed to convert list to string slice: type conversion error from '\(item.celType.name)' to 'string'")
                }
                segments.append(s)
            }
            return .object(Hierarchy(segments))
        default: return v.isErrorOrUnknown ? v : .noSuchOverload("hierarchy")
        }
    }

    static func hierarchyRelation(_ name: String, _ f: @escaping @Sendable (Hierarchy, Hierarchy) -> Value) -> FunctionBinding {
        let h = ArgKind.object(Hierarchy.typeName)
        return FunctionBinding(name, [.binary(name, h, h, isMember: true) { a, b in
            guard case let .object(x as Hierarchy) = a, case let .object(y as Hierarchy) = b else { return .noSuchOverload(name) }
            return f(x, y)
        }])
    }

    static var hierarchyFunctions: [FunctionBinding] {
        let h = ArgKind.object(Hierarchy.typeName)
        let size: @Sendable (Value) -> Value = { v in
            guard case let .object(x as Hierarchy) = v else { return .noSuchOverload("size") }
            return .int(Int64(x.segments.count))
        }
        return [
            FunctionBinding("hierarchy", [
                .unary("hierarchy_string", .any) { hierarchy($0) },
                .binary("hierarchy_string_string", .kind(.string), .kind(.string)) { a, b in
                    guard case let .string(s) = a, case let .string(d) = b else { return .noSuchOverload("hierarchy") }
                    return .object(Hierarchy(s, delimiter: d))
                },
                .unary("hierarchy_stringarray", .kind(.list)) { hierarchy($0) },
            ]),
            hierarchyRelation("ancestorOf") { .bool($0.isAncestor(of: $1)) },
            hierarchyRelation("descendentOf") { .bool($1.isAncestor(of: $0)) },
            hierarchyRelation("immediateChildOf") { .bool($1.isImmediateParent(of: $0)) },
            hierarchyRelation("immediateParentOf") { .bool($0.isImmediateParent(of: $1)) },
            hierarchyRelation("siblingOf") { .bool($0.isSibling(of: $1)) },
            hierarchyRelation("overlaps") { .bool($0.overlaps($1)) },
            hierarchyRelation("commonAncestors") { .object($0.commonAncestors($1)) },
            // Cerbos's hierarchy is a cel-go Sizer, so `size(h)` works too.
            FunctionBinding("size", [.unary("hierarchy_size", h, isMember: true, size), .unary("hierarchy_size_global", h, size)]),
            // `string(h)` converts as Cerbos's ConvertToType does.
            FunctionBinding("string", [.unary("hierarchy_to_string", h) { v in
                guard case let .object(x as Hierarchy) = v else { return .noSuchOverload("string") }
                return .string(x.joined)
            }]),
        ]
    }

    static var hierarchyDeclarations: [FunctionDecl] {
        let h = Hierarchy.checkedType
        let relations = ["ancestorOf", "descendentOf", "immediateChildOf", "immediateParentOf", "overlaps", "siblingOf"]
        return relations.map { FunctionDecl($0, .member($0, [h, h], .bool)) } + [
            FunctionDecl("commonAncestors", .member("commonAncestors", [h, h], h)),
            FunctionDecl("hierarchy", OverloadDecl("hierarchy_string", [.string], h),
                         OverloadDecl("hierarchy_string_string", [.string, .string], h),
                         OverloadDecl("hierarchy_stringarray", [.list(.string)], h)),
            // Cerbos declares only `h.size()`; cel-go still sizes and converts a hierarchy reached
            // through `dyn`. Declaring `size(h)` and `string(h)` is what lets the checker-narrowed
            // planner reach those implementations (slightly more permissive than Cerbos statically).
            FunctionDecl("size", .member("hierarchy_size", [h], .int), OverloadDecl("hierarchy_size_global", [h], .int)),
            FunctionDecl("string", OverloadDecl("hierarchy_to_string", [h], .string)),
            FunctionDecl("_[_]", OverloadDecl("hierarchy_index", [h, .int], .string)),
        ]
    }
}
