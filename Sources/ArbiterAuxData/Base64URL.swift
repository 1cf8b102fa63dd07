import Foundation

/// Unpadded base64url (RFC 4648 §5), the encoding of JWS segments and JWK members.
enum Base64URL {
    /// The decoded bytes, or nil when `text` is not base64url.
    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var s = String(text).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        switch s.utf8.count % 4 {
        case 2: s += "=="
        case 3: s += "="
        case 1: return nil
        default: break
        }
        return Data(base64Encoded: s).map { [UInt8]($0) }
    }
}
