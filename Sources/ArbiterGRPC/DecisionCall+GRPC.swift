import ArbiterServer
import GRPCCore
import NIOHPACK

extension DecisionCall {
    /// A header no gRPC library sends, which earlier versions of this server used to carry the
    /// peer's credentials to the call; a client that sends it is still not believed, and it is
    /// never logged as metadata.
    static let reservedPeerHeader = "arbiter-peer-credentials"

    /// The audit view of a call the daemon's HTTP/2 handler answers: the connection's `peer`
    /// (its address, and a Unix peer's credentials and executable), the user agent, and the
    /// request headers that grpc-go makes the call's metadata, which is what Cerbos logs (binary
    /// `-bin` values as padded base64, as grpc-gateway shows them); the recorder filters the keys
    /// by `includeMetadataKeys`/`excludeMetadataKeys`.
    init(grpcHeaders headers: HPACKHeaders, peer: AuditPeer, recorder: DecisionRecorder) {
        var peer = peer
        var entries: [(key: String, value: String)] = []
        entries.reserveCapacity(headers.count)
        for (name, value, _) in headers {
            if name == Self.reservedPeerHeader || !Self.isMetadata(name) { continue }
            if name == "user-agent" { peer.userAgent = value }
            entries.append((key: name, value: name.hasSuffix("-bin") ? Self.paddedBase64(value) : value))
        }
        self.init(peer: peer, metadata: entries, recorder: recorder)
    }

    /// Whether grpc-go hands header `name` to the call as metadata: not the pseudo-headers other
    /// than `:authority`, and not the transport's own (`te`, `grpc-timeout`, `grpc-encoding` and
    /// the status headers); `content-type` and `user-agent` it keeps.
    static func isMetadata(_ name: String) -> Bool {
        if name.hasPrefix(":") { return name == ":authority" }
        switch name {
        case "te", "grpc-timeout", "grpc-encoding", "grpc-message", "grpc-message-type", "grpc-status",
             "grpc-status-details-bin":
            return false
        default:
            return true
        }
    }

    /// A binary header's value as grpc-swift logged it (decoded, then encoded with padding):
    /// gRPC senders may leave the padding off. Text that is not base64 is kept as sent.
    static func paddedBase64(_ value: String) -> String {
        let alphabet = value.utf8.allSatisfy { b in
            (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")) || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z"))
                || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "+") || b == UInt8(ascii: "/")
        }
        guard alphabet, value.utf8.count % 4 != 1 else { return value }
        return value + String(repeating: "=", count: (4 - value.utf8.count % 4) % 4)
    }
}
