import CEL

extension SPIFFE {
    static func idValue(_ v: Value) -> Result<ID, ValueFailure> {
        switch v {
        case let .object(id as ID): return .success(id)
        case let .string(s):
            return ID.parse(s).mapError { ValueFailure(.err("failed to parse SPIFFE ID: \($0.message)")) }
        default: return .failure(ValueFailure(v.isErrorOrUnknown ? v : .noSuchOverload()))
        }
    }

    static func trustDomainValue(_ v: Value) -> Result<TrustDomain, ValueFailure> {
        switch v {
        case let .object(td as TrustDomain): return .success(td)
        case let .object(id as ID): return .success(id.trustDomain)
        case let .string(s):
            return TrustDomain.parse(s).mapError { ValueFailure(.err("failed to parse SPIFFE trust domain: \($0.message)")) }
        default: return .failure(ValueFailure(v.isErrorOrUnknown ? v : .noSuchOverload()))
        }
    }

    static func value<T: ObjectValue>(_ r: Result<T, ValueFailure>) -> Value {
        switch r {
        case let .success(x): return .object(x)
        case let .failure(f): return f.value
        }
    }

    /// `spiffeMatchOneOf(list)`: a list of IDs or of ID strings (every one must parse).
    static func matchOneOf(_ v: Value) -> Value {
        guard case let .list(items) = v else { return v.isErrorOrUnknown ? v : .noSuchOverload("spiffeMatchOneOf") }
        var ids = Set<String>()
        if items.allSatisfy({ if case .object(_ as ID) = $0 { return true } else { return false } }) {
            for case let .object(id as ID) in items { ids.insert(id.text) }
        } else {
            for item in items {
                guard case let .string(s) = item, case let .success(id) = ID.parse(s) else {
                    return .noSuchOverload("spiffeMatchOneOf")
                }
                ids.insert(id.text)
            }
        }
        return .object(Matcher(rule: .oneOf(ids)))
    }

    static func matchesID(_ m: Value, _ arg: Value) -> Value {
        guard case let .object(matcher as Matcher) = m else { return .noSuchOverload("matchesID") }
        switch arg {
        case let .object(id as ID): return .bool(matcher.matches(id))
        case let .string(s):
            switch ID.parse(s) {
            case let .success(id): return .bool(matcher.matches(id))
            case let .failure(e): return .err("invalid SPIFFE ID: \(e.message)")
            }
        default: return .noSuchOverload("matchesID")
        }
    }

    static var functions: [FunctionBinding] {
        let id = ArgKind.object(ID.typeName), td = ArgKind.object(TrustDomain.typeName)
        let matcher = ArgKind.object(Matcher.typeName), string = ArgKind.kind(.string), list = ArgKind.kind(.list)
        return [
            FunctionBinding("spiffeID", [.unary("spiffeID_string", .any) { value(idValue($0)) }]),
            FunctionBinding("spiffeTrustDomain", [.unary("spiffeTrustDomain_string", .any) { value(trustDomainValue($0)) }]),
            FunctionBinding("spiffeMatchAny", [.nary("spiffeMatchAny", []) { _ in .object(Matcher(rule: .any)) }]),
            FunctionBinding("spiffeMatchExact", [
                .unary("spiffeMatchExact_spiffeID", id) { v in
                    guard case let .object(x as ID) = v else { return .noSuchOverload("spiffeMatchExact") }
                    return .object(Matcher(rule: .oneOf([x.text])))
                },
                .unary("spiffeMatchExact_string", string) { v in
                    switch idValue(v) {
                    case let .success(x): return .object(Matcher(rule: .oneOf([x.text])))
                    case let .failure(f): return f.value
                    }
                },
            ]),
            FunctionBinding("spiffeMatchOneOf", [.unary("spiffeMatchOneOf_spiffeIDList", list) { matchOneOf($0) },
                                                 .unary("spiffeMatchOneOf_stringList", list) { matchOneOf($0) }]),
            FunctionBinding("spiffeMatchTrustDomain", [
                .unary("spiffeMatchTrustDomain_spiffeTrustDomain", td) { v in
                    guard case let .object(x as TrustDomain) = v else { return .noSuchOverload("spiffeMatchTrustDomain") }
                    return .object(Matcher(rule: .memberOf(x.name)))
                },
                .unary("spiffeMatchTrustDomain_string", string) { v in
                    switch trustDomainValue(v) {
                    case let .success(x): return .object(Matcher(rule: .memberOf(x.name)))
                    case let .failure(f): return f.value
                    }
                },
            ]),
            FunctionBinding("isMemberOf", [.binary("isMemberOf", id, td, isMember: true) { a, b in
                guard case let .object(x as ID) = a, case let .object(t as TrustDomain) = b else { return .noSuchOverload("isMemberOf") }
                return .bool(x.trustDomainName == t.name)
            }]),
            FunctionBinding("path", [.unary("path", id, isMember: true) { a in
                guard case let .object(x as ID) = a else { return .noSuchOverload("path") }
                return .string(x.path)
            }]),
            FunctionBinding("trustDomain", [.unary("trustDomain", id, isMember: true) { a in
                guard case let .object(x as ID) = a else { return .noSuchOverload("trustDomain") }
                return .object(x.trustDomain)
            }]),
            FunctionBinding("id", [.unary("id", td, isMember: true) { a in
                guard case let .object(x as TrustDomain) = a else { return .noSuchOverload("id") }
                return .string(x.idString)
            }]),
            FunctionBinding("name", [.unary("name", td, isMember: true) { a in
                guard case let .object(x as TrustDomain) = a else { return .noSuchOverload("name") }
                return .string(x.name)
            }]),
            FunctionBinding("matchesID", [.binary("matchesID_spiffeID", matcher, id, isMember: true) { matchesID($0, $1) },
                                          .binary("matchesID_string", matcher, string, isMember: true) { matchesID($0, $1) }]),
        ]
    }

    static var declarations: [FunctionDecl] {
        let id = ID.checkedType, td = TrustDomain.checkedType, m = Matcher.checkedType
        typealias O = OverloadDecl
        return [
            FunctionDecl("spiffeID", O("spiffeID_string", [.string], id)),
            FunctionDecl("spiffeTrustDomain", O("spiffeTrustDomain_string", [.string], td)),
            FunctionDecl("spiffeMatchAny", O("spiffeMatchAny", [], m)),
            FunctionDecl("spiffeMatchExact", O("spiffeMatchExact_spiffeID", [id], m), O("spiffeMatchExact_string", [.string], m)),
            FunctionDecl("spiffeMatchOneOf", O("spiffeMatchOneOf_spiffeIDList", [.list(id)], m),
                         O("spiffeMatchOneOf_stringList", [.list(.string)], m)),
            FunctionDecl("spiffeMatchTrustDomain", O("spiffeMatchTrustDomain_spiffeTrustDomain", [td], m),
                         O("spiffeMatchTrustDomain_string", [.string], m)),
            FunctionDecl("isMemberOf", .member("isMemberOf", [id, td], .bool)),
            FunctionDecl("path", .member("path", [id], .string)),
            FunctionDecl("trustDomain", .member("trustDomain", [id], td)),
            FunctionDecl("id", .member("id", [td], .string)),
            FunctionDecl("name", .member("name", [td], .string)),
            FunctionDecl("matchesID", .member("matchesID_spiffeID", [m, id], .bool), .member("matchesID_string", [m, .string], .bool)),
        ]
    }
}
