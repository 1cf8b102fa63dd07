/// A parse-time rewrite of a call, like cel-go's macros: `list.all(x, p)` becomes a
/// comprehension before the checker or the interpreter ever see it.
public struct Macro: Sendable {
    /// Whether the macro matches a global call `f(...)` or a member call `target.f(...)`.
    public enum Style: Sendable, Hashable {
        case global
        case receiver
    }

    /// How many arguments the call must have for the macro to apply.
    public enum Arity: Sendable, Hashable {
        case fixed(Int)
        /// Any number; the expander checks the count itself.
        case varargs
    }

    /// Builds the replacement of a matching call. Receives a node factory, the call's target
    /// (nil for global calls) and its arguments. Returns nil to leave the call as it is (for
    /// example `x.bind(...)` where `x` is not `cel`); throws `MacroError` to report misuse.
    public typealias Expander = @Sendable (MacroExprFactory, Expr?, [Expr]) throws -> Expr?

    /// Function name the macro matches (`all`, `has`, `bind` ...).
    public var name: String
    /// Global or receiver style.
    public var style: Style
    /// Argument count the macro matches.
    public var arity: Arity
    /// The rewrite.
    public var expander: Expander

    public init(name: String, style: Style, arity: Arity, expander: @escaping Expander) {
        self.name = name
        self.style = style
        self.arity = arity
        self.expander = expander
    }

    /// A global macro with a fixed argument count.
    public static func global(_ name: String, argCount: Int, _ expander: @escaping Expander) -> Macro {
        Macro(name: name, style: .global, arity: .fixed(argCount), expander: expander)
    }

    /// A receiver macro with a fixed argument count.
    public static func receiver(_ name: String, argCount: Int, _ expander: @escaping Expander) -> Macro {
        Macro(name: name, style: .receiver, arity: .fixed(argCount), expander: expander)
    }

    /// A receiver macro taking any number of arguments.
    public static func receiverVarargs(_ name: String, _ expander: @escaping Expander) -> Macro {
        Macro(name: name, style: .receiver, arity: .varargs, expander: expander)
    }

    /// Lookup key, as cel-go forms it: `name:count:receiver` or `name:*:receiver`.
    var key: String {
        Self.key(name: name, argCount: arity.fixedCount, receiver: style == .receiver)
    }

    static func key(name: String, argCount: Int?, receiver: Bool) -> String {
        "\(name):\(argCount.map(String.init) ?? "*"):\(receiver)"
    }
}

extension Macro.Arity {
    var fixedCount: Int? {
        if case .fixed(let count) = self { return count }
        return nil
    }
}

/// A misuse of a macro (`has(a)`, `all(1, p)` ...), reported at the node `exprID`.
public struct MacroError: Error, Sendable, Hashable {
    public var message: String
    public var exprID: Int64

    public init(message: String, exprID: Int64) {
        self.message = message
        self.exprID = exprID
    }
}
