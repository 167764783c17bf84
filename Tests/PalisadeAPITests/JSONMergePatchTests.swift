import PalisadeAPI
import Testing

@Suite("JSON merge patch (RFC 7386)")
struct JSONMergePatchTests {
    /// RFC 7386 Appendix A.
    static let appendixA: [PatchExample] = [
        PatchExample("example 1", original: #"{"a":"b"}"#, patch: #"{"a":"c"}"#, expected: #"{"a":"c"}"#),
        PatchExample("example 2", original: #"{"a":"b"}"#, patch: #"{"b":"c"}"#, expected: #"{"a":"b","b":"c"}"#),
        PatchExample("example 3", original: #"{"a":"b"}"#, patch: #"{"a":null}"#, expected: #"{}"#),
        PatchExample("example 4", original: #"{"a":"b","b":"c"}"#, patch: #"{"a":null}"#, expected: #"{"b":"c"}"#),
        PatchExample("example 5", original: #"{"a":["b"]}"#, patch: #"{"a":"c"}"#, expected: #"{"a":"c"}"#),
        PatchExample("example 6", original: #"{"a":"c"}"#, patch: #"{"a":["b"]}"#, expected: #"{"a":["b"]}"#),
        PatchExample("example 7", original: #"{"a":{"b":"c"}}"#, patch: #"{"a":{"b":"d","c":null}}"#, expected: #"{"a":{"b":"d"}}"#),
        PatchExample("example 8", original: #"{"a":[{"b":"c"}]}"#, patch: #"{"a":[1]}"#, expected: #"{"a":[1]}"#),
        PatchExample("example 9", original: #"["a","b"]"#, patch: #"["c","d"]"#, expected: #"["c","d"]"#),
        PatchExample("example 10", original: #"{"a":"b"}"#, patch: #"["c"]"#, expected: #"["c"]"#),
        PatchExample("example 11", original: #"{"a":"foo"}"#, patch: #"null"#, expected: #"null"#),
        PatchExample("example 12", original: #"{"a":"foo"}"#, patch: #""bar""#, expected: #""bar""#),
        PatchExample("example 13", original: #"{"e":null}"#, patch: #"{"a":1}"#, expected: #"{"e":null,"a":1}"#),
        PatchExample("example 14", original: #"[1,2]"#, patch: #"{"a":"b","c":null}"#, expected: #"{"a":"b"}"#),
        PatchExample("example 15", original: #"{}"#, patch: #"{"a":{"bb":{"ccc":null}}}"#, expected: #"{"a":{"bb":{}}}"#),
    ]

    @Test("RFC 7386 appendix A", arguments: appendixA)
    func appendix(example: PatchExample) throws {
        let result = JSONMergePatch.apply(try PatchFixture.parse(example.patch), to: try PatchFixture.parse(example.original))
        #expect(result == (try PatchFixture.parse(try #require(example.expected))))
    }

    @Test func mergesNestedObjectsAndKeepsUntouchedMembers() throws {
        let original = try PatchFixture.parse(#"{"metadata":{"name":"web","labels":{"app":"web","env":"prod"}},"spec":{"replicas":1}}"#)
        let patch = try PatchFixture.parse(#"{"metadata":{"labels":{"env":null,"tier":"frontend"}},"spec":{"replicas":3}}"#)
        let expected = try PatchFixture.parse(#"{"metadata":{"name":"web","labels":{"app":"web","tier":"frontend"}},"spec":{"replicas":3}}"#)
        #expect(JSONMergePatch.apply(patch, to: original) == expected)
    }

    @Test func replacesListsWholeAndKeepsNullsInsideThem() throws {
        let original = try PatchFixture.parse(#"{"items":[{"name":"a"},{"name":"b"}]}"#)
        let patch = try PatchFixture.parse(#"{"items":[{"name":"c","x":null}]}"#)
        #expect(JSONMergePatch.apply(patch, to: original) == (try PatchFixture.parse(#"{"items":[{"name":"c","x":null}]}"#)))
    }

    @Test func deletingAMissingMemberIsANoOp() throws {
        let original = try PatchFixture.parse(#"{"a":1}"#)
        #expect(JSONMergePatch.apply(try PatchFixture.parse(#"{"b":null}"#), to: original) == original)
    }
}
