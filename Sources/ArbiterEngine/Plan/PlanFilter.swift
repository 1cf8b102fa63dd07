import CEL
import OrderedCollections

/// A PlanResources filter (Cerbos's `PlanResourcesFilter`): always allowed, always denied, or
/// allowed where `condition` holds.
public struct PlanFilter: Sendable {
    /// The filter kinds, with Cerbos's enum names.
    public enum Kind: String, Sendable {
        case alwaysAllowed = "KIND_ALWAYS_ALLOWED"
        case alwaysDenied = "KIND_ALWAYS_DENIED"
        case conditional = "KIND_CONDITIONAL"
    }

    public var kind: Kind
    /// Set only for `.conditional`.
    public var condition: PlanOperand?

    /// Creates a filter as given (no normalisation).
    public init(kind: Kind, condition: PlanOperand? = nil) {
        self.kind = kind
        self.condition = condition
    }

    /// The normalised filter of a condition tree (Cerbos's `normaliseFilter`): literal booleans
    /// folded out of `and`/`or`/`not`, repeated operands of `and`/`or` dropped, single-operand
    /// `and`/`or` unwrapped, `in` over an empty list or map false and over one element `eq`,
    /// abbreviated variables (`R.`, `P.`, `V.` ...) spelled out. A missing condition allows.
    public init(normalising condition: PlanOperand?) {
        guard let condition, let normal = Self.normalise(condition) else {
            self.init(kind: .alwaysAllowed)
            return
        }
        switch normal.literalBool {
        case true?: self.init(kind: .alwaysAllowed)
        case false?: self.init(kind: .alwaysDenied)
        case nil: self.init(kind: .conditional, condition: normal)
        }
    }

    /// `filterDebug`: `(true)`, `(false)` or the condition as an s-expression.
    public var debugString: String {
        switch kind {
        case .alwaysAllowed: return "(true)"
        case .alwaysDenied: return "(false)"
        case .conditional:
            var out = ""
            condition?.write(sExpression: &out)
            return out
        }
    }

    /// The protojson form.
    public func toValue() -> Value {
        var pairs: [(String, Value)] = [("kind", .string(kind.rawValue))]
        if let condition { pairs.append(("condition", condition.toValue())) }
        return .map(MapValue(stringKeyed: pairs))
    }

    static func normalise(_ operand: PlanOperand) -> PlanOperand? {
        switch operand {
        case .value: return operand
        case let .variable(name): return .variable(Self.expandAbbreviation(name))
        case let .expression(op, operands): return normaliseExpression(op, operands)
        }
    }

    private static func normaliseExpression(_ op: String, _ operands: [PlanOperand]) -> PlanOperand? {
        var op = op
        var operands = operands
        if op == PlanOperator.in, operands.count == 2, case let .value(container) = operands[1] {
            switch container {
            case let .list(items):
                if items.isEmpty { return .false }
                if items.count == 1 { op = PlanOperator.eq; operands[1] = .value(items[0]) }
            case let .map(m):
                if m.count == 0 { return .false }
                if m.count == 1, let key = m.storage.keys.first { op = PlanOperator.eq; operands[1] = .value(key.value) }
            default:
                op = PlanOperator.eq
            }
        }
        let logical = op == PlanOperator.and || op == PlanOperator.or || op == PlanOperator.not
        var kept: [PlanOperand] = []
        var seen: [PlanOperand] = []
        for operand in operands {
            guard let normal = normalise(operand) else { continue }
            if logical, let b = normal.literalBool {
                if op == PlanOperator.and {
                    if b { continue }
                    return .false
                }
                if op == PlanOperator.or {
                    if !b { continue }
                    return .true
                }
            }
            if op == PlanOperator.and || op == PlanOperator.or {
                if seen.contains(operand) { continue }
                seen.append(operand)
            }
            kept.append(normal)
        }
        if logical {
            switch kept.count {
            case 0:
                if op == PlanOperator.and { return .true }
                if op == PlanOperator.or { return .false }
                return nil
            case 1:
                if op != PlanOperator.not { return kept[0] }
                if let b = kept[0].literalBool { return .value(.bool(!b)) }
            default: break
            }
        }
        return .expression(operator: op, operands: kept)
    }

    /// Cerbos's `ExpandAbbrev`: `R.` → `request.resource.`, `P.` → `request.principal.`,
    /// `V.` → `variables.`, `C.` → `constants.`, `G.` → `globals.`.
    static func expandAbbreviation(_ name: String) -> String {
        // Only a one-letter head can be an abbreviation; most names are already spelled out.
        var bytes = name.utf8.makeIterator()
        guard bytes.next() != nil, bytes.next() == UInt8(ascii: ".") else { return name }
        for (short, long) in [("R.", "request.resource."), ("P.", "request.principal."), ("V.", "variables."),
                              ("C.", "constants."), ("G.", "globals.")] where name.hasPrefix(short) {
            return long + name.dropFirst(short.count)
        }
        return name
    }
}
