extension StandardLibrary {
    static let overflow = Value.err("integer overflow")

    static let arithmetic: [FunctionBinding] = [
        FunctionBinding("_+_", [
            .binary(OverloadID.addInt64, K.int, K.int) { a, b in
                guard case let .int(x) = a, case let .int(y) = b else { return .noSuchOverload() }
                let (r, o) = x.addingReportingOverflow(y)
                return o ? overflow : .int(r)
            },
            .binary(OverloadID.addUint64, K.uint, K.uint) { a, b in
                guard case let .uint(x) = a, case let .uint(y) = b else { return .noSuchOverload() }
                let (r, o) = x.addingReportingOverflow(y)
                return o ? overflow : .uint(r)
            },
            .binary(OverloadID.addDouble, K.double, K.double) { a, b in
                guard case let .double(x) = a, case let .double(y) = b else { return .noSuchOverload() }
                return .double(x + y)
            },
            // Concatenations are admitted first: `cel.bind` chains can double a request string
            // at every step.
            .budgetedBinary(OverloadID.addString, K.string, K.string) { a, b, budget in
                guard case let .string(x) = a, case let .string(y) = b else { return .noSuchOverload() }
                if let e = budget.admitString(x.utf8.count + y.utf8.count, by: "_+_") { return e }
                return .string(x + y)
            },
            .budgetedBinary(OverloadID.addBytes, K.bytes, K.bytes) { a, b, budget in
                guard case let .bytes(x) = a, case let .bytes(y) = b else { return .noSuchOverload() }
                if let e = budget.admitString(x.count + y.count, by: "_+_") { return e }
                return .bytes(x + y)
            },
            .budgetedBinary(OverloadID.addList, K.list, K.list) { a, b, budget in
                guard case let .list(x) = a, case let .list(y) = b else { return .noSuchOverload() }
                if let e = budget.admitList(x.count + y.count, by: "_+_") { return e }
                return .list(x + y)
            },
            .binary(OverloadID.addTimestampDuration, K.timestamp, K.duration) { a, b in
                guard case let .timestamp(t) = a, case let .duration(d) = b else { return .noSuchOverload() }
                return t.adding(d).map(Value.timestamp) ?? .err("timestamp overflow")
            },
            .binary(OverloadID.addDurationTimestamp, K.duration, K.timestamp) { a, b in
                guard case let .duration(d) = a, case let .timestamp(t) = b else { return .noSuchOverload() }
                return t.adding(d).map(Value.timestamp) ?? .err("timestamp overflow")
            },
            .binary(OverloadID.addDurationDuration, K.duration, K.duration) { a, b in
                guard case let .duration(x) = a, case let .duration(y) = b else { return .noSuchOverload() }
                return x.adding(y).map(Value.duration) ?? .err("duration overflow")
            },
        ]),
        FunctionBinding("_-_", [
            .binary(OverloadID.subtractInt64, K.int, K.int) { a, b in
                guard case let .int(x) = a, case let .int(y) = b else { return .noSuchOverload() }
                let (r, o) = x.subtractingReportingOverflow(y)
                return o ? overflow : .int(r)
            },
            .binary(OverloadID.subtractUint64, K.uint, K.uint) { a, b in
                guard case let .uint(x) = a, case let .uint(y) = b else { return .noSuchOverload() }
                let (r, o) = x.subtractingReportingOverflow(y)
                return o ? overflow : .uint(r)
            },
            .binary(OverloadID.subtractDouble, K.double, K.double) { a, b in
                guard case let .double(x) = a, case let .double(y) = b else { return .noSuchOverload() }
                return .double(x - y)
            },
            .binary(OverloadID.subtractTimestampTimestamp, K.timestamp, K.timestamp) { a, b in
                guard case let .timestamp(x) = a, case let .timestamp(y) = b else { return .noSuchOverload() }
                return x.difference(y).map(Value.duration) ?? .err("duration overflow")
            },
            .binary(OverloadID.subtractTimestampDuration, K.timestamp, K.duration) { a, b in
                guard case let .timestamp(t) = a, case let .duration(d) = b else { return .noSuchOverload() }
                return t.adding(d.negated).map(Value.timestamp) ?? .err("timestamp overflow")
            },
            .binary(OverloadID.subtractDurationDuration, K.duration, K.duration) { a, b in
                guard case let .duration(x) = a, case let .duration(y) = b else { return .noSuchOverload() }
                return x.adding(y.negated).map(Value.duration) ?? .err("duration overflow")
            },
        ]),
        FunctionBinding("_*_", [
            .binary(OverloadID.multiplyInt64, K.int, K.int) { a, b in
                guard case let .int(x) = a, case let .int(y) = b else { return .noSuchOverload() }
                let (r, o) = x.multipliedReportingOverflow(by: y)
                return o ? overflow : .int(r)
            },
            .binary(OverloadID.multiplyUint64, K.uint, K.uint) { a, b in
                guard case let .uint(x) = a, case let .uint(y) = b else { return .noSuchOverload() }
                let (r, o) = x.multipliedReportingOverflow(by: y)
                return o ? overflow : .uint(r)
            },
            .binary(OverloadID.multiplyDouble, K.double, K.double) { a, b in
                guard case let .double(x) = a, case let .double(y) = b else { return .noSuchOverload() }
                return .double(x * y)
            },
        ]),
        FunctionBinding("_/_", [
            .binary(OverloadID.divideInt64, K.int, K.int) { a, b in
                guard case let .int(x) = a, case let .int(y) = b else { return .noSuchOverload() }
                if y == 0 { return .err("division by zero") }
                let (r, o) = x.dividedReportingOverflow(by: y)
                return o ? overflow : .int(r)
            },
            .binary(OverloadID.divideUint64, K.uint, K.uint) { a, b in
                guard case let .uint(x) = a, case let .uint(y) = b else { return .noSuchOverload() }
                if y == 0 { return .err("division by zero") }
                return .uint(x / y)
            },
            .binary(OverloadID.divideDouble, K.double, K.double) { a, b in
                guard case let .double(x) = a, case let .double(y) = b else { return .noSuchOverload() }
                return .double(x / y)
            },
        ]),
        FunctionBinding("_%_", [
            .binary(OverloadID.moduloInt64, K.int, K.int) { a, b in
                guard case let .int(x) = a, case let .int(y) = b else { return .noSuchOverload() }
                if y == 0 { return .err("modulus by zero") }
                let (r, o) = x.remainderReportingOverflow(dividingBy: y)
                return o ? overflow : .int(r)
            },
            .binary(OverloadID.moduloUint64, K.uint, K.uint) { a, b in
                guard case let .uint(x) = a, case let .uint(y) = b else { return .noSuchOverload() }
                if y == 0 { return .err("modulus by zero") }
                return .uint(x % y)
            },
        ]),
        FunctionBinding("-_", [
            .unary(OverloadID.negateInt64, K.int) { a in
                guard case let .int(x) = a else { return .noSuchOverload() }
                return x == .min ? overflow : .int(-x)
            },
            .unary(OverloadID.negateDouble, K.double) { a in
                guard case let .double(x) = a else { return .noSuchOverload() }
                return .double(-x)
            },
        ]),
    ]
}
