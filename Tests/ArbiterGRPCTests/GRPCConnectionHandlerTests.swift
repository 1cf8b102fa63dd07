@testable import ArbiterGRPC
import ArbiterServer
import CEL
import NIOCore
import NIOEmbedded
import NIOHPACK
import NIOHTTP2
import NIOPosix
import SwiftProtobuf
import Testing

/// The daemon's HTTP/2 handler on embedded channels, with NIO's HTTP/2 client on the other side:
/// the frames it answers with for what the gRPC clients of the live tests never send.
struct GRPCConnectionHandlerTests {
    @Test func aUnaryCall_isHeadersOneMessageAndTrailers() throws {
        let c = try GRPCEmbeddedConnection(engine: try TestPolicies.engine())
        try c.call(1, "/cerbos.svc.v1.CerbosService/CheckResources", checkRequest())
        let blocks = c.received.headerBlocks(1)
        #expect(blocks.count == 2)
        #expect(blocks.first?.0.first(name: ":status") == "200")
        #expect(blocks.first?.0.first(name: "content-type") == "application/grpc")
        #expect(blocks.last?.endStream == true)
        #expect(c.received.status(1) == "0")
        let responses = try c.received.messages(1, as: Cerbos_Response_V1_CheckResourcesResponse.self)
        #expect(responses.count == 1)
        #expect(responses.first?.results.first?.actions == ["view": .allow, "edit": .allow])
    }

    @Test func aContentTypeThatIsNotGRPC_isRefused415_trailersOnly() throws {
        let c = try GRPCEmbeddedConnection(engine: try TestPolicies.engine())
        try c.send(HTTP2Frame(streamID: 1, payload: .headers(.init(
            headers: GRPCEmbeddedConnection.requestHeaders("/cerbos.svc.v1.CerbosService/ServerInfo", contentType: "application/json")))))
        let blocks = c.received.headerBlocks(1)
        #expect(blocks.count == 1)
        #expect(blocks.first?.endStream == true)
        #expect(blocks.first?.0.first(name: ":status") == "415")
        #expect(blocks.first?.0.first(name: "grpc-status") == "3")
        #expect(blocks.first?.0.first(name: "grpc-message") == #"invalid gRPC request content-type "application/json""#)
        // The client had not ended its side: told to stop sending.
        #expect(c.sent.resets(1) == [.noError])
    }

    @Test func anUnknownMethod_isUnimplemented_andTheConnectionGoesOn() throws {
        let c = try GRPCEmbeddedConnection(engine: try TestPolicies.engine())
        try c.call(1, "/cerbos.svc.v1.CerbosAdminService/ListPolicies", Cerbos_Request_V1_ServerInfoRequest())
        #expect(c.received.status(1) == "12")
        #expect(c.received.headerBlocks(1).first?.0.first(name: "grpc-message") == "unknown service cerbos.svc.v1.CerbosAdminService")
        try c.call(3, "/cerbos.svc.v1.CerbosService/ServerInfo", Cerbos_Request_V1_ServerInfoRequest())
        #expect(c.received.status(3) == "0")
        #expect(try c.received.messages(3, as: Cerbos_Response_V1_ServerInfoResponse.self).first?.version == "9.8.7")
    }

    @Test func noMessage_andACompressedMessage_areInternal() throws {
        let c = try GRPCEmbeddedConnection(engine: try TestPolicies.engine())
        try c.send(HTTP2Frame(streamID: 1, payload: .headers(.init(
            headers: GRPCEmbeddedConnection.requestHeaders("/cerbos.svc.v1.CerbosService/ServerInfo"), endStream: true))))
        #expect(c.received.status(1) == "13")
        let compressed = ByteBuffer(bytes: [1, 0, 0, 0, 0])
        try c.send(HTTP2Frame(streamID: 3, payload: .headers(.init(
                       headers: GRPCEmbeddedConnection.requestHeaders("/cerbos.svc.v1.CerbosService/ServerInfo")))),
                   HTTP2Frame(streamID: 3, payload: .data(.init(data: .byteBuffer(compressed), endStream: true))))
        #expect(c.received.status(3) == "13")
    }

    /// A message near the 4 MiB limit is far more than HTTP/2's 64 KiB default windows: the
    /// server must open the connection and stream windows as it reads, or the client stalls.
    @Test func aMessageNearTheLimit_flowsThroughTheWindows() throws {
        let c = try GRPCEmbeddedConnection(engine: try TestPolicies.engine())
        var big = checkRequest()
        big.resources[0].resource.attr["blob"] = .with { $0.stringValue = String(repeating: "x", count: (4 << 20) - 1024) }
        try c.call(1, "/cerbos.svc.v1.CerbosService/CheckResources", big)
        #expect(c.received.status(1) == "0")
        #expect(try c.received.messages(1, as: Cerbos_Response_V1_CheckResourcesResponse.self).first?.results.count == 1)
        // And again on the same connection: the connection window was given back.
        try c.call(3, "/cerbos.svc.v1.CerbosService/CheckResources", big)
        #expect(c.received.status(3) == "0")
    }

    @Test func anOversizedMessage_isResourceExhausted_thenReset() throws {
        let c = try GRPCEmbeddedConnection(engine: try TestPolicies.engine(), limits: GRPCServerLimits(maxRecvMessageSize: 1000))
        var big = checkRequest()
        big.resources[0].resource.attr["blob"] = .with { $0.stringValue = String(repeating: "x", count: 200_000) }
        let size = (try big.serializedBytes() as [UInt8]).count
        try c.call(1, "/cerbos.svc.v1.CerbosService/CheckResources", big)
        #expect(c.received.status(1) == "8")
        #expect(c.received.headerBlocks(1).first?.0.first(name: "grpc-message")
                == "grpc: received message larger than max (\(size) vs. 1000)")
        // Written after the status (NIO's client does not pass a reset on once it has the
        // stream's END_STREAM, so this looks at what the server handler wrote).
        #expect(c.sent.resets(1) == [.noError])
        try c.call(3, "/cerbos.svc.v1.CerbosService/ServerInfo", Cerbos_Request_V1_ServerInfoRequest())
        #expect(c.received.status(3) == "0")
    }

    @Test func watch_sendsChanges_andEndsWithNotServingAndGOAWAYOnQuiesce() throws {
        let c = try GRPCEmbeddedConnection(engine: nil)
        try c.call(1, "/grpc.health.v1.Health/Watch", Grpc_Health_V1_HealthCheckRequest())
        try c.call(3, "/grpc.health.v1.Health/Watch", Grpc_Health_V1_HealthCheckRequest.with { $0.service = "no.such.Service" })
        #expect(try c.received.messages(1, as: Grpc_Health_V1_HealthCheckResponse.self).map(\.status) == [.notServing])
        #expect(try c.received.messages(3, as: Grpc_Health_V1_HealthCheckResponse.self).map(\.status) == [.serviceUnknown])
        _ = c.store.publish(try TestPolicies.engine(), policyCount: 1, record: ReloadRecord(
            time: .init(seconds: 0), outcome: .success, diagnostics: [], durationMilliseconds: 0, trigger: "test"))
        (c.server.eventLoop as! EmbeddedEventLoop).advanceTime(by: .milliseconds(300))
        try c.pump()
        #expect(try c.received.messages(1, as: Grpc_Health_V1_HealthCheckResponse.self).map(\.status) == [.notServing, .serving])
        #expect(c.received.status(1) == nil, "the stream is still open")
        c.server.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        try c.pump()
        #expect(try c.received.messages(1, as: Grpc_Health_V1_HealthCheckResponse.self).map(\.status)
                == [.notServing, .serving, .notServing])
        #expect(c.received.status(1) == "0")
        #expect(c.received.status(3) == "0")
        #expect(c.received.frames.contains { if case .goAway = $0.payload { return true } else { return false } })
    }
}
