import ArbiterPolicy
import ArbiterYAML
import CEL

extension TestSuiteDecoder {
    /// Which shared fixture file is being read.
    public enum FixtureKind: String, Sendable, CaseIterable {
        case principals
        case resources
        case auxData = "auxdata"
    }

    /// Decodes a `testdata/` fixture file into `fixtures`; returns the diagnostics.
    public static func decodeFixture(_ kind: FixtureKind, _ bytes: [UInt8], file: String,
                                     into fixtures: inout TestFixtures) -> [Diagnostic] {
        let decoder = TestSuiteDecoder(file: file)
        guard let root = decoder.document(bytes) else { return decoder.diagnostics }
        var decoded = TestFixtures()
        decoder.fields(root, "") { key, pair, path in
            switch (kind, key) {
            case (.principals, "principals"): decoded.principals = decoder.namedMap(pair.value, path, decoder.principal)
            case (.principals, "principalGroups"): decoded.principalGroups = decoder.groups(pair.value, path, member: "principals")
            case (.resources, "resources"): decoded.resources = decoder.namedMap(pair.value, path, decoder.resource)
            case (.resources, "resourceGroups"): decoded.resourceGroups = decoder.groups(pair.value, path, member: "resources")
            case (.auxData, "auxData"): decoded.auxData = decoder.namedMap(pair.value, path, decoder.auxData)
            case (_, "$schema"), (_, "jsonSchema"): break
            default: return false
            }
            return true
        }
        guard decoder.diagnostics.isEmpty else { return decoder.diagnostics }
        fixtures.principals.merge(decoded.principals) { $1 }
        fixtures.resources.merge(decoded.resources) { $1 }
        fixtures.auxData.merge(decoded.auxData) { $1 }
        fixtures.principalGroups.merge(decoded.principalGroups) { $1 }
        fixtures.resourceGroups.merge(decoded.resourceGroups) { $1 }
        return []
    }

    func principal(_ node: YAMLNode, _ path: String) -> Principal? {
        var p = Principal(id: "", roles: [])
        var sawRoles = false
        fields(node, path) { key, pair, path in
            switch key {
            case "id": p.id = self.string(pair.value, path) ?? ""
            case "roles":
                sawRoles = true
                p.roles = self.strings(pair.value, path)
            case "attr": p.attr = self.attributes(pair.value, path)
            case "policyVersion": p.policyVersion = self.string(pair.value, path) ?? ""
            case "scope": p.scope = self.string(pair.value, path) ?? ""
            default: return false
            }
            return true
        }
        if p.id.isEmpty { report(node.mark, Self.child(path, "id"), "value is required") }
        if !sawRoles || p.roles.isEmpty { report(node.mark, Self.child(path, "roles"), "value must contain at least 1 item(s)") }
        return p
    }

    func resource(_ node: YAMLNode, _ path: String) -> Resource? {
        var r = Resource(kind: "", id: "")
        fields(node, path) { key, pair, path in
            switch key {
            case "id": r.id = self.string(pair.value, path) ?? ""
            case "kind": r.kind = self.string(pair.value, path) ?? ""
            case "attr": r.attr = self.attributes(pair.value, path)
            case "policyVersion": r.policyVersion = self.string(pair.value, path) ?? ""
            case "scope": r.scope = self.string(pair.value, path) ?? ""
            default: return false
            }
            return true
        }
        if r.kind.isEmpty { report(node.mark, Self.child(path, "kind"), "value is required") }
        if r.id.isEmpty { report(node.mark, Self.child(path, "id"), "value is required") }
        return r
    }

    func auxData(_ node: YAMLNode, _ path: String) -> AuxData? {
        var aux = AuxData()
        fields(node, path) { key, pair, path in
            switch key {
            case "jwt": aux.jwt = self.attributes(pair.value, path)
            case "jwts":
                self.fields(pair.value, path, anyKey: true) { name, token, _ in
                    let tokenPath = path + "[\"\(name)\"]"
                    var claims = MapValue()
                    self.fields(token.value, tokenPath) { key, pair, path in
                        guard key == "claims" else { return false }
                        claims = self.attributes(pair.value, path)
                        return true
                    }
                    aux.jwts.append((name, claims))
                    return true
                }
            default: return false
            }
            return true
        }
        return aux
    }

    /// `name: {principals: [...]}` or `name: {resources: [...]}`.
    func groups(_ node: YAMLNode, _ path: String, member: String) -> [String: [String]] {
        namedMap(node, path) { node, path in
            var names: [String] = []
            self.fields(node, path) { key, pair, path in
                guard key == member else { return false }
                names = self.strings(pair.value, path)
                return true
            }
            if names.isEmpty { self.report(node.mark, Self.child(path, member), "value must contain at least 1 item(s)") }
            return names
        }
    }
}
