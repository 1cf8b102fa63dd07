/// A test with its fixture names resolved and its expectations indexed by principal and resource.
struct TestPlan {
    /// Why a test cannot run; it makes the whole suite ERRORED, as in Cerbos.
    struct Problem: Error {
        var message: String
    }

    /// The expectation for one principal/resource pair.
    struct PairExpectation {
        var effects: [String: Effect] = [:]
        var outputs: [String: [TestTable.ExpectedOutput]] = [:]
    }

    struct PairKey: Hashable {
        var principal: String
        var resource: String
    }

    let table: TestTable
    let principals: [(String, Principal)]
    let resources: [(String, Resource)]
    let auxData: AuxData?
    private var expectations: [PairKey: PairExpectation] = [:]

    init(table: TestTable, fixtures: TestFixtures) throws(Problem) {
        self.table = table
        let input = table.input
        let principalNames = try Self.expand(input.principals, input.principalGroups, groups: fixtures.principalGroups, what: "principal")
        let resourceNames = try Self.expand(input.resources, input.resourceGroups, groups: fixtures.resourceGroups, what: "resource")
        principals = try principalNames.map { name throws(Problem) in
            guard let p = fixtures.principals[name] else { throw Problem(message: "principal \"\(name)\" not found") }
            return (name, p)
        }
        resources = try resourceNames.map { name throws(Problem) in
            guard let r = fixtures.resources[name] else { throw Problem(message: "resource \"\(name)\" not found") }
            return (name, r)
        }
        if input.auxData.isEmpty {
            auxData = nil
        } else if let aux = fixtures.auxData[input.auxData] {
            auxData = aux
        } else {
            throw Problem(message: "auxData \"\(input.auxData)\" not found")
        }
        try indexExpectations(fixtures: fixtures, principalNames: Set(principalNames), resourceNames: Set(resourceNames))
    }

    /// Names then group members, first occurrence wins.
    static func expand(_ names: [String], _ groupNames: [String], groups: [String: [String]],
                       what: String) throws(Problem) -> [String] {
        var out: [String] = []
        var seen = Set<String>()
        for name in names where seen.insert(name).inserted { out.append(name) }
        for group in groupNames {
            guard let members = groups[group] else { throw Problem(message: "\(what) group \"\(group)\" not found") }
            for name in members where seen.insert(name).inserted { out.append(name) }
        }
        return out
    }

    private mutating func indexExpectations(fixtures: TestFixtures, principalNames: Set<String>,
                                            resourceNames: Set<String>) throws(Problem) {
        let actions = Set(table.input.actions)
        var unknownActions = Set<String>()
        var unknownOutputActions = Set<String>()
        for expectation in table.expected {
            let ps = try Self.expand(expectation.principals, expectation.principalGroups, groups: fixtures.principalGroups,
                                     what: "principal")
            let rs = try Self.expand(expectation.resources, expectation.resourceGroups, groups: fixtures.resourceGroups,
                                     what: "resource")
            for p in ps {
                for r in rs where !principalNames.contains(p) || !resourceNames.contains(r) {
                    throw Problem(message: "found an expectation for principal \"\(p)\" and resource \"\(r)\", but at least one of these is not present in input")
                }
            }
            for (action, _) in expectation.actions where !actions.contains(action) { unknownActions.insert(action) }
            for (action, _) in expectation.outputs where !actions.contains(action) { unknownOutputActions.insert(action) }
            for p in ps {
                for r in rs {
                    let key = PairKey(principal: p, resource: r)
                    var pair = expectations[key] ?? PairExpectation()
                    for (action, effect) in expectation.actions {
                        if let existing = pair.effects[action], existing != effect {
                            throw Problem(message: "found inconsistent expectations for principal \"\(p)\" performing action \"\(action)\" on resource \"\(r)\"")
                        }
                        pair.effects[action] = effect
                    }
                    for (action, outputs) in expectation.outputs {
                        for output in outputs {
                            let known = pair.outputs[action] ?? []
                            if let existing = known.first(where: { $0.src == output.src }) {
                                guard JSONText.equal(existing.value, output.value) else {
                                    throw Problem(message: "found inconsistent expectations for output \"\(output.src)\" from principal \"\(p)\" performing action \"\(action)\" on resource \"\(r)\"")
                                }
                                continue
                            }
                            pair.outputs[action, default: []].append(output)
                        }
                    }
                    expectations[key] = pair
                }
            }
        }
        if !unknownActions.isEmpty {
            throw Problem(message: "found expectations for actions that do not exist in the input actions list: [\(unknownActions.sorted().joined(separator: ","))]")
        }
        if !unknownOutputActions.isEmpty {
            throw Problem(message: "found output expectations for actions that are not in the input actions list: [\(unknownOutputActions.sorted().joined(separator: ","))]")
        }
    }

    func expectation(principal: String, resource: String) -> PairExpectation {
        expectations[PairKey(principal: principal, resource: resource)] ?? PairExpectation()
    }
}
