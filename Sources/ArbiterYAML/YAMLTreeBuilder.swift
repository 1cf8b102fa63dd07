/// Turns the flat libyaml event stream into node trees: resolves aliases and applies `<<` merge keys.
struct YAMLTreeBuilder {
    /// One open collection. A struct mutated in place at the top of the stack, so appending a child
    /// never copies the children collected so far.
    private struct Frame {
        var isMapping: Bool
        var items: [YAMLNode] = []
        var pairs: [YAMLPair] = []
        var pendingKey: YAMLNode?
        var anchor: String?
        var mark: YAMLMark
        var startCount: Int
    }

    let file: String
    private let source: [UInt8]
    private var lineStarts: [Int]?
    private var stack: [Frame] = []
    private var anchors: [String: (node: YAMLNode, weight: Int)] = [:]
    private var expandedNodes = 0
    private(set) var documents: [YAMLNode] = []

    init(file: String, source: [UInt8]) {
        self.file = file
        self.source = source
    }

    mutating func scalar(value: String, tag: String?, style: YAMLScalarStyle, anchor: String?, mark: YAMLMark) throws(YAMLError) {
        let contentStart: YAMLMark
        var lineStarts: [YAMLScalar.LineStart] = []
        switch style {
        case .plain: contentStart = mark
        case .singleQuoted, .doubleQuoted: contentStart = YAMLMark(line: mark.line, column: mark.column + 1)
        case .literal, .folded:
            contentStart = blockContentStart(indicatorLine: mark.line)
            lineStarts = blockLineStarts(contentStart: contentStart, folded: style == .folded)
        }
        let scalar = YAMLScalar(value: value, tag: tag, style: style, contentStart: contentStart, lineStarts: lineStarts)
        let node = YAMLNode(kind: .scalar(scalar),
                            file: file, mark: mark)
        try complete(node, anchor: anchor, added: 1, weight: 1)
    }

    mutating func alias(name: String, mark: YAMLMark) throws(YAMLError) {
        guard let (target, weight) = anchors[name] else {
            throw YAMLError(file: file, mark: mark, message: "unknown anchor '\(name)' referenced")
        }
        // An alias copies the anchored subtree, so all of it counts again.
        try complete(target, anchor: nil, added: weight, weight: weight)
    }

    mutating func startCollection(isMapping: Bool, anchor: String?, mark: YAMLMark) throws(YAMLError) {
        if stack.count >= YAMLParser.maximumDepth {
            throw YAMLError(file: file, mark: mark, message: "document nested more than \(YAMLParser.maximumDepth) levels deep")
        }
        stack.append(Frame(isMapping: isMapping, anchor: anchor, mark: mark, startCount: expandedNodes))
    }

    mutating func endCollection() throws(YAMLError) {
        guard let frame = stack.popLast() else { return }
        let kind: YAMLNode.Kind = frame.isMapping ? .mapping(try applyMergeKeys(frame.pairs)) : .sequence(frame.items)
        // The children were counted as they completed; only this node is new. The subtree's size
        // is what an alias of this collection would add later.
        try complete(YAMLNode(kind: kind, file: file, mark: frame.mark), anchor: frame.anchor,
                     added: 1, weight: expandedNodes - frame.startCount + 1)
    }

    /// Adds `node` to its parent. `added` is how many nodes it brings into the expanded tree;
    /// `weight` is its subtree's size, remembered for aliases of its anchor.
    private mutating func complete(_ node: YAMLNode, anchor: String?, added: Int, weight: Int) throws(YAMLError) {
        expandedNodes += added
        if expandedNodes > YAMLParser.maximumExpandedNodes {
            throw YAMLError(file: file, mark: node.mark, message: "document too large after alias expansion")
        }
        if let anchor { anchors[anchor] = (node, weight) }
        let top = stack.count - 1
        guard top >= 0 else {
            // Anchors stay visible in later documents of the same stream, as Cerbos's reader allows.
            documents.append(node)
            return
        }
        if !stack[top].isMapping {
            stack[top].items.append(node)
        } else if let key = stack[top].pendingKey {
            stack[top].pendingKey = nil
            stack[top].pairs.append(YAMLPair(key: key, value: node))
        } else {
            stack[top].pendingKey = node
        }
    }

    private static func isMergeKey(_ node: YAMLNode) -> Bool {
        guard case let .scalar(s) = node.kind, s.value == "<<", s.style == .plain else { return false }
        return s.tag == nil || s.tag == "tag:yaml.org,2002:merge"
    }

    private static func keyText(_ node: YAMLNode) -> String? {
        if case let .scalar(s) = node.kind { return s.value }
        return nil
    }

    /// Explicit keys win over merged ones wherever they appear; among merged mappings the earlier one wins,
    /// as in Go's yaml readers. Merged entries take the place of the `<<` key.
    private func applyMergeKeys(_ pairs: [YAMLPair]) throws(YAMLError) -> [YAMLPair] {
        guard pairs.contains(where: { Self.isMergeKey($0.key) }) else { return pairs }
        var taken = Set<String>()
        for pair in pairs where !Self.isMergeKey(pair.key) {
            if let k = Self.keyText(pair.key) { taken.insert(k) }
        }
        var result: [YAMLPair] = []
        result.reserveCapacity(pairs.count)
        for pair in pairs {
            guard Self.isMergeKey(pair.key) else { result.append(pair); continue }
            let sources: [YAMLNode]
            switch pair.value.kind {
            case .mapping: sources = [pair.value]
            case let .sequence(items): sources = items
            case .scalar:
                throw YAMLError(file: file, mark: pair.value.mark, message: "map merge requires a mapping or a sequence of mappings as its value")
            }
            for source in sources {
                guard case let .mapping(merged) = source.kind else {
                    throw YAMLError(file: file, mark: source.mark, message: "map merge requires a mapping or a sequence of mappings as its value")
                }
                for entry in merged {
                    guard let k = Self.keyText(entry.key) else { result.append(entry); continue }
                    if taken.insert(k).inserted { result.append(entry) }
                }
            }
        }
        return result
    }

    /// Replays YAML's block-scalar line handling over the source to find where each content line lands
    /// in the value: literal scalars keep every break; folded ones turn a single break between two
    /// plain lines into a space and drop the first break before blank lines, but keep breaks around
    /// more-indented lines.
    private mutating func blockLineStarts(contentStart: YAMLMark, folded: Bool) -> [YAMLScalar.LineStart] {
        guard let starts = lineStarts, contentStart.line <= starts.count else { return [] }
        let indent = contentStart.column - 1
        var result: [YAMLScalar.LineStart] = []
        var offset = 0
        var previousLength = -1          // scalars in the previous content line; -1 before the first
        var previousPlain = false
        var blanks = 0
        var line = contentStart.line
        while line <= starts.count {
            var i = starts[line - 1]
            var spaces = 0
            while i < source.count, source[i] == UInt8(ascii: " ") { i += 1; spaces += 1 }
            let atEnd = i >= source.count || source[i] == UInt8(ascii: "\n") || source[i] == UInt8(ascii: "\r")
            if atEnd {
                blanks += 1
                line += 1
                continue
            }
            if spaces < indent { break }
            let textStart = starts[line - 1] + indent
            var length = 0
            var j = textStart
            while j < source.count, source[j] != UInt8(ascii: "\n"), source[j] != UInt8(ascii: "\r") {
                if source[j] & 0xC0 != 0x80 { length += 1 }
                j += 1
            }
            let plain = spaces == indent && source[textStart] != UInt8(ascii: "\t")
            if previousLength >= 0 {
                let separator: Int
                if folded && previousPlain && plain { separator = max(blanks, 1) } else { separator = 1 + blanks }
                offset += previousLength + separator
            }
            result.append(YAMLScalar.LineStart(offset: offset, mark: YAMLMark(line: line, column: indent + 1)))
            previousLength = length
            previousPlain = plain
            blanks = 0
            line += 1
        }
        return result
    }

    /// A block scalar's text starts on the first non-blank line after its indicator, at that line's indentation.
    private mutating func blockContentStart(indicatorLine: Int) -> YAMLMark {
        if lineStarts == nil {
            var starts = [0]
            for (i, b) in source.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
            lineStarts = starts
        }
        let starts = lineStarts!
        var line = indicatorLine + 1
        while line <= starts.count {
            var i = starts[line - 1]
            var indent = 0
            while i < source.count, source[i] == UInt8(ascii: " ") { i += 1; indent += 1 }
            if i < source.count, source[i] != UInt8(ascii: "\n"), source[i] != UInt8(ascii: "\r") {
                return YAMLMark(line: line, column: indent + 1)
            }
            line += 1
        }
        return YAMLMark(line: indicatorLine + 1, column: 1)
    }
}
