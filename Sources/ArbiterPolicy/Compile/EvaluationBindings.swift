import CEL

/// The values a policy expression can see while one request is evaluated (spec §3.1).
///
/// One instance lives for one request, on the evaluating thread. It owns a CEL `Activation`
/// laid out like the compiling environment, and the engine swaps the per-policy slots
/// (`V`, `C`) as it moves between policies, so no dictionary is built per expression.
/// Its `var`s skip the runtime exclusivity checks: one request's bindings are only ever used
/// by the thread evaluating it, and those checks cost more than the slot writes themselves.
/// Slots are written only between evaluations; an evaluation that needs other `V`/`C` while
/// another runs gets its own bindings (`rebinding(variables:constants:)`), so nothing writes to
/// the activation an evaluation reads through a pointer (invariant 1 of CEL's `FastPaths`).
public final class EvaluationBindings {
    /// The CEL identifiers Cerbos declares, in slot order, plus the hidden `now` slot.
    public static let variableNames = ["request", "P", "R", "runtime", "V", "variables", "C", "constants", "G", "globals",
                                       nowVariable]
    /// The activation name of the request's fixed `now()`; not a valid CEL identifier, so only
    /// host functions (the Cerbos library's `now`/`timeSince`) can read it.
    public static let nowVariable = "@now"
    /// A layout for bindings evaluated without a CEL environment.
    public static let defaultLayout = VariableLayout(names: variableNames)

    /// The activation CEL programs run against, in a cell of its own: `evaluate(_:)` hands
    /// programs its address without a Swift access to a stored property, so evaluations nested
    /// in one another (a deferred variable read during a condition) only read it.
    private let cell: UnsafeMutablePointer<Activation>
    /// The activation CEL programs run against (`evaluate(_:)` runs one without copying it).
    public var activation: Activation { cell.pointee }
    private let slots: [Int]

    /// `request`.
    public let request: Value
    /// `P`, the same object as `request.principal`.
    public let principal: Value
    /// `R`, the same object as `request.resource`.
    public let resource: Value
    /// `G` / `globals`.
    public let globals: Value
    /// The request's single `now()` (spec §2.1).
    @exclusivity(unchecked) public private(set) var now: Timestamp // one thread, see the type

    /// `V` / `variables` of the policy being evaluated.
    @exclusivity(unchecked) public var variables: Value { // one thread, see the type
        didSet {
            set(4, variables); set(5, variables)
            _boundParams = -2
        }
    }
    /// `C` / `constants` of the policy being evaluated.
    @exclusivity(unchecked) public var constants: Value { // one thread, see the type
        didSet {
            set(6, constants); set(7, constants)
            _boundParams = -2
        }
    }
    /// Which parameter block `V` and `C` show, as the engine recorded after binding them: -1
    /// for the shared empty objects (as on creation), a block id for objects the engine keeps
    /// bound to that block across requests, -2 when unknown. Assigning `variables` or
    /// `constants` sets -2. It lets the engine skip rebinding what is already bound (each
    /// rebinding writes two slots per object). Behind a getter and setter compiled here: the
    /// engine module's direct reads of a stored property would ignore `@exclusivity(unchecked)`
    /// and pay a dynamic exclusivity check each.
    public var boundParams: Int {
        get { _boundParams }
        set { _boundParams = newValue }
    }
    @exclusivity(unchecked) private var _boundParams = -1 // one thread, see the type

    /// Cost units the current host request's evaluations may still spend together
    /// (`EvaluationLimits.requestCostLimit`); `Int.max` leaves only each evaluation's own limit.
    /// The engine sets it per request. Behind a getter and setter for the reason `boundParams` is.
    public var requestBudget: Int {
        get { _requestBudget }
        set { _requestBudget = newValue }
    }
    // One thread, see the type; a nested evaluation charges it while an outer one holds it
    // `inout`, which reads it only before and after its run, so both charges count.
    @exclusivity(unchecked) private var _requestBudget = Int.max
    /// `runtime.effectiveDerivedRoles`, sorted.
    /// Most scopes activate the same roles as the last one: the object already bound is kept.
    public var effectiveDerivedRoles: [String] {
        get { roles }
        set {
            guard newValue != roles else { return }
            roles = newValue
            set(3, boundRuntime())
        }
    }
    @exclusivity(unchecked) private var roles: [String] = [] // one thread, see the type
    /// The last non-empty `runtime` object bound and its roles. The object is immutable, so a
    /// later scope or request activating the same roles binds it again instead of allocating one.
    @exclusivity(unchecked) private var lastRuntimeRoles: [String] = [] // one thread, see the type
    @exclusivity(unchecked) private var lastRuntime: Value = .null // one thread, see the type

    /// The empty `V`/`C` object and the empty `runtime`, shared by every request instead of
    /// allocated per request.
    static let emptyNamedValues = Value.object(NamedValues(MapValue()))
    /// The `V` object of a block whose variables are not evaluated yet.
    public static var emptyVariables: Value { emptyNamedValues }
    /// The `V` and `C` objects of a block without variables or constants.
    public static var emptyParams: Value { emptyNamedValues }
    static let emptyRuntime = Value.object(RuntimeObject(roles: []))

    /// Creates bindings for one request over the slot layout of the compiling environment.
    /// `slots` are `slots(in: layout)`, passed in so a request does no name lookups.
    public init(layout: VariableLayout = EvaluationBindings.defaultLayout, slots: [Int]? = nil, request: Value,
                principal: Value, resource: Value, globals: Value, now: Timestamp) {
        cell = .allocate(capacity: 1)
        cell.initialize(to: Activation(layout: layout))
        self.slots = slots ?? Self.slots(in: layout)
        self.request = request
        self.principal = principal
        self.resource = resource
        self.globals = globals
        self.now = now
        variables = Self.emptyNamedValues
        constants = Self.emptyNamedValues
        set(0, request)
        set(1, principal)
        set(2, resource)
        set(3, Self.emptyRuntime)
        set(4, variables); set(5, variables); set(6, constants); set(7, constants)
        set(8, globals); set(9, globals)
        set(10, .timestamp(now))
    }

    /// An activation with every slot that is the same for all requests of an engine already
    /// bound (`G`, the empty `V`/`C`/`runtime`), so a request copies it and writes only
    /// `request`, `P`, `R` and `now` instead of filling and then overwriting every slot.
    public struct Template: Sendable {
        let activation: Activation
        let slots: [Int]
        let globals: Value

        /// A template for expressions compiled against `layout`, with `G` = `globals`.
        public init(layout: VariableLayout, slots: [Int]? = nil, globals: Value) {
            let base = EvaluationBindings(layout: layout, slots: slots, request: .null, principal: .null, resource: .null,
                                          globals: globals, now: Timestamp(seconds: 0))
            activation = base.activation
            self.slots = base.slots
            self.globals = globals
        }
    }

    /// Creates bindings for one request from an engine's template (borrowed, not copied whole).
    public init(template: __shared Template, request: Value, principal: Value, resource: Value, now: Timestamp) {
        cell = .allocate(capacity: 1)
        cell.initialize(to: template.activation)
        slots = template.slots
        self.request = request
        self.principal = principal
        self.resource = resource
        globals = template.globals
        self.now = now
        variables = Self.emptyNamedValues
        constants = Self.emptyNamedValues
        set(0, request)
        set(1, principal)
        set(2, resource)
        set(10, .timestamp(now))
    }

    /// Bindings like these with `V` and `C` bound to `variables` and `constants`, over a copy
    /// of the activation (its slot array is copied when they are written), for an evaluation
    /// nested in one that reads this activation: writing these bindings' slots instead would
    /// change memory the outer evaluation reads through a pointer. The copy starts with this
    /// request budget; the caller charges back what it spent.
    public func rebinding(variables: Value, constants: Value) -> EvaluationBindings {
        EvaluationBindings(copying: self, variables: variables, constants: constants)
    }

    private init(copying other: EvaluationBindings, variables: Value, constants: Value) {
        cell = .allocate(capacity: 1)
        cell.initialize(to: other.cell.pointee)
        slots = other.slots
        request = other.request
        principal = other.principal
        resource = other.resource
        globals = other.globals
        now = other.now
        roles = other.roles
        _requestBudget = other._requestBudget
        self.variables = variables
        self.constants = constants
        _boundParams = -2
        set(4, variables); set(5, variables); set(6, constants); set(7, constants)
    }

    deinit {
        cell.deinitialize(count: 1)
        cell.deallocate()
    }

    /// Readies bindings whose `request`, `P` and `R` objects are views of per-thread state for
    /// the next request: a fresh `now` and the empty `runtime`. `V` and `C` are left as they
    /// are (see `boundParams`): the engine binds a block before evaluating any of its
    /// expressions. Reusing one instance per thread saves the bindings object and the copy of
    /// the activation's slots that every request used to allocate.
    public func reset(now: Timestamp) {
        if !roles.isEmpty {
            roles = []
            set(3, Self.emptyRuntime)
        }
        if now != self.now {
            self.now = now
            set(10, .timestamp(now))
        }
    }

    /// The slot of each of `variableNames` in `layout` (-1 when undeclared).
    public static func slots(in layout: VariableLayout) -> [Int] {
        variableNames.map { layout.slot(of: $0) ?? -1 }
    }

    @inline(__always) private func set(_ index: Int, _ value: Value) {
        let slot = slots[index]
        if slot >= 0 { cell.pointee.set(slot: slot, value) }
    }

    private func boundRuntime() -> Value {
        if roles.isEmpty { return Self.emptyRuntime }
        if !lastRuntimeRoles.isEmpty && lastRuntimeRoles == roles { return lastRuntime }
        let value = runtime
        lastRuntimeRoles = roles
        lastRuntime = value
        return value
    }

    /// Runs `program` against the activation in place: passing `activation` by value copied
    /// it first (three retains and releases per evaluation).
    /// Each evaluation is charged to `requestBudget`.
    public func evaluate(_ program: Program) -> Value {
        program.evaluate(activationAt: cell, requestBudget: &_requestBudget)
    }

    /// The `runtime` object.
    public var runtime: Value {
        if effectiveDerivedRoles.isEmpty { return Self.emptyRuntime }
        return .object(RuntimeObject(roles: effectiveDerivedRoles))
    }
}

/// `cerbos.engine.v1.Runtime`: fields by proto and JSON name.
/// The roles stay a `[String]` until an expression reads them: the engine rebinds `runtime` at
/// every scope that activates roles, and building the CEL list each time cost an allocation
/// that most policies never read.
struct RuntimeObject: ObjectValue {
    let roles: [String]
    var celType: CELType { CELType("cerbos.engine.v1.Runtime") }
    func field(_ name: String) -> Value? {
        switch name {
        case "effectiveDerivedRoles", "effective_derived_roles": return .list(roles.map { .string($0) })
        default: return nil
        }
    }
    func isEqual(to other: any ObjectValue) -> Bool { false }
}

/// Cerbos's `variables`/`constants`/`globals` objects: reading an unset name is the error
/// `undefined field 'x'` rather than a map's `no such key` (spec §3.1).
public struct NamedValues: ObjectValue {
    /// The values by name.
    public let values: MapValue

    /// Wraps a string-keyed map.
    public init(_ values: MapValue) { self.values = values }

    public var celType: CELType { CELType("cerbos.Variables") }

    public func field(_ name: String) -> Value? {
        values[string: name] ?? .error(EvalError("undefined field '\(name)'"))
    }

    public func hasField(_ name: String) -> Bool { values[string: name] != nil }

    public func isEqual(to other: any ObjectValue) -> Bool { false }
}
