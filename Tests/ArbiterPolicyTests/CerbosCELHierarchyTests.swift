import ArbiterPolicy
import CEL
import Testing

struct CerbosCELHierarchyTests {
    @Test(arguments: [
        #"hierarchy("a.b.c") == hierarchy(["a", "b", "c"])"#,
        #"hierarchy("a:b:c", ":") == hierarchy("a.b.c")"#,
        #"hierarchy("a.b.c") != hierarchy("a.b.d")"#,
        #"hierarchy("a.b.c").size() == 3"#,
        #"hierarchy("").size() == 1"#,
        #"hierarchy("a..b").size() == 3 && hierarchy("a..b")[1] == """#,
        #"hierarchy("a.b.c.d")[1] == "b""#,
        #"hierarchy("a.b").ancestorOf(hierarchy("a.b.c.d"))"#,
        #"!hierarchy("a.b").ancestorOf(hierarchy("a.b"))"#,
        #"!hierarchy("a.b").ancestorOf(hierarchy("a.c.d"))"#,
        #"hierarchy("a.b.c.d").descendentOf(hierarchy("a.b"))"#,
        #"!hierarchy("a.b").descendentOf(hierarchy("a.b"))"#,
        #"hierarchy("a.b.c").immediateChildOf(hierarchy("a.b"))"#,
        #"!hierarchy("a.b.c.d").immediateChildOf(hierarchy("a.b"))"#,
        #"hierarchy("a.b").immediateParentOf(hierarchy("a.b.c"))"#,
        #"!hierarchy("a.b").immediateParentOf(hierarchy("a.b.c.d"))"#,
        #"hierarchy("a.b.c").siblingOf(hierarchy("a.b.d"))"#,
        #"hierarchy("a.b.c").siblingOf(hierarchy("a.b.c"))"#,
        #"hierarchy("a").siblingOf(hierarchy("b"))"#,
        #"!hierarchy("a.b.c").siblingOf(hierarchy("a.x.c"))"#,
        #"!hierarchy("a.b").siblingOf(hierarchy("a.b.c"))"#,
        #"hierarchy("a.b.c").overlaps(hierarchy("a.b.c.d.e"))"#,
        #"hierarchy("a.b.c.d.e").overlaps(hierarchy("a.b.c"))"#,
        #"hierarchy("a.b").overlaps(hierarchy("a.b"))"#,
        #"!hierarchy("a.b.x").overlaps(hierarchy("a.b.c.d.e"))"#,
        #"hierarchy("a.b.c.d").commonAncestors(hierarchy("a.b.e")) == hierarchy(["a", "b"])"#,
        #"hierarchy("foo.bar").commonAncestors(hierarchy("foo.bar.baz.qux")) == hierarchy("foo.bar")"#,
        #"hierarchy("a.b.c").commonAncestors(hierarchy("a.b.c")) == hierarchy("a.b")"#,
        #"hierarchy("x.y").commonAncestors(hierarchy("a.b")) == hierarchy([])"#,
        #"string(dyn(hierarchy("a:b:c", ":"))) == "a.b.c""#,
        #"size(dyn(hierarchy("a.b"))) == 2 && size(hierarchy("a")) == 1"#,
        #"string(hierarchy(["x", "y"])) == "x.y""#,
        #"hierarchy(R.attr.scope).ancestorOf(hierarchy(P.attr.scope))"#,
    ])
    func hierarchyExpression_holds(_ source: String) {
        let b = CerbosCEL.bindings(principalAttr: [("scope", .string("foo.bar.baz"))], resourceAttr: [("scope", .string("foo"))])
        let v = CerbosCEL.eval(source, b)
        #expect(CerbosCEL.isTrue(v), "\(source) gave \(v)")
    }

    @Test func indexOutOfRange_isAnError() {
        #expect(CerbosCEL.runtimeError(#"hierarchy("a.b")[2] == "x""#) == "index out of range")
        #expect(CerbosCEL.runtimeError(#"hierarchy("a.b")[-1] == "x""#) == "index out of range")
    }

    @Test func listWithNonStrings_isAnError() {
        #expect(CerbosCEL.runtimeError(#"hierarchy(dyn([1, 2])).size() == 2"#) != nil)
    }

    @Test func comparingHierarchyWithString_isACompileError() {
        guard case let .failure(f) = CerbosCEL.compile(#"hierarchy("a") == "a""#) else {
            Issue.record("expected a compile error")
            return
        }
        #expect(f.message.contains("no matching overload"))
    }

    @Test func hierarchyValue_joinsWithDotsWhateverTheDelimiter() {
        #expect(Hierarchy("a/b", delimiter: "/").joined == "a.b")
        #expect(Hierarchy("abc", delimiter: "").segments == ["a", "b", "c"])
    }
}
