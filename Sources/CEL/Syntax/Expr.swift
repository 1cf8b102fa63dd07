/// A parsed CEL expression node, shaped like cel-spec's `cel.expr.Expr` so that the parser,
/// the checker and the interpreter agree on one tree.
///
/// Every node has a parser-assigned `id`, unique within one parse; `SourceInfo` maps ids to
/// source offsets. Optional syntax follows cel-go: `a.?b` is the call `_?._(a, "b")` and
/// `m[?k]` is `_[?_](m, k)`; macros are expanded by the parser into `comprehension` nodes
/// (`has(a.b)` becomes a `select` with `testOnly`).
public struct Expr: Sendable, Hashable {
    /// Parser-assigned node id.
    public var id: Int64
    /// What the node is.
    public var kind: Kind

    public init(id: Int64, _ kind: Kind) {
        self.id = id
        self.kind = kind
    }

    /// The node kinds of cel-spec's `Expr` message.
    public indirect enum Kind: Sendable, Hashable {
        case constant(Constant)
        /// A (possibly dotted, after resolution) identifier.
        case ident(String)
        /// `operand.field`; with `testOnly`, the presence test produced by `has()`.
        case select(operand: Expr, field: String, testOnly: Bool)
        /// A global call (`target == nil`) or a member call `target.function(args)`. Operators use
        /// the cel-spec names (`_+_`, `_&&_`, `!_`, `_[_]`, `@in`, `_?_:_` ...).
        case call(target: Expr?, function: String, args: [Expr])
        /// `[a, b, ?c]`: `optionalIndices` lists the positions written with `?`.
        case list(elements: [Expr], optionalIndices: [Int])
        /// `{k: v, ?k2: v2}`.
        case map(entries: [MapEntry])
        /// `Msg{field: v}`: a message construction (parsed; evaluation needs a type provider).
        case structure(typeName: String, fields: [FieldEntry])
        case comprehension(Comprehension)
    }

    /// One `key: value` of a map literal.
    public struct MapEntry: Sendable, Hashable {
        public var id: Int64
        public var key: Expr
        public var value: Expr
        public var optional: Bool
        public init(id: Int64, key: Expr, value: Expr, optional: Bool = false) {
            self.id = id; self.key = key; self.value = value; self.optional = optional
        }
    }

    /// One `field: value` of a message construction.
    public struct FieldEntry: Sendable, Hashable {
        public var id: Int64
        public var field: String
        public var value: Expr
        public var optional: Bool
        public init(id: Int64, field: String, value: Expr, optional: Bool = false) {
            self.id = id; self.field = field; self.value = value; self.optional = optional
        }
    }

    /// The fold that every comprehension macro expands to (cel-spec `Expr.Comprehension`).
    /// `iterVar2` is non-empty for the two-variable forms (index/key and value).
    public struct Comprehension: Sendable, Hashable {
        public var iterVar: String
        public var iterVar2: String
        public var iterRange: Expr
        public var accuVar: String
        public var accuInit: Expr
        public var loopCondition: Expr
        public var loopStep: Expr
        public var result: Expr
        public init(iterVar: String, iterVar2: String = "", iterRange: Expr, accuVar: String, accuInit: Expr,
                    loopCondition: Expr, loopStep: Expr, result: Expr) {
            self.iterVar = iterVar; self.iterVar2 = iterVar2; self.iterRange = iterRange; self.accuVar = accuVar
            self.accuInit = accuInit; self.loopCondition = loopCondition; self.loopStep = loopStep; self.result = result
        }
    }

    /// Literal constants.
    public enum Constant: Sendable, Hashable {
        case null
        case bool(Bool)
        case int(Int64)
        case uint(UInt64)
        case double(Double)
        case string(String)
        case bytes([UInt8])
    }
}

/// Where each node came from: byte offsets into the source, and line starts so an offset can be
/// shown as line:column.
public struct SourceInfo: Sendable, Hashable {
    /// Name shown in diagnostics (a file name or `<input>`).
    public var description: String
    /// Offsets (in Unicode scalars, as cel-go counts) at which each line after the first starts.
    public var lineOffsets: [Int]
    /// Node id to offset of the node's token.
    public var positions: [Int64: Int]
    /// For nodes produced by macro expansion: the id of the call the macro replaced.
    public var macroCalls: [Int64: Expr]

    public init(description: String = "<input>", lineOffsets: [Int] = [], positions: [Int64: Int] = [:],
                macroCalls: [Int64: Expr] = [:]) {
        self.description = description; self.lineOffsets = lineOffsets; self.positions = positions
        self.macroCalls = macroCalls
    }

    /// 1-based line and column for a scalar offset.
    public func location(ofOffset offset: Int) -> (line: Int, column: Int) {
        // lineOffsets is ascending: find how many lines start at or before `offset`.
        var low = 0
        var high = lineOffsets.count
        while low < high {
            let mid = (low + high) / 2
            if lineOffsets[mid] <= offset { low = mid + 1 } else { high = mid }
        }
        let lineStart = low == 0 ? 0 : lineOffsets[low - 1]
        return (low + 1, offset - lineStart + 1)
    }

    /// 1-based line and column of node `id`, when the parser recorded its position.
    public func location(of id: Int64) -> (line: Int, column: Int)? {
        positions[id].map { location(ofOffset: $0) }
    }
}
