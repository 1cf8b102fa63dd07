import ArbiterEngine
import ArbiterJSON
import CEL

/// Decisions that are recorded: with a recorder in the call, the response gets a `cerbosCallId`
/// and the recorder gets the request and the very response written, so the log says what was
/// answered. Without one, these are the plain methods.
extension EngineDecisionService {
    public func writeCheckResources(decoded request: CheckResourcesRequest, snapshot: Engine, call: DecisionCall,
                                    into writer: inout JSONWriter) throws {
        guard let recorder = call.recorder else {
            return try writeCheckResources(decoded: request, snapshot: snapshot, into: &writer)
        }
        try recordedCheck(request, snapshot: snapshot, call: call, recorder: recorder, into: &writer)
    }

    public func writeCheckResources(_ params: Value, snapshot: Engine, call: DecisionCall, into writer: inout JSONWriter) throws {
        let request = try CheckResourcesRequest(from: params)
        guard let recorder = call.recorder else {
            return try writeCheckResources(decoded: request, snapshot: snapshot, into: &writer)
        }
        try recordedCheck(request, snapshot: snapshot, call: call, recorder: recorder, into: &writer)
    }

    public func planResources(_ params: Value, snapshot: Engine, call: DecisionCall) throws -> Value {
        let (response, callID) = try decidePlanResources(try PlanResourcesRequest(from: params), snapshot: snapshot, call: call)
        var value = response.toValue()
        if let callID, case let .map(m) = value {
            var members = m.storage
            members[.string("cerbosCallId")] = .string(callID)
            value = .map(MapValue(members))
        }
        return value
    }

    /// PlanResources for a front end that decodes and encodes the messages itself (gRPC): the
    /// request's `auxData` tokens verified, the plan made, and with a recorder in the call the
    /// entry recorded; returns the response and the call id (nil when not recorded).
    public func decidePlanResources(_ request: PlanResourcesRequest, snapshot: Engine,
                                    call: DecisionCall) throws -> (response: PlanResourcesResponse, callID: String?) {
        let now = Engine.currentTime()
        // The request's auxData tokens are verified whether or not the call is recorded.
        let response = try snapshot.planResources(request, auxData: verifiedAuxData(request.auxData, now: now), now: now)
        guard let recorder = call.recorder else { return (response, nil) }
        let callID = recorder.newCallID()
        recorder.recordPlan(callID: callID, request: request, response: response, call: call)
        return (response, callID)
    }

    /// CheckResources for a front end that decodes and encodes the messages itself (gRPC): as
    /// `writeCheckResources(decoded:snapshot:call:)`, returning the response to send (meta only
    /// when asked for) and the call id (nil when not recorded).
    public func decideCheckResources(_ request: CheckResourcesRequest, snapshot: Engine,
                                     call: DecisionCall) throws -> (response: CheckResourcesResponse, callID: String?) {
        guard let recorder = call.recorder else {
            let now = Engine.currentTime()
            return (try snapshot.checkResources(request, auxData: verifiedAuxData(request.auxData, now: now), now: now), nil)
        }
        let (decided, answer) = try decideForAudit(request, snapshot: snapshot)
        let callID = recorder.newCallID()
        recorder.recordCheck(callID: callID, request: request, response: decided, call: call)
        return (answer, callID)
    }

    /// A recorded call's decision: `decided` with every result's meta (the entry logs each
    /// action's policy and scope), `answer` with meta only when the client asked for it.
    func decideForAudit(_ request: CheckResourcesRequest,
                        snapshot: Engine) throws -> (decided: CheckResourcesResponse, answer: CheckResourcesResponse) {
        var withMeta = request
        withMeta.includeMeta = true
        let now = Engine.currentTime()
        let decided = try snapshot.checkResources(withMeta, auxData: verifiedAuxData(request.auxData, now: now), now: now)
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
        let (decided, answer) = try decideForAudit(request, snapshot: snapshot)
        let callID = recorder.newCallID()
        let start = writer.bytes.count
        try answer.write(to: &writer)
        // The response object ends with `}`: the call id goes in as its last member, so the
        // engine's encoder stays untouched.
        if writer.bytes.count > start + 1, writer.bytes.last == UInt8(ascii: "}") {
            writer.bytes.removeLast()
            if writer.bytes.last != UInt8(ascii: "{") { writer.appendASCII(",") }
            writer.appendASCII("\"cerbosCallId\":")
            writer.writeString(callID)
            writer.appendASCII("}")
        }
        recorder.recordCheck(callID: callID, request: request, response: decided, call: call)
    }
}
