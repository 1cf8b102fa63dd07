import ArbiterEngine
import ArbiterJSON
import CEL
import OrderedCollections

/// Decisions that are recorded: with a recorder in the call, the recorder gets the request and
/// the very response written, so the log says what was answered. Without one, these are the
/// plain methods. Either way the response carries a `cerbosCallId`, as Cerbos's always does.
extension EngineDecisionService {
    public func writeCheckResources(decoded request: CheckResourcesRequest, snapshot: Engine, call: DecisionCall,
                                    into writer: inout JSONWriter) throws {
        guard let recorder = call.recorder else {
            return try writeCheckResources(decoded: request, snapshot: snapshot, into: &writer)
        }
        try measuredCheck { batch in
            batch = request.resources.count
            try recordedCheck(request, snapshot: snapshot, call: call, recorder: recorder, into: &writer)
        }
    }

    public func writeCheckResources(_ params: Value, snapshot: Engine, call: DecisionCall, into writer: inout JSONWriter) throws {
        guard let recorder = call.recorder else {
            return try writeCheckResources(params, snapshot: snapshot, into: &writer)
        }
        try measuredCheck { batch in
            let request = try traced("decode") { try CheckResourcesRequest(from: params) }
            batch = request.resources.count
            try recordedCheck(request, snapshot: snapshot, call: call, recorder: recorder, into: &writer)
        }
    }

    public func planResources(_ params: Value, snapshot: Engine, call: DecisionCall) throws -> Value {
        guard call.recorder != nil else { return try planResources(params, snapshot: snapshot) }
        let request = try traced("decode") { try PlanResourcesRequest(from: params) }
        let (response, callID) = try decidePlanResources(request, snapshot: snapshot, call: call)
        return traced("encode") { Self.withCallID(response.toValue(), callID) }
    }

    /// PlanResources for a front end that decodes and encodes the messages itself (gRPC): the
    /// request's `auxData` tokens verified, the plan made, measured, and with a recorder in the
    /// call the entry recorded; returns the response and its call id.
    public func decidePlanResources(_ request: PlanResourcesRequest, snapshot: Engine,
                                    call: DecisionCall) throws -> (response: PlanResourcesResponse, callID: String) {
        try measuredPlan {
            let response = try plan(request, snapshot: snapshot)
            guard let recorder = call.recorder else { return (response, AuditCallID.shared.next()) }
            let callID = recorder.newCallID()
            recorder.recordPlan(callID: callID, request: request, response: response, call: call)
            return (response, callID)
        }
    }

    /// CheckResources for a front end that decodes and encodes the messages itself (gRPC): as
    /// `writeCheckResources(decoded:snapshot:call:into:)`, returning the response to send (meta
    /// only when asked for) and its call id.
    public func decideCheckResources(_ request: CheckResourcesRequest, snapshot: Engine,
                                     call: DecisionCall) throws -> (response: CheckResourcesResponse, callID: String) {
        try measuredCheck { batch in
            batch = request.resources.count
            guard let recorder = call.recorder else { return (try decide(request, snapshot: snapshot), AuditCallID.shared.next()) }
            let (decided, answer) = try decideForAudit(request, snapshot: snapshot)
            let callID = recorder.newCallID()
            recorder.recordCheck(callID: callID, request: request, response: decided, call: call)
            return (answer, callID)
        }
    }

    /// A recorded call's decision: `decided` with every result's meta (the entry logs each
    /// action's policy and scope), `answer` with meta only when the client asked for it.
    func decideForAudit(_ request: CheckResourcesRequest,
                        snapshot: Engine) throws -> (decided: CheckResourcesResponse, answer: CheckResourcesResponse) {
        var withMeta = request
        withMeta.includeMeta = true
        let decided = try decide(withMeta, snapshot: snapshot)
        var answer = decided
        if !request.includeMeta {
            for i in answer.results.indices { answer.results[i].meta = nil }
        }
        return (decided, answer)
    }

    /// Decides with `includeMeta` on, so the entry has each action's policy and scope, and
    /// answers with the meta the client asked for (none unless it did).
    func recordedCheck(_ request: CheckResourcesRequest, snapshot: Engine, call: DecisionCall,
                       recorder: DecisionRecorder, into writer: inout JSONWriter) throws {
        var withMeta = request
        withMeta.includeMeta = true
        let decided = try decide(withMeta, snapshot: snapshot)
        let callID = recorder.newCallID()
        // The answer is the decided response without the meta the client did not ask for,
        // written as such rather than copied to drop it.
        try write(decided, includingMeta: request.includeMeta, callID: callID, into: &writer)
        recorder.recordCheck(callID: callID, request: request, response: decided, call: call)
    }

    /// Encodes `response` with `cerbosCallId` as its last member: `callID`, or a fresh one
    /// written straight into the frame (no `String`) when the call is not recorded.
    func write(_ response: CheckResourcesResponse, includingMeta: Bool = true, callID: String?,
               into writer: inout JSONWriter) throws {
        try traced("encode") {
            let start = writer.bytes.count
            try response.write(to: &writer, includingMeta: includingMeta)
            // The response object ends with `}`: the call id goes in as its last member, so the
            // engine's encoder stays untouched.
            guard writer.bytes.count > start + 1, writer.bytes.last == UInt8(ascii: "}") else { return }
            writer.bytes.removeLast()
            if writer.bytes.last != UInt8(ascii: "{") { writer.appendASCII(",") }
            writer.appendASCII("\"cerbosCallId\":")
            if let callID {
                writer.writeString(callID)
            } else {
                writer.bytes.append(UInt8(ascii: "\""))
                AuditCallID.shared.next(into: &writer.bytes)
                writer.bytes.append(UInt8(ascii: "\""))
            }
            writer.appendASCII("}")
        }
    }

    /// `value` (a response object) with `cerbosCallId` added.
    static func withCallID(_ value: Value, _ callID: String) -> Value {
        guard case let .map(m) = value else { return value }
        var members = m.storage
        members[.string("cerbosCallId")] = .string(callID)
        return .map(MapValue(members))
    }
}
