import ArbiterEngine
import CEL
import SwiftProtobuf

extension Cerbos_Response_V1_CheckResourcesResponse {
    /// The protobuf form of an engine response: the same fields the JSON encoder writes.
    init(_ response: CheckResourcesResponse) {
        self.init()
        requestID = response.requestId
        results = response.results.map(Self.entry(of:))
    }

    static func entry(of result: CheckResourcesResponse.Result) -> ResultEntry {
        var entry = ResultEntry()
        entry.resource.id = result.resource.id
        entry.resource.kind = result.resource.kind
        entry.resource.policyVersion = result.resource.policyVersion
        entry.resource.scope = result.resource.scope
        for (action, effect) in result.actions { entry.actions[action] = Cerbos_Effect_V1_Effect(effect) }
        entry.validationErrors = result.validationErrors.map(Cerbos_Schema_V1_ValidationError.init)
        if let meta = result.meta {
            for a in meta.actions {
                entry.meta.actions[a.action] = .with {
                    $0.matchedPolicy = a.matchedPolicy
                    $0.matchedScope = a.matchedScope
                }
            }
            entry.meta.effectiveDerivedRoles = meta.effectiveDerivedRoles
        }
        entry.outputs = result.outputs.map { o in
            Cerbos_Engine_V1_OutputEntry.with {
                $0.src = o.src
                $0.action = o.action
                if let v = o.value { $0.val = Google_Protobuf_Value(cel: v) }
            }
        }
        return entry
    }
}

extension Cerbos_Effect_V1_Effect {
    /// The wire enum of an engine effect.
    init(_ effect: Effect) {
        switch effect {
        case .allow: self = .allow
        case .deny: self = .deny
        }
    }
}
