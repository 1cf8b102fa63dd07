import ArbiterEngine
import CEL
import Foundation
import JWTKit

/// Turns a request's `auxData` tokens into the verified claims the engine evaluates with
/// (Cerbos's `internal/auxdata`). Built once from `auxData.jwt`; local key sets are loaded
/// then, remote ones are filled in by the server's fetcher. Verification is synchronous and
/// reads only immutable keys and the token cache, so it runs on the request path.
public final class AuxDataVerifier: Sendable {
    enum Source: Sendable {
        case local(JWTKeySet)
        case remote(RemoteKeySet)
    }

    struct KeySetEntry: Sendable {
        let source: Source
        let optionalAlg: Bool
        let optionalKid: Bool
    }

    let verifySignatures: Bool
    let skewSeconds: Int64
    let keySets: [String: KeySetEntry]
    let cache: VerifiedTokenCache?

    /// The remote key sets, for the fetcher to keep current.
    public let remoteKeySets: [RemoteKeySet]

    /// Verification with no key sets, as Cerbos without `auxData` configuration: every token
    /// is refused, since there is nothing to verify it with.
    public convenience init() {
        self.init(configuration: JWTConfiguration(), local: [:])
    }

    /// Loads the local key sets of `configuration`; a key set that cannot be read or parsed
    /// is an error naming it (`auxData.jwt.keySets[i]`, id).
    public convenience init(configuration: JWTConfiguration) async throws(KeySetError) {
        var local: [String: JWTKeySet] = [:]
        if !configuration.disableVerification {
            for (i, ks) in configuration.keySets.enumerated() {
                let bytes: [UInt8]
                let pem: Bool
                switch ks.source {
                case .remote:
                    continue
                case let .localFile(path, isPEM):
                    guard let data = FileManager.default.contents(atPath: path) else {
                        throw Self.named(i, ks.id, "local.file", "failed to read keyset from '\(path)'")
                    }
                    bytes = [UInt8](data)
                    pem = isPEM
                case let .localData(base64, isPEM):
                    guard let data = Data(base64Encoded: base64, options: .ignoreUnknownCharacters) else {
                        throw Self.named(i, ks.id, "local.data", "failed to decode base64 encoded keyset data")
                    }
                    bytes = [UInt8](data)
                    pem = isPEM
                }
                do {
                    local[ks.id] = try await JWTKeySet.load(bytes, pem: pem, optionalAlg: ks.optionalAlg, optionalKid: ks.optionalKid)
                } catch {
                    throw Self.named(i, ks.id, "local", error.message)
                }
            }
        }
        self.init(configuration: configuration, local: local)
    }

    private init(configuration: JWTConfiguration, local: [String: JWTKeySet]) {
        verifySignatures = !configuration.disableVerification
        skewSeconds = max(0, configuration.acceptableTimeSkew.components.seconds)
        var sets: [String: KeySetEntry] = [:]
        var remotes: [RemoteKeySet] = []
        if verifySignatures {
            for ks in configuration.keySets {
                let source: Source
                switch ks.source {
                case let .remote(url, interval):
                    let remote = RemoteKeySet(id: ks.id, url: url, refreshInterval: interval,
                                              optionalAlg: ks.optionalAlg, optionalKid: ks.optionalKid)
                    remotes.append(remote)
                    source = .remote(remote)
                case .localFile, .localData:
                    guard let keys = local[ks.id] else { continue }
                    source = .local(keys)
                }
                sets[ks.id] = KeySetEntry(source: source, optionalAlg: ks.optionalAlg, optionalKid: ks.optionalKid)
            }
        }
        keySets = sets
        remoteKeySets = remotes
        cache = verifySignatures && configuration.cacheSize > 0 ? VerifiedTokenCache(capacity: configuration.cacheSize) : nil
    }

    private static func named(_ index: Int, _ id: String, _ key: String, _ message: String) -> KeySetError {
        KeySetError("auxData.jwt.keySets[\(index)] (id \"\(id)\") \(key): \(message)")
    }

    /// The claims of every token in `tokens` at `now`; nil when there are none. A token that
    /// does not verify is a request error naming it, with Cerbos's message `invalid auxData`
    /// and the reason.
    public func verify(_ tokens: AuxDataTokens, now: Timestamp, path: String = "auxData") throws(RequestError) -> AuxData? {
        if tokens.isEmpty { return nil }
        if let jwt = tokens.jwt {
            do {
                return AuxData(jwt: try claims(of: jwt, now: now))
            } catch {
                throw RequestError(path: path + ".jwt", message: "invalid auxData: \(error)")
            }
        }
        var named: [(name: String, claims: MapValue)] = []
        for (name, token) in tokens.jwts.sorted(by: { $0.key < $1.key }) {
            do {
                named.append((name, try claims(of: token, now: now)))
            } catch {
                throw RequestError(path: path + ".jwts[\"\(name)\"]", message: "invalid auxData: \(error)")
            }
        }
        return AuxData(jwts: named)
    }

    /// One token's claims: cached if seen before, otherwise parsed, verified with the key set
    /// it names (or the only one configured), checked for time validity and cached.
    public func claims(of token: AuxDataTokens.Token, now: Timestamp) throws(JWTVerificationError) -> MapValue {
        let cacheKey = VerifiedTokenCache.Key(keySetId: token.keySetId, token: token.token)
        if let cached = cache?.claims(for: cacheKey, now: now.seconds) {
            try cached.validate(now: now.seconds, skew: skewSeconds)
            return cached.map
        }
        // The key set is resolved before the token is read, as in Cerbos: naming an unknown
        // key set is reported as such whatever the token holds.
        let keySet = verifySignatures ? try resolveKeySet(token.keySetId) : nil
        let parsed = try ParsedToken(token.token)
        if let (entry, keys) = keySet {
            try verifySignature(of: parsed, entry: entry, keys: keys)
        }
        let claims = try JWTClaims(payload: parsed.payload)
        try claims.validate(now: now.seconds, skew: skewSeconds)
        cache?.insert(claims, for: cacheKey, now: now.seconds)
        return claims.map
    }

    /// Tokens in the verified-token cache (0 when it is off).
    public var cachedTokenCount: Int { cache?.count ?? 0 }

    /// The number of keys key set `id` verifies with now; throws what a token naming it meets
    /// (unknown id, or a remote set with no good fetch yet, with the fetch's error).
    public func keyCount(_ id: String) throws(KeySetError) -> Int {
        guard let entry = keySets[id] else { throw KeySetError("keyset not found: \(id)") }
        return try Self.currentKeys(entry).count
    }

    private static func currentKeys(_ entry: KeySetEntry) throws(KeySetError) -> JWTKeySet {
        switch entry.source {
        case let .local(keys): return keys
        case let .remote(remote): return try remote.current()
        }
    }

    private func resolveKeySet(_ keySetId: String) throws(JWTVerificationError) -> (KeySetEntry, JWTKeySet) {
        let entry: KeySetEntry
        if keySetId.isEmpty {
            guard keySets.count == 1, let only = keySets.values.first else {
                throw JWTVerificationError("cannot determine keyset to use for validating the JWT")
            }
            entry = only
        } else {
            guard let named = keySets[keySetId] else { throw JWTVerificationError("keyset not found: \(keySetId)") }
            entry = named
        }
        do {
            return (entry, try Self.currentKeys(entry))
        } catch {
            throw JWTVerificationError("failed to retrieve keyset: \(error.message)")
        }
    }

    private func verifySignature(of token: ParsedToken, entry: KeySetEntry, keys: JWTKeySet) throws(JWTVerificationError) {
        if token.kid == nil, !entry.optionalKid {
            throw .unparsable("the token has no key ID (kid) and the key set requires one")
        }
        let verifiers = keys.verifiers(kid: token.kid, alg: token.alg, optionalKid: entry.optionalKid, optionalAlg: entry.optionalAlg)
        if verifiers.isEmpty {
            throw .unparsable("no key in the key set matches kid \(token.kid.map { "\"\($0)\"" } ?? "(none)") and alg \(token.alg)")
        }
        for verifier in verifiers {
            // A malformed signature for one key type is just a mismatch: the next key may fit.
            if (try? verifier.verify(token.signature, signs: token.signingInput)) == true { return }
        }
        throw .unparsable("could not verify the signature with any key of the key set")
    }
}
