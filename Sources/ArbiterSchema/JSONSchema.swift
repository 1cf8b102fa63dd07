import CEL

/// A compiled, immutable JSON Schema: validates JSON values held as CEL `Value`s (objects as
/// string-keyed maps, arrays as lists, numbers as `double`, `int` or `uint`).
///
/// Safe to share between threads; each validation keeps its state on the stack.
public final class JSONSchema: Sendable {
    let root: Int
    let nodes: ContiguousArray<SchemaNode>
    /// Per schema resource, its `$dynamicAnchor`s by name.
    let dynamicAnchors: [[String: Int]]
    /// Whether any `$dynamicRef` exists; without one the dynamic scope is not tracked.
    let usesDynamicScope: Bool

    /// Whether `SchemaQuickCheck` can answer `isValid`: no node collects annotations
    /// (unevaluated*) and no `$dynamicRef` needs the dynamic scope.
    let quick: Bool

    init(root: Int, nodes: [SchemaNode], dynamicAnchors: [[String: Int]], usesDynamicScope: Bool) {
        self.root = root
        var finished = ContiguousArray(nodes)
        for i in finished.indices { finished[i].finish() }
        self.nodes = finished
        self.dynamicAnchors = dynamicAnchors
        self.usesDynamicScope = usesDynamicScope
        quick = !usesDynamicScope && !finished.contains { $0.groups.contains(.unevaluated) || $0.dynamicRef != nil }
    }

    /// Whether `value` is valid; stops at the first failure.
    public func isValid(_ value: Value) -> Bool {
        nodes.withUnsafeBufferPointer { buffer in
            if quick {
                var run = SchemaQuickCheck(nodes: buffer.baseAddress!)
                return withUnsafePointer(to: value) { run.valid(root, $0) }
            }
            var run = SchemaValidation(schema: self, nodes: buffer.baseAddress!, collect: false)
            var annotations: SchemaAnnotations?
            return run.validate(root, value, &annotations)
        }
    }

    /// Every failed assertion (the leaves of the error tree, as Cerbos reports them), in schema
    /// order; empty when `value` is valid.
    public func validate(_ value: Value) -> [SchemaValidationError] {
        // Most values are valid: the first pass stops at a failure and keeps no instance path,
        // and only an invalid value pays for the second pass that collects every error.
        if isValid(value) { return [] }
        return nodes.withUnsafeBufferPointer { buffer in
            var run = SchemaValidation(schema: self, nodes: buffer.baseAddress!, collect: true)
            var annotations: SchemaAnnotations?
            _ = run.validate(root, value, &annotations)
            return run.errors
        }
    }
}
