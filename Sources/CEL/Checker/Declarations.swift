/// A declared variable (or constant identifier) and its type.
public struct VariableDecl: Sendable, Hashable {
    /// Fully-qualified name, e.g. `request` or `x.y`.
    public var name: String
    /// The variable's static type (`dyn` when only known at run time).
    public var type: CheckedType
    /// Declares `name` with `type`.
    public init(_ name: String, _ type: CheckedType) { self.name = name; self.type = type }
}

/// One signature of a function. Member overloads take the receiver as their first parameter.
public struct OverloadDecl: Sendable, Hashable {
    /// Unique overload id, e.g. `add_int64` or `size_string`; the runtime binds implementations by it.
    public var id: String
    /// Parameter types, the receiver first for member overloads.
    public var params: [CheckedType]
    /// Result type; may mention the type parameters.
    public var result: CheckedType
    /// True for `target.f(args)` style overloads.
    public var isMember: Bool
    /// Names of the type variables the signature is generic over (`A`, `B` ...).
    public var typeParams: [String]

    /// Declares an overload; the type parameters default to those occurring in the signature.
    public init(_ id: String, _ params: [CheckedType], _ result: CheckedType, isMember: Bool = false,
                typeParams: [String]? = nil) {
        self.id = id; self.params = params; self.result = result; self.isMember = isMember
        if let typeParams {
            self.typeParams = typeParams
        } else {
            var names: [String] = []
            for t in params + [result] { for n in t.typeParamNames where !names.contains(n) { names.append(n) } }
            self.typeParams = names
        }
    }

    /// A member overload `params[0].name(params[1...])`.
    public static func member(_ id: String, _ params: [CheckedType], _ result: CheckedType) -> OverloadDecl {
        OverloadDecl(id, params, result, isMember: true)
    }
}

/// A function and all its overloads.
public struct FunctionDecl: Sendable, Hashable {
    /// Fully-qualified function name, e.g. `size`, `_+_`, `math.greatest`.
    public var name: String
    /// The signatures, tried in order during overload resolution.
    public var overloads: [OverloadDecl]
    /// A function with these overloads.
    public init(_ name: String, overloads: [OverloadDecl]) { self.name = name; self.overloads = overloads }
    /// A function with these overloads (variadic form).
    public init(_ name: String, _ overloads: OverloadDecl...) { self.name = name; self.overloads = overloads }
}

/// A message (object) type: its fully-qualified name and field types.
public struct MessageTypeDecl: Sendable, Hashable {
    /// Fully-qualified type name, e.g. `example.v1.Request`.
    public var name: String
    /// Field name to field type.
    public var fields: [String: CheckedType]
    /// When set, any field name is accepted with type `dyn` (a bag of dynamically defined fields).
    public var acceptsAnyField: Bool
    /// A message type with these fields.
    public init(_ name: String, fields: [String: CheckedType], acceptsAnyField: Bool = false) {
        self.name = name; self.fields = fields; self.acceptsAnyField = acceptsAnyField
    }
}

/// The declarations an expression is checked against: variables, functions and message types.
///
/// Start from `Declarations.standard()` and add to it; adding a function whose name already
/// exists merges the overloads (an overload with the same id replaces the earlier one), so
/// extension libraries can extend operators such as `_+_` or `size`.
public struct Declarations: Sendable {
    /// Declared variables by fully-qualified name.
    public private(set) var variables: [String: VariableDecl] = [:]
    /// Declared functions by fully-qualified name.
    public private(set) var functions: [String: FunctionDecl] = [:]
    /// Declared message types by fully-qualified name.
    public private(set) var messageTypes: [String: MessageTypeDecl] = [:]

    /// An empty set of declarations (not even the standard library).
    public init() {}

    /// Declares (or redeclares) a variable.
    public mutating func add(_ variable: VariableDecl) { variables[variable.name] = variable }

    /// Declares a function, merging overloads into an existing function of the same name.
    public mutating func add(_ function: FunctionDecl) {
        guard var existing = functions[function.name] else {
            functions[function.name] = function
            return
        }
        for o in function.overloads {
            if let i = existing.overloads.firstIndex(where: { $0.id == o.id }) {
                existing.overloads[i] = o
            } else {
                existing.overloads.append(o)
            }
        }
        functions[function.name] = existing
    }

    /// Declares several functions.
    public mutating func add(_ functions: [FunctionDecl]) { for f in functions { add(f) } }

    /// Declares several variables.
    public mutating func add(_ variables: [VariableDecl]) { for v in variables { add(v) } }

    /// Adds everything `other` declares; its functions merge into same-named ones here.
    public mutating func add(contentsOf other: Declarations) {
        for v in other.variables.values { add(v) }
        for f in other.functions.values { add(f) }
        for m in other.messageTypes.values { add(m) }
    }

    /// Declares a type name usable as a value (`net.IP` of type `type(net.IP)`), for abstract types.
    public mutating func addTypeIdentifier(_ type: CheckedType) {
        add(VariableDecl(type.runtimeTypeName, .type(type)))
    }

    /// Declares a message type; its name also becomes an identifier of type `type(message)`.
    public mutating func add(_ messageType: MessageTypeDecl) { messageTypes[messageType.name] = messageType }

    /// Removes the overloads with these ids (cel-go disables overloads the same way).
    public mutating func removeOverloads(_ ids: Set<String>) {
        for (name, var fn) in functions {
            fn.overloads.removeAll { ids.contains($0.id) }
            functions[name] = fn.overloads.isEmpty ? nil : fn
        }
    }

    /// The global identifier with exactly this name: a variable, or a message type name.
    public func identifier(named name: String) -> VariableDecl? {
        if let v = variables[name] { return v }
        if messageTypes[name] != nil { return VariableDecl(name, .type(.message(name))) }
        if let wk = CheckedType.wellKnown(name) { return VariableDecl(name, .type(wk)) }
        return nil
    }

    /// The function with exactly this name.
    public func function(named name: String) -> FunctionDecl? { functions[name] }

    /// The names to try for `name` in `container`, most qualified first (cel-spec name resolution):
    /// `a.b.c` in container `x.y` tries `x.y.a.b.c`, `x.a.b.c`, `a.b.c`; a leading dot means the root.
    public static func candidateNames(_ name: String, container: String) -> [String] {
        if name.hasPrefix(".") { return [String(name.dropFirst())] }
        if container.isEmpty { return [name] }
        var candidates = [container + "." + name]
        var prefix = Substring(container)
        while let dot = prefix.lastIndex(of: ".") {
            prefix = prefix[..<dot]
            candidates.append(prefix + "." + name)
        }
        candidates.append(name)
        return candidates
    }

    /// Resolves an identifier in a container to its declaration.
    public func resolveIdentifier(_ name: String, container: String) -> VariableDecl? {
        for candidate in Self.candidateNames(name, container: container) {
            if let v = identifier(named: candidate) { return v }
        }
        return nil
    }

    /// Resolves a function name in a container to its declaration.
    public func resolveFunction(_ name: String, container: String) -> FunctionDecl? {
        for candidate in Self.candidateNames(name, container: container) {
            if let f = functions[candidate] { return f }
        }
        return nil
    }
}
