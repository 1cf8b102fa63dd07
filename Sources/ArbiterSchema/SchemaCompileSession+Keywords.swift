import ArbiterJSON
import CEL
import OrderedCollections

extension SchemaCompileSession {
    /// Decodes and checks the keywords of the schema `value` at `location`.
    mutating func build(_ value: Value, at location: Location, info: ScopeInfo) throws(SchemaCompileError) -> SchemaNode {
        var node = SchemaNode()
        node.resource = info.resource
        if case let .bool(b) = value {
            node.always = b
            return node
        }
        guard case let .map(object) = value else {
            throw SchemaCompileError(location: uri(of: location), message: "a schema must be an object or a boolean, got \(JSONInstance.typeName(value))")
        }
        let draft = info.draft
        let reader = KeywordReader(object: object, where: uri(of: location))

        if let ref = try reader.string("$ref") {
            node.ref = try self.node(at: resolve(ref, base: info.base, draft: draft, from: location))
            // Draft 7: `$ref` replaces the whole schema it sits in.
            if draft == .draft7 { return node }
        }
        if draft == .draft2020_12, let ref = try reader.string("$dynamicRef") {
            let target = try resolve(ref, base: info.base, draft: draft, from: location)
            let targetNode = try self.node(at: target)
            let fragment = SchemaURI.split(ref).fragment
            var anchor: String?
            if !fragment.isEmpty, !fragment.hasPrefix("/"), case let .map(t)? = self.value(at: target),
               case let .string(name)? = t[string: "$dynamicAnchor"], name == fragment {
                anchor = name
            }
            node.dynamicRef = (targetNode, anchor)
            usesDynamicRef = true
        }

        if let t = object[string: "type"] {
            var names: [String]
            switch t {
            case let .string(s): names = [s]
            case let .list(items): names = try items.map { item throws(SchemaCompileError) in
                guard case let .string(s) = item else { throw reader.problem("type", "type entries must be strings") }
                return s
            }
            default: throw reader.problem("type", "type must be a string or an array of strings")
            }
            var set = JSONTypeSet()
            for name in names {
                guard let one = JSONTypeSet(name: name) else { throw reader.problem("type", "unknown type \(name)") }
                set.insert(one)
            }
            node.types = set
            node.typeNames = names
        }
        node.constValue = object[string: "const"]
        if let e = object[string: "enum"] {
            guard case let .list(values) = e else { throw reader.problem("enum", "enum must be an array") }
            node.enumValues = values
            let texts = values.map(\.jsonForMessage)
            node.enumMessage = texts.count == 1 ? "value must be \(texts[0])" : "value must be one of \(texts.joined(separator: ", "))"
        }
        if let name = try reader.string("format"), draft == .draft7 || assertFormat {
            node.format = SchemaFormat(name: name)
            node.formatName = name
        }

        node.minLength = try reader.count("minLength")
        node.maxLength = try reader.count("maxLength")
        if let pattern = try reader.string("pattern") {
            node.pattern = try reader.regex("pattern", pattern)
        }

        node.minimum = try reader.number("minimum")
        node.maximum = try reader.number("maximum")
        node.exclusiveMinimum = try reader.number("exclusiveMinimum")
        node.exclusiveMaximum = try reader.number("exclusiveMaximum")
        if let m = try reader.number("multipleOf") {
            guard m > 0 else { throw reader.problem("multipleOf", "multipleOf must be greater than 0") }
            node.multipleOf = m
        }

        node.minItems = try reader.count("minItems")
        node.maxItems = try reader.count("maxItems")
        node.uniqueItems = try reader.bool("uniqueItems") ?? false
        switch draft {
        case .draft2020_12:
            node.prefixItems = try subschemaList(object, "prefixItems", location)
            node.items = try subschema(object, "items", location)
        case .draft7:
            if case .list = object[string: "items"] {
                node.prefixItems = try subschemaList(object, "items", location)
                node.items = try subschema(object, "additionalItems", location)
                node.itemsKeyword = "additionalItems"
            } else {
                node.items = try subschema(object, "items", location)
            }
        }
        node.contains = try subschema(object, "contains", location)
        if draft == .draft2020_12 {
            node.minContains = try reader.count("minContains") ?? 1
            node.maxContains = try reader.count("maxContains")
        }

        if let p = object[string: "properties"] {
            guard case let .map(members) = p else { throw reader.problem("properties", "properties must be an object") }
            for (key, _) in members.storage {
                guard case let .string(name) = key else { continue }
                let child = try self.node(at: Location(document: location.document, pointer: location.pointer + ["properties", name]))
                node.propertyIndex[name] = node.properties.count
                node.properties.append((name, child, false))
            }
        }
        if let p = object[string: "patternProperties"] {
            guard case let .map(members) = p else { throw reader.problem("patternProperties", "patternProperties must be an object") }
            for (key, _) in members.storage {
                guard case let .string(pattern) = key else { continue }
                let regex = try reader.regex("patternProperties", pattern)
                let child = try self.node(at: Location(document: location.document, pointer: location.pointer + ["patternProperties", pattern]))
                node.patternProperties.append((regex, child))
            }
        }
        node.additionalProperties = try subschema(object, "additionalProperties", location)
        node.required = try reader.strings("required") ?? []
        for name in node.required {
            if let i = node.propertyIndex[name] {
                if !node.properties[i].required { node.requiredDeclaredCount += 1 }
                node.properties[i].required = true
            } else {
                node.requiredOutsideProperties.append(.string(name))
            }
        }
        node.propertyNames = try subschema(object, "propertyNames", location)
        node.minProperties = try reader.count("minProperties")
        node.maxProperties = try reader.count("maxProperties")
        let dependentKeyword = draft == .draft7 ? "dependencies" : "dependentSchemas"
        if let d = object[string: dependentKeyword] {
            guard case let .map(members) = d else { throw reader.problem(dependentKeyword, "\(dependentKeyword) must be an object") }
            for (key, member) in members.storage {
                guard case let .string(name) = key else { continue }
                if case let .list(names) = member {
                    node.dependentRequired.append((name, try names.map { n throws(SchemaCompileError) in
                        guard case let .string(s) = n else { throw reader.problem(dependentKeyword, "property lists must hold strings") }
                        return s
                    }))
                } else {
                    let child = try self.node(at: Location(document: location.document, pointer: location.pointer + [dependentKeyword, name]))
                    node.dependentSchemas.append((name, child))
                }
            }
        }
        if draft == .draft2020_12, let d = object[string: "dependentRequired"] {
            guard case let .map(members) = d else { throw reader.problem("dependentRequired", "dependentRequired must be an object") }
            for (key, _) in members.storage {
                guard case let .string(name) = key else { continue }
                node.dependentRequired.append((name, try KeywordReader(object: members, where: reader.where).strings(name) ?? []))
            }
        }

        node.allOf = try subschemaList(object, "allOf", location)
        node.anyOf = try subschemaList(object, "anyOf", location)
        node.oneOf = try subschemaList(object, "oneOf", location)
        node.not = try subschema(object, "not", location)
        node.ifSchema = try subschema(object, "if", location)
        node.thenSchema = try subschema(object, "then", location)
        node.elseSchema = try subschema(object, "else", location)
        if draft == .draft2020_12 {
            node.unevaluatedProperties = try subschema(object, "unevaluatedProperties", location)
            node.unevaluatedItems = try subschema(object, "unevaluatedItems", location)
        }
        return node
    }

    private mutating func subschema(_ object: MapValue, _ keyword: String, _ location: Location) throws(SchemaCompileError) -> Int? {
        guard object[string: keyword] != nil else { return nil }
        return try self.node(at: Location(document: location.document, pointer: location.pointer + [keyword]))
    }

    private mutating func subschemaList(_ object: MapValue, _ keyword: String, _ location: Location) throws(SchemaCompileError) -> [Int] {
        guard let value = object[string: keyword] else { return [] }
        guard case let .list(items) = value, !items.isEmpty || keyword == "prefixItems" || keyword == "items" else {
            throw SchemaCompileError(location: uri(of: location) + "/" + keyword, message: "\(keyword) must be a non-empty array of schemas")
        }
        var out: [Int] = []
        out.reserveCapacity(items.count)
        for i in items.indices {
            out.append(try self.node(at: Location(document: location.document, pointer: location.pointer + [keyword, String(i)])))
        }
        return out
    }
}

/// Typed reads of keyword values, each failing with the keyword's location.
struct KeywordReader {
    let object: MapValue
    let `where`: String

    func problem(_ keyword: String, _ message: String) -> SchemaCompileError {
        SchemaCompileError(location: `where` + "/" + JSONPointer.escape(keyword), message: message)
    }

    func string(_ keyword: String) throws(SchemaCompileError) -> String? {
        guard let v = object[string: keyword] else { return nil }
        guard case let .string(s) = v else { throw problem(keyword, "\(keyword) must be a string") }
        return s
    }

    func bool(_ keyword: String) throws(SchemaCompileError) -> Bool? {
        guard let v = object[string: keyword] else { return nil }
        guard case let .bool(b) = v else { throw problem(keyword, "\(keyword) must be a boolean") }
        return b
    }

    func number(_ keyword: String) throws(SchemaCompileError) -> Double? {
        guard let v = object[string: keyword] else { return nil }
        guard let n = JSONInstance.number(v) else { throw problem(keyword, "\(keyword) must be a number") }
        return n
    }

    /// A non-negative integer (a number with no fraction, such as `2.0`, counts).
    func count(_ keyword: String) throws(SchemaCompileError) -> Int? {
        guard let v = object[string: keyword] else { return nil }
        guard let n = JSONInstance.number(v), n >= 0, n.rounded(.towardZero) == n, n < 9.0e15 else { throw problem(keyword, "\(keyword) must be a non-negative integer") }
        return Int(n)
    }

    func strings(_ keyword: String) throws(SchemaCompileError) -> [String]? {
        guard let v = object[string: keyword] else { return nil }
        guard case let .list(items) = v else { throw problem(keyword, "\(keyword) must be an array of strings") }
        return try items.map { item throws(SchemaCompileError) in
            guard case let .string(s) = item else { throw problem(keyword, "\(keyword) must be an array of strings") }
            return s
        }
    }

    func regex(_ keyword: String, _ pattern: String) throws(SchemaCompileError) -> RE2Regex {
        do {
            return try RE2Regex(Self.re2Spelling(pattern))
        } catch {
            throw problem(keyword, "invalid regular expression \(GoText.quote(pattern)): \(error)")
        }
    }
}

extension KeywordReader {
    /// Unicode property names as ECMA-262 spells them (`\p{Letter}`) rewritten to RE2's short
    /// names (`\p{L}`); RE2 knows only the short ones.
    static func re2Spelling(_ pattern: String) -> String {
        guard pattern.contains("\\p{") || pattern.contains("\\P{") else { return pattern }
        let names = [
            "Letter": "L", "Lowercase_Letter": "Ll", "Uppercase_Letter": "Lu", "Titlecase_Letter": "Lt",
            "Modifier_Letter": "Lm", "Other_Letter": "Lo", "Mark": "M", "Number": "N", "Decimal_Number": "Nd",
            "Digit": "Nd", "Letter_Number": "Nl", "Other_Number": "No", "Punctuation": "P", "Symbol": "S",
            "Separator": "Z", "Space_Separator": "Zs", "Other": "C", "Control": "Cc",
        ]
        var out = pattern
        for (long, short) in names {
            out = out.replacingOccurrences("\\p{\(long)}", "\\p{\(short)}").replacingOccurrences("\\P{\(long)}", "\\P{\(short)}")
        }
        return out
    }
}
