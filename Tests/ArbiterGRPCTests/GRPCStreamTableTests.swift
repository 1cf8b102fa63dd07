@testable import ArbiterGRPC
import NIOCore
import NIOEmbedded
import NIOHTTP2
import Testing

/// The handler's table of open streams holds only streams still in flight: a client's
/// RST_STREAM, an answered call and a cancelled Watch leave nothing behind.
struct GRPCStreamTableTests {
    static func handler(_ c: GRPCEmbeddedConnection) throws -> GRPCConnectionHandler {
        try c.server.pipeline.syncOperations.handler(type: GRPCConnectionHandler.self)
    }

    @Test func aClientReset_dropsTheStream() throws {
        let c = try GRPCEmbeddedConnection(engine: try TestPolicies.engine())
        try c.send(HTTP2Frame(streamID: 1, payload: .headers(.init(
            headers: GRPCEmbeddedConnection.requestHeaders("/cerbos.svc.v1.CerbosService/CheckResources")))))
        #expect(try Self.handler(c).openStreamCount == 1)
        try c.send(HTTP2Frame(streamID: 1, payload: .rstStream(.cancel)))
        #expect(try Self.handler(c).openStreamCount == 0)
        #expect(c.received.headerBlocks(1).isEmpty, "nothing answered on a reset stream")
    }

    @Test func answeredCalls_andACancelledWatch_leaveNoState() throws {
        let c = try GRPCEmbeddedConnection(engine: try TestPolicies.engine())
        try c.call(1, "/cerbos.svc.v1.CerbosService/ServerInfo", Cerbos_Request_V1_ServerInfoRequest())
        try c.call(3, "/grpc.health.v1.Health/Watch", Grpc_Health_V1_HealthCheckRequest())
        #expect(c.received.status(1) == "0")
        #expect(try Self.handler(c).openStreamCount == 1, "the Watch stays open")
        try c.send(HTTP2Frame(streamID: 3, payload: .rstStream(.cancel)))
        #expect(try Self.handler(c).openStreamCount == 0)
        // Nothing more is written for it, even when the status it watched changes.
        let before = c.received.frames.count
        c.health.beginShutdown()
        (c.server.eventLoop as! EmbeddedEventLoop).advanceTime(by: .seconds(2))
        try c.pump()
        #expect(c.received.frames.count == before)
    }
}
