import ArbiterAuxData
import ArbiterYAML
import Foundation
import Testing

/// `../shared/conformance/cerbos/auxdata`: Cerbos's key set cases (`TestKeySet` in
/// internal/auxdata/jwt_test.go). Each case's key is loaded as `local.data`, as `local.file`
/// and, unless it is PEM, as a fetched remote document; the outcome must be a non-empty key set
/// or an error containing `wantErr` (all three), `wantLocalErr` (local) or `wantRemoteErr`.
@Suite struct AuxDataConformanceTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var key: String
        var pem: Bool
        var wantErr: String?
        var wantLocalErr: String?
        var wantRemoteErr: String?
        var testDescription: String { name }
    }

    static let caseNames: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: AuxDataFixtures.auxDataDirectory)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }()

    /// The folder's twelve files: ten cases and the two keys of `keys/` (used by the token tests).
    @Test func conformanceFolder_holdsTheTenKeySetCases() {
        #expect(Self.caseNames.count == 10, "expected 10 cases in \(AuxDataFixtures.auxDataDirectory)")
    }

    static func load(_ name: String) throws -> Case {
        let path = AuxDataFixtures.auxDataDirectory + "/" + name
        let docs = try YAMLParser.parse(try AuxDataFixtures.read(path), file: path)
        guard let top = docs.first, case .mapping = top.kind else { throw FixtureError("\(name): not a mapping") }
        func member(_ node: YAMLNode, _ key: String) -> YAMLNode? {
            guard case let .mapping(ps) = node.kind else { return nil }
            return ps.first { $0.key.scalar?.value == key }?.value
        }
        guard let input = member(top, "input"), let key = member(input, "key")?.scalar?.value else {
            throw FixtureError("\(name): no input.key")
        }
        return Case(name: name, key: key, pem: member(input, "pem")?.scalar?.value == "true",
                    wantErr: member(top, "wantErr")?.scalar?.value,
                    wantLocalErr: member(top, "wantLocalErr")?.scalar?.value,
                    wantRemoteErr: member(top, "wantRemoteErr")?.scalar?.value)
    }

    /// Checks one outcome against the wanted error; returns a failure text or nil.
    static func judge(_ outcome: Result<Int, any Error>, want: String?, _ variant: String) -> String? {
        switch (outcome, want) {
        case let (.success(count), nil):
            return count > 0 ? nil : "\(variant): empty key set"
        case let (.success(count), want?):
            return "\(variant): loaded \(count) keys, wanted error containing \"\(want)\""
        case let (.failure(error), nil):
            return "\(variant): unexpected error \(error)"
        case let (.failure(error), want?):
            return "\(error)".contains(want) ? nil : "\(variant): error \"\(error)\" does not contain \"\(want)\""
        }
    }

    @Test(arguments: caseNames)
    func keySetCase(_ name: String) async throws {
        let c = try Self.load(name)
        let bytes = Array(c.key.utf8)
        var failures: [String] = []

        var data = JWTConfiguration()
        data.keySets = [JWTKeySetConfiguration(id: "ks", source: .localData(base64: Data(bytes).base64EncodedString(), pem: c.pem))]
        failures.append(contentsOf: [Self.judge(await Self.outcome { try await AuxDataVerifier(configuration: data).keyCount("ks") },
                                                want: c.wantErr ?? c.wantLocalErr, "local/data")].compactMap { $0 })

        let file = try AuxDataFixtures.temporaryFile(bytes, name: name)
        defer { try? FileManager.default.removeItem(atPath: (file as NSString).deletingLastPathComponent) }
        var onDisk = JWTConfiguration()
        onDisk.keySets = [JWTKeySetConfiguration(id: "ks", source: .localFile(path: file, pem: c.pem))]
        failures.append(contentsOf: [Self.judge(await Self.outcome { try await AuxDataVerifier(configuration: onDisk).keyCount("ks") },
                                                want: c.wantErr ?? c.wantLocalErr, "local/file")].compactMap { $0 })

        if !c.pem {
            var remote = JWTConfiguration()
            remote.keySets = [JWTKeySetConfiguration(id: "ks", source: .remote(url: "http://127.0.0.1/\(name)", refreshInterval: nil))]
            let verifier = try await AuxDataVerifier(configuration: remote)
            let outcome = await Self.outcome { () async throws -> Int in
                // A bad document is recorded by the key set; the lookup below reports it, as
                // Cerbos's remote lookup does.
                _ = try? await verifier.remoteKeySets[0].update(document: bytes)
                return try verifier.keyCount("ks")
            }
            failures.append(contentsOf: [Self.judge(outcome, want: c.wantErr ?? c.wantRemoteErr, "remote")].compactMap { $0 })
        }
        #expect(failures.isEmpty, "\(name): \(failures.joined(separator: "; "))")
    }

    static func outcome(_ body: () async throws -> Int) async -> Result<Int, any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }
}
