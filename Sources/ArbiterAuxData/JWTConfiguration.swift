/// `auxData.jwt`: how JWTs passed in requests are verified (Cerbos's names and defaults).
public struct JWTConfiguration: Sendable {
    /// `keySets`: the key sets tokens are verified with, by id.
    public var keySets: [JWTKeySetConfiguration] = []
    /// `disableVerification`: accept tokens without checking their signature. Expiry and
    /// not-before are still checked. Default false.
    public var disableVerification: Bool = false
    /// `acceptableTimeSkew`: leeway for `exp`, `nbf` and `iat`. Default 2s.
    public var acceptableTimeSkew: Duration = .seconds(2)
    /// `cacheSize`: verified tokens remembered, so a repeated token costs a lookup instead of
    /// a signature check. Default 256; 0 or less turns the cache off.
    public var cacheSize: Int = 256

    /// The defaults: no key sets, verification on.
    public init() {}
}

/// One entry of `auxData.jwt.keySets`.
public struct JWTKeySetConfiguration: Sendable {
    /// Where the keys come from.
    public enum Source: Sendable, Equatable {
        /// `local.file`: a JWK set, a single JWK or PEM blocks in a file.
        case localFile(path: String, pem: Bool)
        /// `local.data`: the same, base64-encoded in the configuration.
        case localData(base64: String, pem: Bool)
        /// `remote.url`: a JWKS fetched over HTTP(S), refreshed every `refreshInterval`
        /// (nil: the default interval).
        case remote(url: String, refreshInterval: Duration?)
    }

    /// `id`: what requests name in `keySetId`.
    public var id: String
    /// `local` or `remote`.
    public var source: Source
    /// `insecure.optionalAlg`: keys without `alg` verify with any algorithm of their type.
    public var optionalAlg: Bool
    /// `insecure.optionalKid`: keys without `kid` are accepted and tried for tokens without one.
    public var optionalKid: Bool

    /// Creates a key set entry.
    public init(id: String, source: Source, optionalAlg: Bool = false, optionalKid: Bool = false) {
        self.id = id
        self.source = source
        self.optionalAlg = optionalAlg
        self.optionalKid = optionalKid
    }
}
