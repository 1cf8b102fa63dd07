/// cel-go `ext.Encoders`: `base64.encode`, `base64.decode` (padded or not) and `json.encode`.
public struct EncodersLibrary: Library {
    /// The library; it has no options.
    public init() {}
    /// The library name used in diagnostics.
    public var name: String { "cel.ext.encoders" }
    /// Checker declarations of the functions.
    public var declarations: [FunctionDecl] { Declarations.encodersExtension }

    /// Runtime overloads, with cel-go overload ids.
    public var functions: [FunctionBinding] {
        [
            FunctionBinding("base64.encode", [.budgetedUnary("base64_encode_bytes", K.bytes) { a, budget in
                guard case let .bytes(b) = a else { return Ext.fail("base64.encode", a) }
                if let e = budget.admitString((b.count + 2) / 3 * 4, by: "base64.encode") { return e }
                return .string(Base64.encode(b))
            }]),
            FunctionBinding("base64.decode", [.budgetedUnary("base64_decode_string", K.string) { a, budget in
                guard case let .string(s) = a else { return Ext.fail("base64.decode", a) }
                if let e = budget.admitString(s.utf8.count, by: "base64.decode") { return e }
                guard let b = Base64.decode(s) else { return .err("illegal base64 data in input") }
                return .bytes(b)
            }]),
            FunctionBinding("json.encode", [.budgetedUnary("json_encode_dyn", .any) { a, budget in
                let bound = a.renderedSizeBound(bytesPerByte: 6, cap: budget.limits.maxStringSize)
                if let e = budget.admitString(bound, by: "json.encode") { return e }
                var out = ""
                if let e = JSONEncoding.append(a, to: &out) { return .error(e) }
                return .string(out)
            }]),
        ]
    }
}
