import ArbiterGRPC
import GRPCCore
import SwiftProtobuf
import Testing

/// A request near the default 4 MiB limit, sent by `GRPCClient` over a real socket, is
/// answered: the server's handler opens the connection and stream windows as it reads (there
/// is no stream multiplexer to do it), so the client never waits on a window.
@Suite(.serialized) struct GRPCLargeMessageLiveTests {
    @Test func aMessageNearTheLimit_isAnswered_twiceOnOneConnection() async throws {
        try await LiveServer.with(engine: try TestPolicies.engine()) { server in
            try await server.withClient { client in
                let cerbos = Cerbos_Svc_V1_CerbosService.Client(wrapping: client)
                var big = checkRequest()
                big.resources[0].resource.attr["blob"] = .with { $0.stringValue = String(repeating: "x", count: (4 << 20) - 4096) }
                #expect((try big.serializedBytes() as [UInt8]).count <= 4 << 20)
                for _ in 0..<2 {
                    var options = CallOptions.defaults
                    options.timeout = .seconds(30)
                    let response = try await cerbos.checkResources(big, options: options)
                    #expect(response.results.first?.actions["view"] == .allow)
                }
            }
        }
    }
}
