/// Cerbos's filter operator names (`planner/ast.go`), defined once, and the CEL function each
/// operator stands for. CEL functions not listed keep their own name as the operator.
enum PlanOperator {
    static let and = "and", or = "or", not = "not", eq = "eq", ne = "ne", `in` = "in"
    static let list = "list", `struct` = "struct", setField = "set-field", getField = "get-field"
    static let lambda = "lambda", `if` = "if", index = "index"

    /// The operator for a CEL function name.
    static func name(ofFunction function: String) -> String {
        switch function {
        case "_==_": return eq
        case "_!=_": return ne
        case "_>_": return "gt"
        case "_>=_": return "ge"
        case "_<_": return "lt"
        case "_<=_": return "le"
        case "@in": return `in`
        case "_+_": return "add"
        case "_-_": return "sub"
        case "_*_": return "mult"
        case "_/_": return "div"
        case "_%_": return "mod"
        case "_[_]": return index
        case "_&&_": return and
        case "_||_": return or
        case "!_": return not
        case "_?_:_": return `if`
        default: return function
        }
    }
}
