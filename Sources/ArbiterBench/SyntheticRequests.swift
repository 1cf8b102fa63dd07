import CEL

/// Deterministic CheckResources requests against `PolicyGenerator` trees, as wire JSON values
/// (so the same request can be decoded in-process or sent over the socket), plus the same
/// work as Cedar entities and (principal, action, resource) triples.
struct SyntheticRequests {
    static let actions = ["view", "edit", "approve", "delete", "archive"]
    static let principalCount = 50

    /// One principal; its attributes depend only on its number, so Cedar entities stay consistent.
    struct PrincipalSpec {
        var id: String
        var roles: [String]
        var department: String
        var tenant: String

        init(_ n: Int) {
            id = "u\(n)"
            switch n % 10 {
            case 0: roles = ["admin"]
            case 1, 2: roles = ["user", "manager"]
            case 3: roles = ["viewer"]
            default: roles = ["user"]
            }
            department = "d\(n % 4)"
            tenant = "t\(n % 3)"
        }

        var value: Value {
            .map(MapValue(stringKeyed: [
                ("id", .string(id)), ("roles", .list(roles.map { .string($0) })),
                ("attr", .map(MapValue(stringKeyed: [("department", .string(department)), ("tenant", .string(tenant))]))),
            ]))
        }
    }

    /// One resource with every attribute the policies read (missing attributes would make
    /// Cedar skip a policy on error where Cerbos treats the condition as false).
    struct ResourceSpec {
        var kind: String
        var id: String
        var scope: String
        var owner: String
        var isPublic: Bool
        var status: String
        var department: String
        var locked: Bool
        var frozen: Bool

        var attributes: [(String, Value)] {
            [("owner", .string(owner)), ("public", .bool(isPublic)), ("status", .string(status)),
             ("department", .string(department)), ("locked", .bool(locked)), ("frozen", .bool(frozen))]
        }

        var value: Value {
            var fields: [(String, Value)] = [("kind", .string(kind)), ("id", .string(id)),
                                             ("attr", .map(MapValue(stringKeyed: attributes)))]
            if !scope.isEmpty { fields.append(("scope", .string(scope))) }
            return .map(MapValue(stringKeyed: fields))
        }
    }

    struct Item {
        var principal: Int
        var resource: ResourceSpec
    }

    let principals: [PrincipalSpec]
    let items: [Item]

    /// `count` requests spread over `kinds` kinds and the given scopes.
    init(count: Int, kinds: Int, scopes: [String], seed: UInt64 = 42) {
        var rng = SplitMix64(state: seed)
        principals = (0..<Self.principalCount).map(PrincipalSpec.init)
        var items: [Item] = []
        items.reserveCapacity(count)
        for i in 0..<count {
            let p = rng.below(Self.principalCount)
            let owner = rng.chance(40) ? "u\(p)" : "u\(rng.below(Self.principalCount))"
            let r = ResourceSpec(kind: PolicyGenerator.kindName(rng.below(kinds)), id: "r\(i)",
                                 scope: scopes[rng.below(scopes.count)], owner: owner, isPublic: rng.chance(30),
                                 status: rng.chance(50) ? "PENDING" : "APPROVED", department: "d\(rng.below(4))",
                                 locked: rng.chance(20), frozen: rng.chance(20))
            items.append(Item(principal: p, resource: r))
        }
        self.items = items
    }

    /// The CheckResources wire request for item `i` (one resource, all five actions).
    func request(_ i: Int) -> Value {
        let item = items[i]
        return .map(MapValue(stringKeyed: [
            ("requestId", .string("bench-\(i)")), ("principal", principals[item.principal].value),
            ("resources", .list([.map(MapValue(stringKeyed: [
                ("actions", .list(Self.actions.map { .string($0) })), ("resource", item.resource.value),
            ]))])),
        ]))
    }

    /// Cedar entities (JSON entity format) for every principal and resource.
    var cedarEntities: Value {
        var out: [Value] = []
        func uid(_ type: String, _ id: String) -> Value {
            .map(MapValue(stringKeyed: [("__entity", .map(MapValue(stringKeyed: [("type", .string(type)), ("id", .string(id))])))]))
        }
        for p in principals {
            out.append(.map(MapValue(stringKeyed: [
                ("uid", uid("User", p.id)),
                ("attrs", .map(MapValue(stringKeyed: [
                    ("pid", .string(p.id)), ("roles", .list(p.roles.map { .string($0) })),
                    ("department", .string(p.department)), ("tenant", .string(p.tenant)),
                ]))),
                ("parents", .list([])),
            ])))
        }
        for item in items {
            out.append(.map(MapValue(stringKeyed: [
                ("uid", uid("Resource", item.resource.id)),
                ("attrs", .map(MapValue(stringKeyed: item.resource.attributes))),
                ("parents", .list([])),
            ])))
        }
        return .list(out)
    }

    /// Cedar requests, one per action of every item, in the order Arbiter's answers are listed.
    var cedarRequests: Value {
        var out: [Value] = []
        for item in items {
            for action in Self.actions {
                out.append(.map(MapValue(stringKeyed: [
                    ("principal", .string("User::\"\(principals[item.principal].id)\"")),
                    ("action", .string("Action::\"\(action)\"")),
                    ("resource", .string("Resource::\"\(item.resource.id)\"")),
                    ("context", .map(MapValue())),
                ])))
            }
        }
        return .list(out)
    }
}
