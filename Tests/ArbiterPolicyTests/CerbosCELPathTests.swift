import ArbiterPolicy
import CEL
import Testing

struct CerbosCELPathTests {
    /// (expression, expected string) pairs; backslashes are CEL raw strings.
    @Test(arguments: [
        (#"basePath("/a/b/c.txt")"#, "c.txt"),
        (#"basePath("/a/b/")"#, "b"),
        (#"basePath("")"#, "."),
        (#"basePath("/")"#, "/"),
        (#"basePath(r"C:\a\b.txt")"#, "b.txt"),
        (#"basePath(r"\\host\share\dir\f")"#, "f"),
        (#"dirPath("/a/b/c")"#, "/a/b"),
        (#"dirPath("a")"#, "."),
        // The path is cleaned before Dir, so a trailing slash does not keep the last element.
        (#"dirPath("/a/../b/c/")"#, "/b"),
        (#"dirPath(r"C:\a\b")"#, #"C:\a"#),
        (#"dirPath(r"C:\")"#, #"C:\"#),
        (#"dirPath("C:")"#, #"C:\"#),
        (#"dirPath(r"\\host\share\dir\file")"#, #"\\host\share\dir"#),
        (#"dirPath(r"\\host\share")"#, #"\\host\share"#),
        (#"dirPath(r"a\b\c")"#, #"a\b"#),
        (#"extPath("a/b.tar.gz")"#, ".gz"),
        (#"extPath("a.b/c")"#, ""),
        (#"extPath(r"C:\x\y.TXT")"#, ".TXT"),
        (#"volumeName(r"C:\foo")"#, "C:"),
        (#"volumeName(r"\\host\share\foo")"#, #"\\host\share"#),
        (#"volumeName(r"\\host")"#, ""),
        (#"volumeName("/a/b")"#, ""),
        (#"joinPath(["a", "b", "../c"])"#, "a/c"),
        (#"joinPath(["/a", "", "b/"])"#, "/a/b"),
        (#"joinPath([r"C:\a", "b"])"#, #"C:\a\b"#),
        (#"joinPath([r"\\host\share", "x", "y"])"#, #"\\host\share\x\y"#),
        (#"joinPath([])"#, ""),
        (#"joinPath(["x//"])"#, "x//"),
        (#"relPath("/a/b", "/a/b/c/d")"#, "c/d"),
        (#"relPath("/a/b", "/a/c")"#, "../c"),
        (#"relPath("/a/b/c", "/a")"#, "../.."),
        (#"relPath("/a", "/a")"#, "."),
        (#"relPath("a/b", "a/b/../c")"#, "../c"),
        (#"relPath(r"C:\a", r"C:\a\b\c")"#, #"b\c"#),
        (#"relPath(r"\\h\s\a", r"\\h\s\a\b")"#, "b"),
    ])
    func pathFunction_returns(_ source: String, _ expected: String) {
        let v = CerbosCEL.eval(source)
        guard case let .string(s) = v else {
            Issue.record("\(source) gave \(v)")
            return
        }
        #expect(s == expected, "\(source)")
    }

    @Test(arguments: [
        #"pathMatch("/a/b.txt", "/a/*.txt")"#,
        #"!pathMatch("/a/b/c.txt", "/a/*.txt")"#,
        #""abc".pathMatch("a?c")"#,
        #"!pathMatch("a/c", "a?c")"#,
        #"pathMatch("b", "[a-c]") && !pathMatch("b", "[^a-c]") && pathMatch("d", "[^a-c]")"#,
        // A backslash is a Windows separator here, never an escape.
        #"pathMatch("a/xb", "a\\*b") && !pathMatch("a*b", "a\\*b")"#,
        #"pathMatch(r"C:\dir\f.txt", r"C:\dir\*.txt")"#,
        #"pathMatch("/x/y", "/x/y/")"#,
        #"pathMatch("abc", "*") && !pathMatch("a/c", "*")"#,
        #"pathMatch("ab/cd", "a*/c*")"#,
        #"pathHasPrefix("/a/b/c", "/a/b")"#,
        #""/a/b/c".pathHasPrefix("/a")"#,
        #"!pathHasPrefix("/a/b", "/a/b/") && !pathHasPrefix("/a/b", "/a/b")"#,
        #"!pathHasPrefix("/a/b/.git", "/a/b")"#,
        #"pathHasPrefix("a/b", "a") && !pathHasPrefix("a", "a/b")"#,
        #"!pathHasPrefix("/a/bc", "/a/b")"#,
        #"pathHasPrefix("/anything", "/")"#,
        #"pathHasPrefix(r"C:\Users\me\f", r"C:\Users")"#,
        #"!pathHasPrefix(r"D:\Users\me", r"C:\Users")"#,
        #"pathMatchAnyOf("/a/b.txt", ["*.md", "/a/*.txt"])"#,
        #"!"/a/b.txt".pathMatchAnyOf(["*.md"])"#,
        #"!pathMatchAnyOf("/a", [])"#,
    ])
    func pathPredicate_holds(_ source: String) {
        let v = CerbosCEL.eval(source)
        #expect(CerbosCEL.isTrue(v), "\(source) gave \(v)")
    }

    @Test(arguments: [#"pathMatch("a", "[")"#, #"pathMatch("a", "[]a]")"#, #"pathMatch("x", "y[")"#,
                      #"pathMatchAnyOf("a", ["[", "a"])"#])
    func malformedPattern_isAnError(_ source: String) {
        let message = CerbosCEL.runtimeError(source)
        #expect(message?.contains("syntax error in pattern") == true, "\(source) gave \(String(describing: message))")
    }

    @Test(arguments: [#"basePath("D:foo")"#, #"dirPath("c:.")"#, #"joinPath(["/a", "D:x"])"#, #"relPath("/a", "C:b")"#,
                      #"pathHasPrefix("E:dir", "/")"#])
    func driveRelativePath_isUnsupported(_ source: String) {
        let message = CerbosCEL.runtimeError(source)
        #expect(message?.contains("unsupported Win32 path") == true, "\(source) gave \(String(describing: message))")
    }

    @Test func joinPathError_namesTheOffendingElement() {
        #expect(CerbosCEL.runtimeError(#"joinPath(["/a", "D:x"])"#) == "failed to encode path D:x: unsupported Win32 path")
    }

    @Test func pathHasPrefixBetweenAbsoluteAndRelative_isAnError() {
        #expect(CerbosCEL.runtimeError(#"pathHasPrefix("a/b", "/a")"#)?.contains("can't make a/b relative to /a") == true)
    }

    @Test func relPathBetweenAbsoluteAndRelative_isAnError() {
        let message = CerbosCEL.runtimeError(#"relPath("/a", "b")"#)
        #expect(message?.contains("can't make b relative to /a") == true, "\(String(describing: message))")
    }
}
