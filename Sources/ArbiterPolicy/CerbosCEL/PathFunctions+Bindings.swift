import CEL

extension PathFunctions {
    static func encodeError(_ path: String, _ what: String = "path") -> Value {
        .err("failed to encode \(what) \(path): unsupported Win32 path")
    }

    /// `filepath.Rel` on encoded paths, decoded back to the target's style.
    static func rel(_ basePath: String, _ targetPath: String) -> Value {
        guard let b = try? encode(basePath) else { return encodeError(basePath, "base path") }
        guard var t = try? encode(targetPath) else { return encodeError(targetPath, "target path") }
        guard let r = GoFilepath.rel(b.value, t.value) else {
            return .err("failed to determine relative path of \(targetPath): Rel: can't make \(t.value) relative to \(b.value)")
        }
        if r == "." || r == ".." { return .string(r) }
        t.value = r
        if t.kind == .unc && !r.hasPrefix("\\") { return .string(toBackslash(r)) }
        return .string(decode(t))
    }

    /// `filepath.Match` of the encoded pattern against the encoded path.
    static func match(_ path: String, _ pattern: String) -> Value {
        guard let p = try? encode(path) else { return encodeError(path) }
        guard let g = try? encode(pattern) else { return encodeError(pattern, "pattern") }
        do {
            return .bool(try GoFilepath.match(g.value, p.value))
        } catch {
            return .err("failed to match pattern \"\(pattern)\" on path \"\(path)\": syntax error in pattern")
        }
    }

    /// Whether `path` lies strictly under `prefix`, as Cerbos decides it: the relative path from
    /// `prefix` to `path` is non-empty and starts with neither `.` nor a separator (so the prefix
    /// itself, and names starting with `.` directly under it, do not count).
    static func hasPrefix(_ path: String, _ prefix: String) -> Value {
        let r = rel(prefix, path)
        guard case let .string(s) = r else { return r }
        guard let first = s.unicodeScalars.first else { return .bool(false) }
        return .bool(first != "." && first != "/" && first != "\\")
    }

    static func matchAnyOf(_ path: String, _ patterns: [Value]) -> Value {
        for pattern in patterns {
            guard case let .string(s) = pattern else { return .noSuchOverload("pathMatchAnyOf") }
            let r = match(path, s)
            if case .bool(false) = r { continue }
            return r
        }
        return .bool(false)
    }

    static func stringFunction(_ name: String, _ f: @escaping @Sendable (String) throws(UnsupportedWin32Path) -> String)
        -> FunctionBinding {
        FunctionBinding(name, [.unary("\(name)_string", .kind(.string)) { v in
            guard case let .string(s) = v else { return .noSuchOverload(name) }
            do { return .string(try f(s)) } catch { return encodeError(s) }
        }])
    }

    static func predicate(_ name: String, _ second: ArgKind, _ f: @escaping @Sendable (String, Value) -> Value) -> FunctionBinding {
        let impl: @Sendable (Value, Value) -> Value = { a, b in
            guard case let .string(s) = a else { return .noSuchOverload(name) }
            return f(s, b)
        }
        return FunctionBinding(name, [
            .binary("\(name)_string_\(second == .kind(.list) ? "list" : "string")", .kind(.string), second, impl),
            .binary("string_\(name)_\(second == .kind(.list) ? "list" : "string")", .kind(.string), second, isMember: true, impl),
        ])
    }

    static var functions: [FunctionBinding] {
        let string = ArgKind.kind(.string), list = ArgKind.kind(.list)
        return [
            stringFunction("basePath") { s throws(UnsupportedWin32Path) in try base(s) },
            stringFunction("dirPath") { s throws(UnsupportedWin32Path) in try dir(s) },
            stringFunction("extPath") { s throws(UnsupportedWin32Path) in try ext(s) },
            stringFunction("volumeName") { volumeName($0) },
            FunctionBinding("joinPath", [.unary("joinPath_list", list) { v in
                guard case let .list(items) = v else { return .noSuchOverload("joinPath") }
                var parts: [String] = []
                for item in items {
                    guard case let .string(s) = item else { return .noSuchOverload("joinPath") }
                    parts.append(s)
                }
                do throws(UnsupportedWin32Path) { return .string(try join(parts)) } catch { return encodeError(error.path) }
            }]),
            FunctionBinding("relPath", [.binary("relPath_string_string", string, string) { a, b in
                guard case let .string(x) = a, case let .string(y) = b else { return .noSuchOverload("relPath") }
                return rel(x, y)
            }]),
            predicate("pathHasPrefix", string) { p, v in
                guard case let .string(prefix) = v else { return .noSuchOverload("pathHasPrefix") }
                return hasPrefix(p, prefix)
            },
            predicate("pathMatch", string) { p, v in
                guard case let .string(pattern) = v else { return .noSuchOverload("pathMatch") }
                return match(p, pattern)
            },
            predicate("pathMatchAnyOf", list) { p, v in
                guard case let .list(patterns) = v else { return .noSuchOverload("pathMatchAnyOf") }
                return matchAnyOf(p, patterns)
            },
        ]
    }

    static var declarations: [FunctionDecl] {
        typealias O = OverloadDecl
        let s = CheckedType.string, ls = CheckedType.list(.string)
        func predicate(_ name: String, _ second: CheckedType, _ suffix: String) -> FunctionDecl {
            FunctionDecl(name, O("\(name)_string_\(suffix)", [s, second], .bool),
                         .member("string_\(name)_\(suffix)", [s, second], .bool))
        }
        return [
            FunctionDecl("basePath", O("basePath_string", [s], s)),
            FunctionDecl("dirPath", O("dirPath_string", [s], s)),
            FunctionDecl("extPath", O("extPath_string", [s], s)),
            FunctionDecl("volumeName", O("volumeName_string", [s], s)),
            FunctionDecl("joinPath", O("joinPath_list", [ls], s)),
            FunctionDecl("relPath", O("relPath_string_string", [s, s], s)),
            predicate("pathHasPrefix", s, "string"), predicate("pathMatch", s, "string"),
            predicate("pathMatchAnyOf", ls, "list"),
        ]
    }
}
