import CEL

/// The values a policy expression can see while one request is evaluated (spec §3.1).
///
/// One instance lives for one request, on the evaluating thread; the engine swaps the
/// per-policy parts (`variables`, `constants`) as it moves between policies, so the activation
/// is a handful of stored values rather than a dictionary built per expression.
public final class EvaluationBindings {
    /// The CEL identifiers Cerbos declares, in slot order.
    public enum Slot: Int, CaseIterable, Sendable {
        case request, principal, resource, runtime, variables, constants, globals
    }

    /// Every identifier name with its slot: aliases share a slot (`P`/`request.principal` are
    /// different values, but `V`/`variables` are the same one).
    public static let identifiers: [(name: String, slot: Slot)] = [
        ("request", .request), ("P", .principal), ("R", .resource), ("runtime", .runtime),
        ("V", .variables), ("variables", .variables), ("C", .constants), ("constants", .constants),
        ("G", .globals), ("globals", .globals),
    ]

    /// `request`.
    public var request: Value
    /// `P`, the same object as `request.principal`.
    public var principal: Value
    /// `R`, the same object as `request.resource`.
    public var resource: Value
    /// `G` / `globals`.
    public var globals: Value
    /// `V` / `variables` of the policy being evaluated.
    public var variables: Value
    /// `C` / `constants` of the policy being evaluated.
    public var constants: Value
    /// `runtime.effectiveDerivedRoles`, sorted.
    public var effectiveDerivedRoles: [String] {
        didSet { runtimeCache = nil }
    }
    /// The request's single `now()` (spec §2.1).
    public let now: Timestamp
    private var runtimeCache: Value?

    /// Creates bindings for one request.
    public init(request: Value, principal: Value, resource: Value, globals: Value, now: Timestamp) {
        self.request = request
        self.principal = principal
        self.resource = resource
        self.globals = globals
        self.now = now
        variables = .map(MapValue())
        constants = .map(MapValue())
        effectiveDerivedRoles = []
    }

    /// The `runtime` object, built on first use after the derived roles change.
    public var runtime: Value {
        if let cached = runtimeCache { return cached }
        let roles = Value.list(effectiveDerivedRoles.map { .string($0) })
        let value = Value.object(RuntimeObject(effectiveDerivedRoles: roles))
        runtimeCache = value
        return value
    }

    /// The value bound to a slot.
    public subscript(slot: Slot) -> Value {
        switch slot {
        case .request: return request
        case .principal: return principal
        case .resource: return resource
        case .runtime: return runtime
        case .variables: return variables
        case .constants: return constants
        case .globals: return globals
        }
    }

    /// The value bound to an identifier name, or nil when Cerbos declares no such identifier.
    public func value(named name: String) -> Value? {
        for entry in Self.identifiers where entry.name == name { return self[entry.slot] }
        return nil
    }
}

/// `cerbos.engine.v1.Runtime`: fields by proto and JSON name.
struct RuntimeObject: ObjectValue {
    let effectiveDerivedRoles: Value
    var celType: CELType { CELType("cerbos.engine.v1.Runtime") }
    func field(_ name: String) -> Value? {
        switch name {
        case "effectiveDerivedRoles", "effective_derived_roles": return effectiveDerivedRoles
        default: return nil
        }
    }
    func isEqual(to other: any ObjectValue) -> Bool { false }
}
