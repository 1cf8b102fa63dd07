import ArbiterServer
import GRPCCore

extension DecisionCall {
    /// The audit view of a gRPC call: its peer (`context.remotePeer`, with the Unix peer's
    /// credentials that `GRPCStreamGuard` put in the metadata), the user agent, and the request
    /// metadata as Cerbos logs it (binary values base64, as grpc-gateway shows them); the
    /// recorder filters the keys by `includeMetadataKeys`/`excludeMetadataKeys`.
    init(grpc metadata: Metadata, context: ServerContext, recorder: DecisionRecorder) {
        var peer = AuditPeer(address: Self.address(ofPeer: context.remotePeer))
        var entries: [(key: String, value: String)] = []
        entries.reserveCapacity(metadata.count)
        for (key, value) in metadata {
            if key == GRPCPeerMetadata.key {
                if case let .string(text) = value { GRPCPeerMetadata.decode(text, into: &peer) }
                continue
            }
            if key == "user-agent", case let .string(agent) = value { peer.userAgent = agent }
            entries.append((key: key, value: value.encoded()))
        }
        self.init(peer: peer, metadata: entries, recorder: recorder)
    }

    /// Cerbos's `peer.address`: `unix:<socket path>` for a Unix socket (grpc-swift names the
    /// listening path, as the other front ends do), `host:port` for TCP.
    static func address(ofPeer peer: String) -> String {
        for prefix in ["ipv4:", "ipv6:"] where peer.hasPrefix(prefix) { return String(peer.dropFirst(prefix.count)) }
        return peer
    }
}
