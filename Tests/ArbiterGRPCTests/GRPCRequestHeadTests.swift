@testable import ArbiterGRPC
import GRPCCore
import NIOCore
import NIOHPACK
import Testing

/// Request HEADERS are checked as grpc-go checks them, and `:path` is routed.
struct GRPCRequestHeadTests {
    static func headers(path: String = "/cerbos.svc.v1.CerbosService/CheckResources", method: String = "POST",
                        contentType: String = "application/grpc", extra: [(String, String)] = []) -> HPACKHeaders {
        var h: HPACKHeaders = [":method": method, ":scheme": "http", ":path": path, "content-type": contentType]
        for (k, v) in extra { h.add(name: k, value: v) }
        return h
    }

    @Test(arguments: [
        ("/cerbos.svc.v1.CerbosService/CheckResources", GRPCMethod.checkResources),
        ("/cerbos.svc.v1.CerbosService/PlanResources", .planResources),
        ("/cerbos.svc.v1.CerbosService/ServerInfo", .serverInfo),
        ("/grpc.health.v1.Health/Check", .healthCheck),
        ("/grpc.health.v1.Health/Watch", .healthWatch),
    ])
    func servedPaths_areRouted(path: String, method: GRPCMethod) throws {
        #expect(try GRPCRequestHead.parse(Self.headers(path: path)).get().method == method)
    }

    @Test(arguments: [
        ("/cerbos.svc.v1.CerbosService/CheckResourceSet", "unknown method CheckResourceSet for service cerbos.svc.v1.CerbosService"),
        ("/cerbos.svc.v1.CerbosAdminService/ListPolicies", "unknown service cerbos.svc.v1.CerbosAdminService"),
        ("/grpc.health.v1.Health/List", "unknown method List for service grpc.health.v1.Health"),
        ("nonsense", #"malformed method name: "nonsense""#),
    ])
    func otherPaths_areUnimplemented(path: String, message: String) {
        #expect(throws: GRPCCallError(.unimplemented, message)) { try GRPCRequestHead.parse(Self.headers(path: path)).get() }
    }

    @Test func aContentTypeThatIsNotGRPC_is415_invalidArgument() {
        #expect(throws: GRPCCallError(.invalidArgument, #"invalid gRPC request content-type "application/json""#, httpStatus: 415)) {
            try GRPCRequestHead.parse(Self.headers(contentType: "application/json")).get()
        }
        #expect(throws: GRPCCallError(.invalidArgument, #"invalid gRPC request content-type "application/grpcx""#, httpStatus: 415)) {
            try GRPCRequestHead.parse(Self.headers(contentType: "application/grpcx")).get()
        }
        #expect(throws: Never.self) { try GRPCRequestHead.parse(Self.headers(contentType: "application/grpc+proto")).get() }
    }

    @Test func aMethodOtherThanPOST_is405() {
        #expect(throws: GRPCCallError(.internalError, "http2Server.operateHeaders parsed a :method field: GET which should be POST",
                                      httpStatus: 405)) {
            try GRPCRequestHead.parse(Self.headers(method: "GET")).get()
        }
    }

    @Test func timeouts_areRead_andMalformedOnesAre400() throws {
        let now = NIODeadline.uptimeNanoseconds(1_000_000_000)
        let head = try GRPCRequestHead.parse(Self.headers(extra: [("grpc-timeout", "250m")]), now: now).get()
        #expect(head.deadline == now + .milliseconds(250))
        #expect(GRPCRequestHead.parseTimeout("2H") == .hours(2))
        #expect(GRPCRequestHead.parseTimeout("123456789S") == nil)
        #expect(throws: GRPCCallError(.internalError, #"malformed grpc-timeout: "18f6n""#, httpStatus: 400)) {
            try GRPCRequestHead.parse(Self.headers(extra: [("grpc-timeout", "18f6n")])).get()
        }
    }

    @Test func anEncodingThisServerCannotDecode_isUnimplemented() throws {
        #expect(throws: GRPCCallError(.unimplemented, #"grpc: Decompressor is not installed for grpc-encoding "gzip""#)) {
            try GRPCRequestHead.parse(Self.headers(extra: [("grpc-encoding", "gzip")])).get()
        }
        // identity (and an empty value) is no encoding: the call is taken.
        #expect(try GRPCRequestHead.parse(Self.headers(extra: [("grpc-encoding", "identity")])).get().method == .checkResources)
        #expect(try GRPCRequestHead.parse(Self.headers(extra: [("grpc-encoding", "")])).get().method == .checkResources)
    }

    @Test func grpcMessages_arePercentEncoded() {
        #expect(GRPCResponseHeaders.percentEncoded("plain text: ok") == "plain text: ok")
        #expect(GRPCResponseHeaders.percentEncoded("100% é\n") == "100%25 %C3%A9%0A")
    }
}
