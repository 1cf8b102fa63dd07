import ArbiterEngine
import ArbiterHTTP
import ArbiterJSON
import ArbiterServer
import CEL
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Testing

/// The HTTP front end records through the same `DecisionRecorder` as the socket: the entry's
/// call id is the `cerbosCallId` answered, with the headers as metadata and the user agent.
@Suite struct HTTPAuditTests {
    @Test func checkResources_overHTTP_logsTheAnsweredDecision_underItsCallID() async throws {
        var api = try await conformanceAPI()
        var url = FileManager.default.temporaryDirectory.appendingPathComponent("arbiter-http-audit-\(UUID().uuidString)").path
        url += ".log"
        defer { unlink(url) }
        var audit = AuditConfiguration()
        audit.enabled = true
        audit.decisionLogsEnabled = true
        audit.filePath = url
        audit.excludeMetadataKeys = ["authorization"]
        let recorder = try #require(try DecisionRecorder.make(audit, logger: testLogger))
        api.recorder = recorder
        let response = api.send(.POST, "/api/check/resources", leaveRequestCheck,
                                headers: [("User-Agent", "sdk/1"), ("X-Tenant", "t1"), ("Authorization", "Bearer secret")])
        #expect(response.status == .ok)
        await recorder.close()
        let body = try response.json()
        let callID = try #require(stringValue(lookup(body, "cerbosCallId")))
        let lines = try String(contentsOfFile: url, encoding: .utf8).split(separator: "\n")
        try #require(lines.count == 1)
        let entry = try JSONReader.parse(Array(lines[0].utf8))
        #expect(stringValue(lookup(entry, "callId")) == callID)
        #expect(stringValue(lookup(entry, "peer", "userAgent")) == "sdk/1")
        #expect(stringValue(lookup(entry, "metadata", "x-tenant", "values", 0)) == "t1")
        #expect(lookup(entry, "metadata", "authorization") == nil)
        #expect(stringValue(lookup(entry, "checkResources", "outputs", 0, "actions", "approve", "effect"))
                == stringValue(lookup(body, "results", 0, "actions", "approve")))
    }
}
