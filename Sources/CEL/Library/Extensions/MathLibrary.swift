#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// cel-go `ext.Math` at its latest version: `math.greatest/least` (macros over `math.@max/@min`),
/// rounding, predicates, `abs`, `sign`, `sqrt` and the bit operations.
public struct MathLibrary: Library {
    /// The library; it has no options.
    public init() {}
    /// The library name used in diagnostics.
    public var name: String { "cel.ext.math" }
    /// Parse-time macros.
    public var macros: [Macro] { Macro.math }
    /// Checker declarations of the functions.
    public var declarations: [FunctionDecl] { Declarations.mathExtension }

    /// Runtime overloads, with cel-go overload ids.
    public var functions: [FunctionBinding] {
        [
            extremum("math.@max", keep: .greater), extremum("math.@min", keep: .less),
            doubleFunction("ceil") { .double($0.rounded(.up)) },
            doubleFunction("floor") { .double($0.rounded(.down)) },
            // Go's math.Round: half away from zero.
            doubleFunction("round") { .double($0.rounded(.toNearestOrAwayFromZero)) },
            doubleFunction("trunc") { .double($0.rounded(.towardZero)) },
            doubleFunction("isInf") { .bool($0.isInfinite) },
            doubleFunction("isNaN") { .bool($0.isNaN) },
            doubleFunction("isFinite") { .bool($0.isFinite) },
            FunctionBinding("math.abs", [
                .unary("math_abs_int", K.int) { a in
                    guard case let .int(i) = a else { return Ext.fail("math.abs", a) }
                    if i == Int64.min { return .err("integer overflow") }
                    return .int(i < 0 ? -i : i)
                },
                .unary("math_abs_uint", K.uint) { $0 },
                .unary("math_abs_double", K.double) { a in
                    guard case let .double(d) = a else { return Ext.fail("math.abs", a) }
                    return .double(Swift.abs(d))
                },
            ]),
            FunctionBinding("math.sign", [
                .unary("math_sign_int", K.int) { a in
                    guard case let .int(i) = a else { return Ext.fail("math.sign", a) }
                    return .int(i.signum())
                },
                .unary("math_sign_uint", K.uint) { a in
                    guard case let .uint(u) = a else { return Ext.fail("math.sign", a) }
                    return .uint(u == 0 ? 0 : 1)
                },
                .unary("math_sign_double", K.double) { a in
                    guard case let .double(d) = a else { return Ext.fail("math.sign", a) }
                    if d.isNaN || d == 0 { return .double(d) }
                    return .double(d < 0 ? -1 : 1)
                },
            ]),
            FunctionBinding("math.sqrt", [
                .unary("math_sqrt_int", K.int) { a in
                    guard case let .int(i) = a else { return Ext.fail("math.sqrt", a) }
                    return .double(Double(i).squareRoot())
                },
                .unary("math_sqrt_uint", K.uint) { a in
                    guard case let .uint(u) = a else { return Ext.fail("math.sqrt", a) }
                    return .double(Double(u).squareRoot())
                },
                .unary("math_sqrt_double", K.double) { a in
                    guard case let .double(d) = a else { return Ext.fail("math.sqrt", a) }
                    return .double(d.squareRoot())
                },
            ]),
            bitwise("bitAnd", { $0 & $1 }, { $0 & $1 }), bitwise("bitOr", { $0 | $1 }, { $0 | $1 }),
            bitwise("bitXor", { $0 ^ $1 }, { $0 ^ $1 }),
            FunctionBinding("math.bitNot", [
                .unary("math_bitNot_int_int", K.int) { a in
                    guard case let .int(i) = a else { return Ext.fail("math.bitNot", a) }
                    return .int(~i)
                },
                .unary("math_bitNot_uint_uint", K.uint) { a in
                    guard case let .uint(u) = a else { return Ext.fail("math.bitNot", a) }
                    return .uint(~u)
                },
            ]),
            shift("bitShiftLeft", left: true), shift("bitShiftRight", left: false),
        ]
    }

    private func doubleFunction(_ name: String, _ f: @escaping @Sendable (Double) -> Value) -> FunctionBinding {
        FunctionBinding("math.\(name)", [.unary("math_\(name)_double", K.double) { a in
            guard case let .double(d) = a else { return Ext.fail("math.\(name)", a) }
            return f(d)
        }])
    }

    private func bitwise(_ name: String, _ i: @escaping @Sendable (Int64, Int64) -> Int64,
                         _ u: @escaping @Sendable (UInt64, UInt64) -> UInt64) -> FunctionBinding {
        FunctionBinding("math.\(name)", [
            .binary("math_\(name)_int_int", K.int, K.int) { a, b in
                guard case let .int(x) = a, case let .int(y) = b else { return Ext.fail("math.\(name)", a, b) }
                return .int(i(x, y))
            },
            .binary("math_\(name)_uint_uint", K.uint, K.uint) { a, b in
                guard case let .uint(x) = a, case let .uint(y) = b else { return Ext.fail("math.\(name)", a, b) }
                return .uint(u(x, y))
            },
        ])
    }

    /// Shifts of 64 or more give 0, as Go's operators do on the unsigned bits; a negative shift
    /// count is an error.
    private func shift(_ name: String, left: Bool) -> FunctionBinding {
        FunctionBinding("math.\(name)", [
            .binary("math_\(name)_int_int", K.int, K.int) { a, b in
                guard case let .int(x) = a, case let .int(n) = b else { return Ext.fail("math.\(name)", a, b) }
                if n < 0 { return .err("math.\(name)() negative offset: \(n)") }
                if left { return .int(n >= 64 ? 0 : x << n) }
                // A logical shift: cel-go shifts the int's bits as a uint64.
                return .int(n >= 64 ? 0 : Int64(bitPattern: UInt64(bitPattern: x) >> UInt64(n)))
            },
            .binary("math_\(name)_uint_int", K.uint, K.int) { a, b in
                guard case let .uint(x) = a, case let .int(n) = b else { return Ext.fail("math.\(name)", a, b) }
                if n < 0 { return .err("math.\(name)() negative offset: \(n)") }
                if n >= 64 { return .uint(0) }
                return .uint(left ? x << UInt64(n) : x >> UInt64(n))
            },
        ])
    }

    /// `math.@max`/`math.@min` over one number, two numbers, or a list of numbers. Ties keep the
    /// earlier argument, so `math.greatest(1, 1.0)` is the int 1.
    private func extremum(_ name: String, keep: ValueOrdering) -> FunctionBinding {
        let display = keep == .greater ? "math.@max" : "math.@min"
        @Sendable func pick(_ a: Value, _ b: Value) -> Value {
            guard isNumber(a), isNumber(b) else { return .noSuchOverload(display) }
            if let o = Value.numericOrder(b, a), o == keep { return b }
            return a
        }
        @Sendable func fold(_ items: [Value]) -> Value {
            guard var best = items.first else { return .err("\(display)(list) argument must not be empty") }
            guard isNumber(best) else { return .noSuchOverload(display) }
            for item in items.dropFirst() {
                best = pick(best, item)
                if case .error = best { return best }
            }
            return best
        }
        return FunctionBinding(name, [
            Overload.unary("\(name)_unary", .any) { a in
                if case let .list(items) = a { return fold(items) }
                if isNumber(a) { return a }
                return Ext.fail(display, a)
            },
            Overload.binary("\(name)_binary", .any, .any) { a, b in pick(a, b) },
        ])
    }
}

private func isNumber(_ v: Value) -> Bool {
    switch v {
    case .int, .uint, .double: return true
    default: return false
    }
}
