import CEL
import OrderedCollections

/// Compiles JSON Schema documents (draft 7 or 2020-12) into immutable `JSONSchema` validators.
///
/// Every reachable subschema is decoded, checked and compiled once; `$ref`s become node
/// indexes. Documents that a `$ref` names and that are not part of the schema itself come from
/// `resolver`, called with the absolute URI without its fragment (nil: no such document).
///
/// A compiler is a tool for one load (its resolver may read files), not a value to share.
public struct SchemaCompiler {
    /// Returns the document at an absolute URI, nil when there is none.
    public typealias Resolver = (String) -> Value?

    /// The draft of schemas whose `$schema` does not say.
    public var defaultDraft: JSONSchemaDraft
    /// Supplies the documents that `$ref`s name.
    public var resolver: Resolver
    /// Whether `format` asserts in 2020-12 schemas, where by default it only annotates
    /// (draft 7 formats always assert, as in santhosh-tekuri/jsonschema).
    public var assertFormat: Bool

    /// Creates a compiler.
    public init(defaultDraft: JSONSchemaDraft = .draft2020_12, assertFormat: Bool = false,
                resolver: @escaping Resolver = { _ in nil }) {
        self.defaultDraft = defaultDraft
        self.assertFormat = assertFormat
        self.resolver = resolver
    }

    /// Compiles `document`, whose identifier is `uri` (the base for its relative `$id`s and `$ref`s).
    public func compile(_ document: Value, uri: String) throws(SchemaCompileError) -> JSONSchema {
        var session = SchemaCompileSession(defaultDraft: defaultDraft, assertFormat: assertFormat, resolver: resolver)
        let root = try session.compileDocument(document, uri: uri)
        try session.compileDynamicAnchors()
        return JSONSchema(root: root, nodes: session.nodes, dynamicAnchors: session.resources.map(\.dynamicAnchorNodes),
                          usesDynamicScope: session.usesDynamicRef)
    }
}

/// The mutable state of one compilation: loaded documents, the identifiers found in them, and
/// the nodes built so far. Nothing of it survives into the `JSONSchema` but the node table.
struct SchemaCompileSession {
    struct Location: Hashable {
        var document: Int
        var pointer: [String]
        var key: String { "\(document)#" + pointer.map(JSONPointer.escape).joined(separator: "/") }
    }

    struct ScopeInfo {
        var base: String
        var draft: JSONSchemaDraft
        var resource: Int
    }

    struct Resource {
        var uri: String
        var dynamicAnchors: [String: Location] = [:]
        var dynamicAnchorNodes: [String: Int] = [:]
    }

    let defaultDraft: JSONSchemaDraft
    let assertFormat: Bool
    let resolver: SchemaCompiler.Resolver
    var documents: [Value] = []
    var documentURIs: [String] = []
    var identified: [String: Location] = [:]
    var scopes: [String: ScopeInfo] = [:]
    var resources: [Resource] = []
    var nodes: [SchemaNode] = []
    var nodeAt: [String: Int] = [:]
    var usesDynamicRef = false

    init(defaultDraft: JSONSchemaDraft, assertFormat: Bool, resolver: @escaping SchemaCompiler.Resolver) {
        self.defaultDraft = defaultDraft
        self.assertFormat = assertFormat
        self.resolver = resolver
    }

    // MARK: Documents and identifiers

    mutating func compileDocument(_ document: Value, uri: String) throws(SchemaCompileError) -> Int {
        let location = addDocument(document, uri: SchemaURI.split(uri).base, draft: defaultDraft)
        return try node(at: location)
    }

    private mutating func addDocument(_ document: Value, uri: String, draft: JSONSchemaDraft) -> Location {
        let index = documents.count
        documents.append(document)
        documentURIs.append(uri)
        let root = Location(document: index, pointer: [])
        identified[uri] = root
        resources.append(Resource(uri: uri))
        scan(document, at: root, base: uri, draft: draft, resource: resources.count - 1)
        return root
    }

    /// Records the base URI, draft and resource of every subschema, and every `$id` and anchor.
    private mutating func scan(_ value: Value, at location: Location, base: String, draft: JSONSchemaDraft, resource: Int) {
        var base = base, draft = draft, resource = resource
        guard case let .map(object) = value else {
            scopes[location.key] = ScopeInfo(base: base, draft: draft, resource: resource)
            return
        }
        if case let .string(meta)? = object[string: "$schema"], let declared = JSONSchemaDraft(metaSchemaURI: meta) {
            draft = declared
        }
        let refHidesSiblings = draft == .draft7 && object[string: "$ref"] != nil
        if !refHidesSiblings, case let .string(id)? = object[string: "$id"] {
            if draft == .draft7 && id.hasPrefix("#") {
                identified[SchemaURI.resolve(id, against: base)] = location
            } else {
                let resolved = SchemaURI.split(SchemaURI.resolve(id, against: base)).base
                if resolved != base || !location.pointer.isEmpty {
                    base = resolved
                    resources.append(Resource(uri: base))
                    resource = resources.count - 1
                }
                identified[base] = location
            }
        }
        if draft == .draft2020_12 {
            if case let .string(anchor)? = object[string: "$anchor"] { identified[base + "#" + anchor] = location }
            if case let .string(anchor)? = object[string: "$dynamicAnchor"] {
                identified[base + "#" + anchor] = location
                resources[resource].dynamicAnchors[anchor] = location
            }
        }
        scopes[location.key] = ScopeInfo(base: base, draft: draft, resource: resource)
        if refHidesSiblings { return }
        for (key, child) in object.storage {
            guard case let .string(keyword) = key else { continue }
            switch SchemaKeywords.shape(of: keyword, draft: draft) {
            case .schema:
                if case .list = child, keyword == "items" {
                    scanList(child, at: location, keyword, base: base, draft: draft, resource: resource)
                } else {
                    scan(child, at: Location(document: location.document, pointer: location.pointer + [keyword]),
                         base: base, draft: draft, resource: resource)
                }
            case .schemaList:
                scanList(child, at: location, keyword, base: base, draft: draft, resource: resource)
            case .schemaMap:
                guard case let .map(members) = child else { continue }
                for (name, member) in members.storage {
                    guard case let .string(name) = name else { continue }
                    if keyword == "dependencies", case .list = member { continue }
                    scan(member, at: Location(document: location.document, pointer: location.pointer + [keyword, name]),
                         base: base, draft: draft, resource: resource)
                }
            case .other:
                continue
            }
        }
    }

    private mutating func scanList(_ value: Value, at location: Location, _ keyword: String, base: String,
                                   draft: JSONSchemaDraft, resource: Int) {
        guard case let .list(items) = value else { return }
        for (i, item) in items.enumerated() {
            scan(item, at: Location(document: location.document, pointer: location.pointer + [keyword, String(i)]),
                 base: base, draft: draft, resource: resource)
        }
    }

    func value(at location: Location) -> Value? {
        var current = documents[location.document]
        for token in location.pointer {
            switch current {
            case let .map(object):
                guard let next = object[string: token] else { return nil }
                current = next
            case let .list(items):
                guard let i = Int(token), items.indices.contains(i) else { return nil }
                current = items[i]
            default:
                return nil
            }
        }
        return current
    }

    func uri(of location: Location) -> String {
        let pointer = location.pointer.map(JSONPointer.escape).joined(separator: "/")
        return documentURIs[location.document] + "#" + (pointer.isEmpty ? "" : "/" + pointer)
    }

    /// The scope of a location the scan did not visit (a `$ref` pointing into a non-schema
    /// position): the nearest scanned ancestor's, after scanning the target.
    private mutating func scope(at location: Location, value: Value) -> ScopeInfo {
        if let known = scopes[location.key] { return known }
        var parent = location
        var info: ScopeInfo?
        while !parent.pointer.isEmpty && info == nil {
            parent.pointer.removeLast()
            info = scopes[parent.key]
        }
        let inherited = info ?? ScopeInfo(base: documentURIs[location.document], draft: defaultDraft, resource: 0)
        scan(value, at: location, base: inherited.base, draft: inherited.draft, resource: inherited.resource)
        return scopes[location.key] ?? inherited
    }

    // MARK: References

    /// The location `reference` names, seen from a schema whose base URI is `base`.
    mutating func resolve(_ reference: String, base: String, draft: JSONSchemaDraft,
                          from location: Location) throws(SchemaCompileError) -> Location {
        let absolute = SchemaURI.resolve(reference, against: base)
        let (uri, fragment) = SchemaURI.split(absolute)
        var root = identified[uri]
        if root == nil {
            guard let document = resolver(uri) else {
                throw SchemaCompileError(location: self.uri(of: location), message: "cannot resolve \(reference): no schema at \(uri)",
                                         unresolvedURI: uri)
            }
            root = addDocument(document, uri: uri, draft: draft)
        }
        guard var target = root else { preconditionFailure("a loaded document is always identified") }
        if fragment.isEmpty { return target }
        if fragment.hasPrefix("/") {
            target.pointer += JSONPointer.tokens(fragment)
            guard value(at: target) != nil else {
                throw SchemaCompileError(location: self.uri(of: location), message: "cannot resolve \(reference): no value at #\(fragment)")
            }
            return target
        }
        guard let anchored = identified[uri + "#" + fragment] else {
            throw SchemaCompileError(location: self.uri(of: location), message: "cannot resolve \(reference): no anchor \(fragment) in \(uri)")
        }
        return anchored
    }

    // MARK: Nodes

    /// The node index of the schema at `location`, compiling it on first use.
    mutating func node(at location: Location) throws(SchemaCompileError) -> Int {
        let key = location.key
        if let known = nodeAt[key] { return known }
        guard let value = value(at: location) else {
            throw SchemaCompileError(location: uri(of: location), message: "no schema at this location")
        }
        let info = scope(at: location, value: value)
        let index = nodes.count
        nodes.append(SchemaNode())
        nodeAt[key] = index
        var node = try build(value, at: location, info: info)
        node.location = uri(of: location)
        nodes[index] = node
        return index
    }

    /// Compiles every `$dynamicAnchor` of every loaded resource, so `$dynamicRef` can jump to any
    /// of them at validation time (compiling one may load more documents, hence the loop).
    mutating func compileDynamicAnchors() throws(SchemaCompileError) {
        guard usesDynamicRef else { return }
        var changed = true
        while changed {
            changed = false
            for r in resources.indices {
                for (name, location) in resources[r].dynamicAnchors where resources[r].dynamicAnchorNodes[name] == nil {
                    let node = try node(at: location)
                    resources[r].dynamicAnchorNodes[name] = node
                    changed = true
                }
            }
        }
    }
}
