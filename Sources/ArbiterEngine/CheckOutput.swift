import CEL

/// A decision effect as returned to clients.
public enum Effect: String, Sendable, Hashable {
    case allow = "EFFECT_ALLOW"
    case deny = "EFFECT_DENY"
}

/// The decision for one action, with the policy and scope that produced it.
public struct ActionEffect: Sendable, Hashable {
    /// ALLOW or DENY.
    public var effect: Effect
    /// The deciding policy key, or `NO_MATCH`.
    public var policy: String
    /// The scope of the deciding rule; empty for the root or when no rule decided.
    public var scope: String

    /// Creates an action effect.
    public init(effect: Effect, policy: String, scope: String = "") {
        self.effect = effect
        self.policy = policy
        self.scope = scope
    }
}

/// An output entry emitted by a rule (spec §2.9).
public struct OutputEntry: Sendable {
    /// `<policy key>#<rule name>`.
    public var src: String
    /// The action being evaluated when the rule fired.
    public var action: String
    /// The JSON-compatible value, absent when the expression failed.
    public var value: Value?
    /// The evaluation error message, when the expression failed.
    public var error: String?

    /// Creates an output entry.
    public init(src: String, action: String, value: Value?, error: String? = nil) {
        self.src = src
        self.action = action
        self.value = value
        self.error = error
    }
}

/// A CEL runtime error met while evaluating a condition or variable (spec §2.8).
public struct EvaluationError: Sendable, Hashable, Comparable {
    /// The expression as written in the policy.
    public var expression: String
    /// The CEL error message.
    public var message: String

    /// Creates an evaluation error.
    public init(expression: String, message: String) {
        self.expression = expression
        self.message = message
    }

    public static func < (a: EvaluationError, b: EvaluationError) -> Bool {
        a.expression != b.expression ? a.expression < b.expression : a.message < b.message
    }
}

/// A schema validation error; sorted as Cerbos sorts them: by source, path, then message.
public struct ValidationError: Sendable, Hashable, Comparable {
    /// Which side failed.
    public enum Source: String, Sendable, Hashable {
        case principal = "SOURCE_PRINCIPAL"
        case resource = "SOURCE_RESOURCE"
    }

    /// JSON pointer of the failing instance location.
    public var path: String
    /// Validator message.
    public var message: String
    /// Principal or resource.
    public var source: Source

    /// Creates a validation error.
    public init(path: String, message: String, source: Source) {
        self.path = path
        self.message = message
        self.source = source
    }

    public static func < (a: ValidationError, b: ValidationError) -> Bool {
        if a.source != b.source { return a.source == .principal }
        return a.path != b.path ? a.path < b.path : a.message < b.message
    }
}

/// The engine-level result for one `CheckInput`.
public struct CheckOutput: Sendable {
    /// Echo of the input's request id.
    public var requestId: String
    /// Echo of the resource id.
    public var resourceId: String
    /// Decisions in the input's action order.
    public var actions: [(action: String, effect: ActionEffect)]
    /// Derived roles that activated in the resource pass, sorted.
    public var effectiveDerivedRoles: [String]
    /// Outputs in evaluation order.
    public var outputs: [OutputEntry]
    /// De-duplicated, sorted evaluation errors.
    public var evaluationErrors: [EvaluationError]
    /// Schema validation errors.
    public var validationErrors: [ValidationError]

    /// The decision for `action`, if it was requested.
    public func effect(for action: String) -> ActionEffect? {
        actions.first { $0.action == action }?.effect
    }
}
