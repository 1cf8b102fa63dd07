import ArbiterJSON
import CEL
import Foundation
import JWTKit

/// A compact JWS split and decoded: JWTKit's parser reads the JOSE header and the signature;
/// the payload is read straight into CEL values, which is what the claims become.
struct ParsedToken {
    /// Header `alg`.
    let alg: String
    /// Header `kid`, if any.
    let kid: String?
    /// The decoded payload JSON.
    let payload: Value
    /// What the signature covers: `header.payload` as sent.
    let signingInput: ArraySlice<UInt8>
    let signature: Data

    /// A payload type that reads nothing: JWTKit's parser is used for the header and the
    /// signature only.
    private struct SkippedPayload: JWTPayload {
        init(from decoder: any Decoder) throws {}
        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    init(_ token: String) throws(JWTVerificationError) {
        let bytes = Array(token.utf8)
        let header: JWTHeader
        do {
            (header, _, signature) = try DefaultJWTParser().parse(bytes, as: SkippedPayload.self)
        } catch let e as JWTError {
            throw .unparsable(e.reason ?? "\(e)")
        } catch {
            throw .unparsable("\(error)")
        }
        guard let alg = header.alg, !alg.isEmpty else { throw .unparsable("the header has no algorithm (alg)") }
        // RFC 7515 §4.1.11: a recipient must refuse a token whose `crit` names an extension it
        // does not understand, and this verifier understands none.
        if let crit = header.fields["crit"] {
            let names = crit.asArray?.compactMap(\.asString) ?? []
            throw .unparsable("the header marks extensions as critical (crit: \(names.isEmpty ? "malformed" : names.joined(separator: ", "))), which this server does not support")
        }
        self.alg = alg
        kid = header.kid
        guard let first = bytes.firstIndex(of: UInt8(ascii: ".")),
              let second = bytes[(first + 1)...].firstIndex(of: UInt8(ascii: ".")) else {
            throw .unparsable("Token is not split in 3 parts")
        }
        signingInput = bytes[..<second]
        guard let json = Base64URL.decode(String(decoding: bytes[(first + 1)..<second], as: UTF8.self)) else {
            throw .unparsable("the payload is not base64url")
        }
        do {
            payload = try JSONReader.parse(json)
        } catch {
            throw .unparsable("the payload is not JSON: \(error)")
        }
    }
}
