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
        let request = try PlanResourcesRequest(from: params)
        let now = Engine.currentTime()
        // The request's auxData tokens are verified whether or not the call is recorded.
        let response = try snapshot.planResources(request, auxData: verifiedAuxData(request.auxData, now: now), now: now)
        guard let recorder = call.recorder else { return response.toValue() }
        let callID = recorder.newCallID()
        var value = response.toValue()
        if case let .map(m) = value {
            var members = m.storage
            members[.string("cerbosCallId")] = .string(callID)
            value = .map(MapValue(members))
        }
        recorder.recordPlan(callID: callID, request: request, response: response, call: call)
        return value
    }

    /// Decides with `includeMeta` on, so the entry has each action's policy and scope, and
    /// answers with the meta the client asked for (none unless it did).
    func recordedCheck(_ request: CheckResourcesRequest, snapshot: Engine, call: DecisionCall,
                       recorder: DecisionRecorder, into writer: inout JSONWriter) throws {
        var withMeta = request
        withMeta.includeMeta = true
        let now = Engine.currentTime()
        let decided = try snapshot.checkResources(withMeta, auxData: verifiedAuxData(request.auxData, now: now), now: now)
        var answer = decided
        if !request.includeMeta {
            for i in answer.results.indices { answer.results[i].meta = nil }
        }
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
