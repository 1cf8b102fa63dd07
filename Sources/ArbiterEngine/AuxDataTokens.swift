import CEL
import OrderedCollections

/// The `auxData` member of a CheckResources or PlanResources request (Cerbos's
/// `cerbos.request.v1.AuxData`): the JWTs a client passes for the server to verify. Decoding
/// only checks the shape; verifying the tokens into `AuxData` claims is the server's job.
public struct AuxDataTokens: Sendable, Hashable {
    /// One token and the key set to verify it with.
    public struct Token: Sendable, Hashable {
        /// The compact JWS.
        public var token: String
        /// `keySetId`: the id of a configured key set; empty for "the only one configured".
        public var keySetId: String

        /// Creates a token reference.
        public init(token: String, keySetId: String = "") {
            self.token = token
            self.keySetId = keySetId
        }
    }

    /// `jwt`: the single token whose claims become `request.auxData.jwt`.
    public var jwt: Token?
    /// `jwts`: named tokens whose claims become `request.auxData.jwts.<name>.claims`.
    public var jwts: [String: Token]

    /// Creates the member.
    public init(jwt: Token? = nil, jwts: [String: Token] = [:]) {
        self.jwt = jwt
        self.jwts = jwts
    }

    /// Whether there is no token to verify.
    public var isEmpty: Bool { jwt == nil && jwts.isEmpty }

    /// Decodes the member's JSON with Cerbos's validation rules (unknown fields rejected, a
    /// non-empty `token`, non-empty `jwts` names, not both `jwt` and `jwts`); errors name the
    /// field under `path`.
    public init(from value: Value, path: String = "auxData") throws(RequestError) {
        let r = RequestReader(value, path: path)
        let m = try r.object(allowed: ["jwt", "jwts"])
        jwt = nil
        jwts = [:]
        if let v = m[string: "jwt"], !r.isNull(v) {
            jwt = try Self.token(v, path: r.child("jwt"))
        }
        if let v = m[string: "jwts"], !r.isNull(v) {
            guard case let .map(named) = v else { throw RequestError(path: r.child("jwts"), message: "must be an object") }
            for (key, entry) in named.storage {
                guard case let .string(name) = key, !name.isEmpty else {
                    throw RequestError(path: r.child("jwts"), message: "map keys must be non-empty strings")
                }
                jwts[name] = try Self.token(entry, path: r.child("jwts") + "[\"\(name)\"]")
            }
        }
        if jwt != nil, !jwts.isEmpty {
            throw RequestError(path: path, message: "Only one of the jwt or jwts fields must be set")
        }
    }

    private static func token(_ value: Value, path: String) throws(RequestError) -> Token {
        let r = RequestReader(value, path: path)
        let m = try r.object(allowed: ["token", "keySetId", "key_set_id"])
        let token = try r.string(m, "token", required: true)
        let keySetId = try r.string(m, m[string: "keySetId"] != nil ? "keySetId" : "key_set_id")
        return Token(token: token, keySetId: keySetId)
    }
}
