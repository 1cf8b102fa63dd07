#if canImport(Glibc)
import Glibc
#endif
import ArbiterEngine
import ArbiterGRPC
import ArbiterServer
import CEL
import GRPCCore
import GRPCProtobuf
import SwiftProtobuf
import Testing

/// The front end on a real Unix socket, called by grpc-swift's `GRPCClient` over the test transport.
@Suite(.serialized) struct GRPCLiveTests {
    @Test func checkResourcesAndServerInfo_answerOverTheSocket() async throws {
        try await LiveServer.with(engine: try TestPolicies.engine()) { server in
            try await server.withClient { client in
                let cerbos = Cerbos_Svc_V1_CerbosService.Client(wrapping: client)
                let response = try await cerbos.checkResources(checkRequest(owner: "alice"))
                #expect(response.requestID == "req-1")
                #expect(response.results.first?.actions == ["view": .allow, "edit": .allow])
                let other = try await cerbos.checkResources(checkRequest(principalID: "mallory"))
                #expect(other.results.first?.actions == ["view": .allow, "edit": .deny])
                let info = try await cerbos.serverInfo(Cerbos_Request_V1_ServerInfoRequest())
                #expect(info.version == "9.8.7")
                #expect(info.commit == "test-build")
            }
        }
    }

    @Test func invalidRequest_isInvalidArgumentNamingTheField() async throws {
        try await LiveServer.with(engine: try TestPolicies.engine()) { server in
            try await server.withClient { client in
                let cerbos = Cerbos_Svc_V1_CerbosService.Client(wrapping: client)
                let error = await #expect(throws: GRPCCore.RPCError.self) { try await cerbos.checkResources(checkRequest(roles: [])) }
                #expect(error?.code == .invalidArgument)
                #expect(error?.message == "principal.roles: value must contain at least 1 item(s)")
            }
        }
    }

    @Test(arguments: ["", "cerbos.svc.v1.CerbosService"])
    func healthCheck_isNotServingUntilASnapshotIsPublished(service: String) async throws {
        try await LiveServer.with(engine: nil) { server in
            try await server.withClient { client in
                let health = Grpc_Health_V1_Health.Client(wrapping: client)
                let before = try await health.check(.with { $0.service = service })
                #expect(before.status == .notServing)
                _ = server.store.publish(try TestPolicies.engine(), policyCount: 1, record: ReloadRecord(
                    time: .init(seconds: 0), outcome: .success, diagnostics: [], durationMilliseconds: 0, trigger: "test"))
                let after = try await health.check(.with { $0.service = service })
                #expect(after.status == .serving)
            }
        }
    }

    @Test func healthCheck_unknownService_isNotFound() async throws {
        try await LiveServer.with(engine: try TestPolicies.engine()) { server in
            try await server.withClient { client in
                let error = await #expect(throws: GRPCCore.RPCError.self) {
                    try await Grpc_Health_V1_Health.Client(wrapping: client).check(.with { $0.service = "no.such.Service" })
                }
                #expect(error?.code == .notFound)
            }
        }
    }

    @Test func healthWatch_streamsChangesAndEndsWithNotServingAtShutdown() async throws {
        try await LiveServer.with(engine: nil) { server in
            try await server.withClient { client in
                let health = Grpc_Health_V1_Health.Client(wrapping: client)
                let seen = try await health.watch(.with { $0.service = "" }) { response in
                    var statuses: [Grpc_Health_V1_HealthCheckResponse.ServingStatus] = []
                    for try await message in response.messages {
                        statuses.append(message.status)
                        if statuses.count == 1 {
                            _ = server.store.publish(try TestPolicies.engine(), policyCount: 1, record: ReloadRecord(
                                time: .init(seconds: 0), outcome: .success, diagnostics: [], durationMilliseconds: 0, trigger: "test"))
                        } else if statuses.count == 2 {
                            server.service.health.beginShutdown()
                        }
                    }
                    return statuses
                }
                #expect(seen == [.notServing, .serving, .notServing])
            }
        }
    }

    /// The admin and playground services, and the deprecated CheckResourceSet, are not
    /// registered at all.
    @Test(arguments: [
        ("cerbos.svc.v1.CerbosService", "CheckResourceSet"),
        ("cerbos.svc.v1.CerbosAdminService", "AddOrUpdatePolicy"),
        ("cerbos.svc.v1.CerbosAdminService", "ListPolicies"),
        ("cerbos.svc.v1.CerbosPlaygroundService", "PlaygroundValidate"),
    ])
    func unservedMethods_areUnimplemented(service: String, method: String) async throws {
        try await LiveServer.with(engine: try TestPolicies.engine()) { server in
            try await server.withClient { client in
                let error = await #expect(throws: GRPCCore.RPCError.self) {
                    try await client.unary(
                        request: ClientRequest(message: Cerbos_Request_V1_ServerInfoRequest()),
                        descriptor: MethodDescriptor(fullyQualifiedService: service, method: method),
                        serializer: ProtobufSerializer<Cerbos_Request_V1_ServerInfoRequest>(),
                        deserializer: ProtobufDeserializer<Cerbos_Response_V1_ServerInfoResponse>(),
                        options: .defaults) { try $0.message }
                }
                #expect(error?.code == .unimplemented)
            }
        }
    }

    @Test func oversizedMessage_isRefused_andTheConnectionKeepsWorking() async throws {
        try await LiveServer.with(engine: try TestPolicies.engine(), limits: GRPCServerLimits(maxRecvMessageSize: 1024)) { server in
            try await server.withClient { client in
                let cerbos = Cerbos_Svc_V1_CerbosService.Client(wrapping: client)
                var big = checkRequest()
                big.resources[0].resource.attr["blob"] = .with { $0.stringValue = String(repeating: "x", count: 4096) }
                let error = await #expect(throws: GRPCCore.RPCError.self) { try await cerbos.checkResources(big) }
                // As grpc-go answers (Cerbos): RESOURCE_EXHAUSTED with the sizes, before decoding.
                #expect(error?.code == .resourceExhausted)
                let size = (try big.serializedBytes() as [UInt8]).count
                #expect(error?.message == "grpc: received message larger than max (\(size) vs. 1024)")
                let ok = try await cerbos.checkResources(checkRequest())
                #expect(ok.results.first?.actions["view"] == .allow)
            }
        }
    }

    /// A message spread over several DATA frames (HTTP/2's default frame is 16 KiB) is measured
    /// across them: within the limit it is decided, above it refused however it is split.
    @Test func messagesLongerThanAFrame_areMeasuredAcrossFrames() async throws {
        try await LiveServer.with(engine: try TestPolicies.engine(), limits: GRPCServerLimits(maxRecvMessageSize: 100_000)) { server in
            try await server.withClient { client in
                let cerbos = Cerbos_Svc_V1_CerbosService.Client(wrapping: client)
                var within = checkRequest()
                within.resources[0].resource.attr["blob"] = .with { $0.stringValue = String(repeating: "x", count: 60_000) }
                let first = try await cerbos.checkResources(within)
                #expect(first.results.first?.actions["view"] == .allow)
                var above = checkRequest()
                above.resources[0].resource.attr["blob"] = .with { $0.stringValue = String(repeating: "x", count: 150_000) }
                let error = await #expect(throws: GRPCCore.RPCError.self) { try await cerbos.checkResources(above) }
                #expect(error?.code == .resourceExhausted)
                let again = try await cerbos.checkResources(within)
                #expect(again.results.count == 1)
            }
        }
    }

    @Test func clientDeadline_isHonoured() async throws {
        try await LiveServer.with(engine: try TestPolicies.engine()) { server in
            try await server.withClient { client in
                let cerbos = Cerbos_Svc_V1_CerbosService.Client(wrapping: client)
                var options = CallOptions.defaults
                options.timeout = .nanoseconds(1)
                let error = await #expect(throws: GRPCCore.RPCError.self) { try await cerbos.checkResources(checkRequest(), options: options) }
                #expect(error?.code == .deadlineExceeded)
                let ok = try await cerbos.checkResources(checkRequest())
                #expect(ok.results.count == 1)
            }
        }
    }

    @Test func peersOutsideTheAllowLists_areDisconnected() async throws {
        let me = getuid()
        try await LiveServer.with(engine: try TestPolicies.engine(),
                                  peerPolicy: PeerPolicy(allowedUIDs: [me &+ 4242], allowedGIDs: [getgid() &+ 4242])) { server in
            try await server.withClient { client in
                // The server closes the connection: the test transport does not reconnect, so the
                // call fails unavailable (a reconnecting client would end at its deadline instead).
                var options = CallOptions.defaults
                options.timeout = .seconds(2)
                let error = await #expect(throws: GRPCCore.RPCError.self) {
                    try await Cerbos_Svc_V1_CerbosService.Client(wrapping: client).serverInfo(
                        Cerbos_Request_V1_ServerInfoRequest(), options: options)
                }
                #expect(error.map { [.unavailable, .deadlineExceeded].contains($0.code) } == true)
            }
        }
        try await LiveServer.with(engine: try TestPolicies.engine(), peerPolicy: PeerPolicy(allowedUIDs: [me])) { server in
            try await server.withClient { client in
                let info = try await Cerbos_Svc_V1_CerbosService.Client(wrapping: client).serverInfo(Cerbos_Request_V1_ServerInfoRequest())
                #expect(info.version == "9.8.7")
            }
        }
    }
}
