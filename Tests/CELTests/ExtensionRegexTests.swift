import Testing
@testable import CEL

@Suite struct ExtensionRegexTests {
    @Test(arguments: [
        ("regex.replace('banana', 'a', 'x')", "bxnxnx"), ("regex.replace('banana', 'a', 'x', 0)", "banana"),
        ("regex.replace('banana', 'a', 'x', 2)", "bxnxna"), ("regex.replace('banana', 'a', 'x', -12)", "bxnxnx"),
        ("regex.replace('foo bar', '(fo)o (ba)r', r'\\2 \\1')", "ba fo"), ("regex.replace('ab', 'x*', '-')", "-a-b-"),
        ("regex.replace('a', 'a', r'\\\\')", "\\"), ("regex.replace('banana', 'b(a).*', r'\\1')", "a"),
    ])
    func replace_expandsBackslashGroupReferences(source: String, expected: String) {
        #expect(ExtensionEval.eval(source) == .string(expected))
    }

    @Test(arguments: [
        "regex.replace('test', '(.)', r'\\2')", "regex.replace('test', '(.)', r'\\a')", "regex.replace('t', 't', '\\\\')",
        "regex.replace('x', '(', 'y')", "regex.extract('a@b', '(.*)@([^.]*)')", "regex.extractAll('a@b', '(.*)@(.*)')",
    ])
    func invalidPatternsOrReplacements_areErrors(source: String) {
        #expect(ExtensionEval.errorMessage(source) != nil)
    }

    @Test(arguments: [
        ("regex.extract('hello world', 'hello(.*)')", "optional.of(' world')"),
        ("regex.extract('item-A, item-B', 'item-(\\\\w+)')", "optional.of('A')"),
        ("regex.extract('HELLO', 'hello')", "optional.none()"), ("regex.extract('ab', 'a(x?)b')", "optional.none()"),
        ("regex.extractAll('id:123, id:456', 'id:\\\\d+')", "['id:123', 'id:456']"),
        ("regex.extractAll('id:123, id:456', 'id:(\\\\d+)')", "['123', '456']"),
        ("regex.extractAll('a bb a cc', 'x')", "[]"),
    ])
    func extract_returnsMatchOrSingleGroup(source: String, expected: String) {
        #expect(ExtensionEval.eval(source) == ExtensionEval.eval(expected))
    }
}
