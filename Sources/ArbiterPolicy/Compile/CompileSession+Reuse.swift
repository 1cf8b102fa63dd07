/// Reusing the previous build's compiled policies whose inputs did not change (`CompiledPolicyCache`).
extension CompileSession {
    private func stamp(_ name: String, file: String?) -> SourceStamp {
        guard let file else { return SourceStamp(name: name, file: "", digest: nil) }
        return SourceStamp(name: name, file: file, digest: reuse?.sources.digest(of: file))
    }

    /// The files the imported variables and constants of a policy body resolve to.
    private func parameterInputs(variables: Variables?, constants: Constants?, into stamps: inout [SourceStamp]) {
        for name in variables?.imports ?? [] { stamps.append(stamp("variables:" + name.value, file: exportVariables[name.value]?.file)) }
        for name in constants?.imports ?? [] { stamps.append(stamp("constants:" + name.value, file: exportConstantFiles[name.value])) }
    }

    /// The inputs of an imported derived-roles set: its file and the files of its own imports.
    func derivedRoleSetInputs(_ name: String) -> [SourceStamp] {
        guard let (set, policy) = derivedRoleSets[name] else { return [stamp("derivedRoles:" + name, file: nil)] }
        var stamps = [stamp("derivedRoles:" + name, file: policy.file)]
        parameterInputs(variables: set.variables, constants: set.constants, into: &stamps)
        return stamps
    }

    /// Everything a compiled policy depends on, nil when the build keeps no cache or the file has no digest.
    func inputs(of policy: Policy) -> [SourceStamp]? {
        guard let reuse, let digest = reuse.sources.digest(of: policy.file) else { return nil }
        var stamps = [SourceStamp(name: "", file: policy.file, digest: digest)]
        parameterInputs(variables: policy.variablesBlock, constants: policy.constantsBlock, into: &stamps)
        if case let .resource(r) = policy.kind {
            for name in r.importDerivedRoles { stamps += derivedRoleSetInputs(name.value) }
        }
        return stamps
    }

    /// Adds the previous build's compiled `policy` when its inputs are unchanged; false when it must be compiled.
    mutating func reuseCompiled(_ policy: Policy, into builder: inout PolicySetBuilder) -> Bool {
        guard let inputs = inputs(of: policy), let entry = reuse?.previous?.policies[policy.file], entry.inputs == inputs else {
            return false
        }
        switch entry.item {
        case let .resource(compiled): builder.add(compiled)
        case let .principal(compiled): builder.add(compiled)
        case let .role(compiled): builder.add(compiled)
        }
        if entry.readsRuntime {
            readsRuntime = true
            if case .resource = entry.item {} else { runtimeReadOutsideResourcePolicies = true }
        }
        reuse?.next.policies[policy.file] = entry
        if case let .resource(r) = policy.kind {
            // Keep the imported sets' roles, which this policy's rules hold, for importers compiled later.
            for name in r.importDerivedRoles { _ = reusedDerivedRoles(named: name.value) }
        }
        return true
    }

    /// The previous build's roles of a derived-roles set whose inputs are unchanged, recorded for the next build.
    mutating func reusedDerivedRoles(named name: String) -> [CompiledDerivedRole]? {
        if let done = compiledDerivedRoles[name] { return done }
        guard reuse != nil, let entry = reuse?.previous?.derivedRoleSets[name], entry.inputs == derivedRoleSetInputs(name) else {
            return nil
        }
        compiledDerivedRoles[name] = entry.roles
        if entry.readsRuntime {
            derivedRoleSetsReadingRuntime.insert(name)
            readsRuntime = true
        }
        reuse?.next.derivedRoleSets[name] = entry
        return entry.roles
    }

    /// Records a freshly compiled policy for the next build.
    mutating func record(_ policy: Policy, _ item: CompiledPolicyCache.Item, readsRuntime: Bool) {
        guard let inputs = inputs(of: policy) else { return }
        let entry = CompiledPolicyCache.Entry(inputs: inputs, item: item, readsRuntime: readsRuntime)
        reuse?.next.policies[policy.file] = entry
    }

    /// Records a freshly compiled derived-roles set for the next build.
    mutating func record(derivedRoleSet name: String, roles: [CompiledDerivedRole], readsRuntime: Bool) {
        guard reuse != nil else { return }
        let entry = CompiledPolicyCache.DerivedRoleSetEntry(inputs: derivedRoleSetInputs(name), roles: roles, readsRuntime: readsRuntime)
        reuse?.next.derivedRoleSets[name] = entry
    }
}
