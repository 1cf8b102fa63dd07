import ArbiterEngine
import CEL
import SwiftProtobuf

extension Cerbos_Response_V1_PlanResourcesResponse {
    /// The protobuf form of an engine plan: the fields `PlanResourcesResponse.toValue()` writes
    /// for the JSON and HTTP paths, so every front end answers the same plan. `cerbosCallId` is
    /// the caller's to set.
    init(_ response: PlanResourcesResponse) {
        self.init()
        requestID = response.requestId
        // As on the JSON path: a request with the deprecated `action` gets `action` (and
        // `matchedScope`) back, one with `actions` gets `actions` (and `matchedScopes`).
        if response.usesSingleAction {
            action = response.actions.first ?? ""
        } else {
            actions = response.actions
        }
        resourceKind = response.resourceKind
        policyVersion = response.policyVersion
        filter = Cerbos_Engine_V1_PlanResourcesFilter(response.filter)
        if let m = response.meta {
            // Set even when every field is empty (schema rejection), as the JSON path writes `{}`.
            var out = Meta()
            out.filterDebug = m.filterDebug
            if response.usesSingleAction {
                out.matchedScope = m.matchedScopes.first?.scope ?? ""
            } else {
                for (action, scope) in m.matchedScopes { out.matchedScopes[action] = scope }
            }
            meta = out
        }
        validationErrors = response.validationErrors.map(Cerbos_Schema_V1_ValidationError.init)
    }
}

extension Cerbos_Engine_V1_PlanResourcesFilter {
    /// The protobuf filter: kind, and the condition tree for a conditional one.
    init(_ filter: PlanFilter) {
        self.init()
        switch filter.kind {
        case .alwaysAllowed: kind = .alwaysAllowed
        case .alwaysDenied: kind = .alwaysDenied
        case .conditional: kind = .conditional
        }
        if let condition = filter.condition { self.condition = Expression.Operand(condition) }
    }
}

extension Cerbos_Engine_V1_PlanResourcesFilter.Expression.Operand {
    /// One operand: values as the JSON path writes them (`PlanOperand.jsonValue`), so ints are
    /// numbers and timestamps their text on both paths.
    init(_ operand: PlanOperand) {
        self.init()
        switch operand {
        case let .value(v):
            node = .value(Google_Protobuf_Value(cel: PlanOperand.jsonValue(v)))
        case let .variable(name):
            node = .variable(name)
        case let .expression(op, operands):
            node = .expression(.with {
                $0.operator = op
                $0.operands = operands.map(Self.init)
            })
        }
    }
}

extension Cerbos_Schema_V1_ValidationError {
    /// A schema violation of the principal's or the resource's attributes.
    init(_ error: ValidationError) {
        self.init()
        path = error.path
        message = error.message
        source = error.source == .principal ? .principal : .resource
    }
}
