import PalisadeAPI
import Testing

@Suite("JSON patch (RFC 6902)")
struct JSONPatchTests {
    /// RFC 6902 Appendix A; `expected: nil` marks the examples that must be rejected.
    static let appendixA: [PatchExample] = [
        PatchExample(
            "A.1 adding an object member", original: #"{"foo":"bar"}"#,
            patch: #"[{"op":"add","path":"/baz","value":"qux"}]"#, expected: #"{"baz":"qux","foo":"bar"}"#),
        PatchExample(
            "A.2 adding an array element", original: #"{"foo":["bar","baz"]}"#,
            patch: #"[{"op":"add","path":"/foo/1","value":"qux"}]"#, expected: #"{"foo":["bar","qux","baz"]}"#),
        PatchExample(
            "A.3 removing an object member", original: #"{"baz":"qux","foo":"bar"}"#,
            patch: #"[{"op":"remove","path":"/baz"}]"#, expected: #"{"foo":"bar"}"#),
        PatchExample(
            "A.4 removing an array element", original: #"{"foo":["bar","qux","baz"]}"#,
            patch: #"[{"op":"remove","path":"/foo/1"}]"#, expected: #"{"foo":["bar","baz"]}"#),
        PatchExample(
            "A.5 replacing a value", original: #"{"baz":"qux","foo":"bar"}"#,
            patch: #"[{"op":"replace","path":"/baz","value":"boo"}]"#, expected: #"{"baz":"boo","foo":"bar"}"#),
        PatchExample(
            "A.6 moving a value", original: #"{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}"#,
            patch: #"[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]"#,
            expected: #"{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}"#),
        PatchExample(
            "A.7 moving an array element", original: #"{"foo":["all","grass","cows","eat"]}"#,
            patch: #"[{"op":"move","from":"/foo/1","path":"/foo/3"}]"#, expected: #"{"foo":["all","cows","eat","grass"]}"#),
        PatchExample(
            "A.8 testing a value: success", original: #"{"baz":"qux","foo":["a",2,"c"]}"#,
            patch: #"[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]"#,
            expected: #"{"baz":"qux","foo":["a",2,"c"]}"#),
        PatchExample(
            "A.9 testing a value: error", original: #"{"baz":"qux"}"#,
            patch: #"[{"op":"test","path":"/baz","value":"bar"}]"#, expected: nil),
        PatchExample(
            "A.10 adding a nested member object", original: #"{"foo":"bar"}"#,
            patch: #"[{"op":"add","path":"/child","value":{"grandchild":{}}}]"#,
            expected: #"{"foo":"bar","child":{"grandchild":{}}}"#),
        PatchExample(
            "A.11 ignoring unrecognized elements", original: #"{"foo":"bar"}"#,
            patch: #"[{"op":"add","path":"/baz","value":"qux","xyz":123}]"#, expected: #"{"foo":"bar","baz":"qux"}"#),
        PatchExample(
            "A.12 adding to a nonexistent target", original: #"{"foo":"bar"}"#,
            patch: #"[{"op":"add","path":"/baz/bat","value":"qux"}]"#, expected: nil),
        // The parser keeps the last duplicate member, so this reads as a remove of a missing member.
        PatchExample(
            "A.13 invalid JSON patch document", original: #"{"foo":"bar"}"#,
            patch: #"[{"op":"add","path":"/baz","value":"qux","op":"remove"}]"#, expected: nil),
        PatchExample(
            "A.14 ~ escape ordering", original: #"{"/":9,"~1":10}"#,
            patch: #"[{"op":"test","path":"/~01","value":10}]"#, expected: #"{"/":9,"~1":10}"#),
        PatchExample(
            "A.15 comparing strings and numbers", original: #"{"/":9,"~1":10}"#,
            patch: #"[{"op":"test","path":"/~01","value":"10"}]"#, expected: nil),
        PatchExample(
            "A.16 adding an array value", original: #"{"foo":["bar"]}"#,
            patch: #"[{"op":"add","path":"/foo/-","value":["abc","def"]}]"#, expected: #"{"foo":["bar",["abc","def"]]}"#),
    ]

    @Test("RFC 6902 appendix A", arguments: appendixA)
    func appendix(example: PatchExample) throws {
        let original = try PatchFixture.parse(example.original)
        let patch = try PatchFixture.parse(example.patch)
        if let expected = example.expected {
            #expect(try JSONPatch.apply(patch, to: original) == (try PatchFixture.parse(expected)))
        } else {
            let error = #expect(throws: APIError.self) { try JSONPatch.apply(patch, to: original) }
            #expect(error?.code == 422)
            #expect(error?.reason == "Invalid")
        }
    }

    /// Further operations, in the same table form.
    static let operations: [PatchExample] = [
        PatchExample(
            "test compares numbers by value", original: #"{"spec":{"replicas":1}}"#,
            patch: #"[{"op":"test","path":"/spec/replicas","value":1.0}]"#, expected: #"{"spec":{"replicas":1}}"#),
        PatchExample(
            "replace the whole document", original: #"{"a":1}"#,
            patch: #"[{"op":"replace","path":"","value":{"b":2}}]"#, expected: #"{"b":2}"#),
        PatchExample(
            "add at the root replaces the document", original: #"{"a":1}"#,
            patch: #"[{"op":"add","path":"","value":[1]}]"#, expected: #"[1]"#),
        PatchExample(
            "add replaces an existing member", original: #"{"a":1}"#,
            patch: #"[{"op":"add","path":"/a","value":2}]"#, expected: #"{"a":2}"#),
        PatchExample(
            "add at the end index appends", original: #"{"a":[1,2]}"#,
            patch: #"[{"op":"add","path":"/a/2","value":3}]"#, expected: #"{"a":[1,2,3]}"#),
        PatchExample(
            "replace an array element", original: #"{"a":[1,2]}"#,
            patch: #"[{"op":"replace","path":"/a/0","value":9}]"#, expected: #"{"a":[9,2]}"#),
        PatchExample(
            "copy a subtree", original: #"{"a":{"b":[1]}}"#,
            patch: #"[{"op":"copy","from":"/a","path":"/c"}]"#, expected: #"{"a":{"b":[1]},"c":{"b":[1]}}"#),
        PatchExample(
            "move to the same place changes nothing", original: #"{"a":1}"#,
            patch: #"[{"op":"move","from":"/a","path":"/a"}]"#, expected: #"{"a":1}"#),
        PatchExample(
            "escaped keys", original: #"{"metadata":{"annotations":{}}}"#,
            patch: #"[{"op":"add","path":"/metadata/annotations/example.com~1owner~0x","value":"me"}]"#,
            expected: #"{"metadata":{"annotations":{"example.com/owner~x":"me"}}}"#),
        PatchExample(
            "operations see earlier results", original: #"{"items":[]}"#,
            patch: #"[{"op":"add","path":"/items/-","value":{"n":1}},{"op":"replace","path":"/items/0/n","value":2}]"#,
            expected: #"{"items":[{"n":2}]}"#),
        PatchExample(
            "add past the end", original: #"{"a":[1]}"#,
            patch: #"[{"op":"add","path":"/a/5","value":2}]"#, expected: nil),
        PatchExample(
            "index with a leading zero", original: #"{"a":[1,2]}"#,
            patch: #"[{"op":"replace","path":"/a/01","value":2}]"#, expected: nil),
        PatchExample(
            "remove the end marker", original: #"{"a":[1]}"#,
            patch: #"[{"op":"remove","path":"/a/-"}]"#, expected: nil),
        PatchExample(
            "remove the whole document", original: #"{"a":1}"#,
            patch: #"[{"op":"remove","path":""}]"#, expected: nil),
        PatchExample(
            "step into a scalar", original: #"{"a":1}"#,
            patch: #"[{"op":"add","path":"/a/b","value":1}]"#, expected: nil),
        PatchExample(
            "copy from a missing path", original: #"{"a":1}"#,
            patch: #"[{"op":"copy","from":"/b","path":"/c"}]"#, expected: nil),
        PatchExample(
            "move from a missing path", original: #"{"a":1}"#,
            patch: #"[{"op":"move","from":"/b","path":"/c"}]"#, expected: nil),
        PatchExample(
            "test a missing path", original: #"{"a":1}"#,
            patch: #"[{"op":"test","path":"/b","value":null}]"#, expected: nil),
    ]

    @Test("operations", arguments: operations)
    func operation(example: PatchExample) throws {
        try appendix(example: example)
    }

    @Test func replaceOnAMissingPathIs422() throws {
        let document = try PatchFixture.parse(#"{"spec":{"replicas":1}}"#)
        let patch = try PatchFixture.parse(#"[{"op":"replace","path":"/spec/foo","value":1}]"#)
        let error = #expect(throws: APIError.self) { try JSONPatch.apply(patch, to: document) }
        #expect(error?.code == 422)
        #expect(error?.message.contains(#"jsonpatch replace operation does not apply: doc is missing path: "/spec/foo""#) == true)
    }

    @Test func removeOnAMissingPathNamesThePath() throws {
        let document = try PatchFixture.parse(#"{"spec":{}}"#)
        let patch = try PatchFixture.parse(#"[{"op":"remove","path":"/spec/foo"}]"#)
        let error = #expect(throws: APIError.self) { try JSONPatch.apply(patch, to: document) }
        #expect(error?.message.hasSuffix(#"jsonpatch remove operation does not apply: doc is missing path: "/spec/foo""#) == true)
    }

    @Test func aFailedTestDoesNotEchoTheDocument() throws {
        let document = try PatchFixture.parse(#"{"data":{"password":"hunter2"}}"#)
        let patch = try PatchFixture.parse(#"[{"op":"test","path":"/data/password","value":"guess"}]"#)
        let error = #expect(throws: APIError.self) { try JSONPatch.apply(patch, to: document) }
        #expect(error?.code == 422)
        #expect(error?.message.contains("hunter2") == false)
        #expect(error?.message.contains("guess") == false)
        #expect(error?.message.contains("/data/password") == true)
    }

    @Test func aFailingOperationAppliesNothing() throws {
        let document = try PatchFixture.parse(#"{"a":1}"#)
        let patch = try PatchFixture.parse(#"[{"op":"add","path":"/b","value":2},{"op":"remove","path":"/zzz"}]"#)
        #expect(throws: APIError.self) { try JSONPatch.apply(patch, to: document) }
        #expect(document == (try PatchFixture.parse(#"{"a":1}"#)))
    }

    /// Patches that are malformed whatever the document: 400.
    static let malformed: [String] = [
        #"{"op":"add","path":"/a","value":1}"#,
        #""add""#,
        #"[1]"#,
        #"[{"path":"/a","value":1}]"#,
        #"[{"op":7,"path":"/a"}]"#,
        #"[{"op":"frobnicate","path":"/a"}]"#,
        #"[{"op":"add","value":1}]"#,
        #"[{"op":"add","path":"/a"}]"#,
        #"[{"op":"replace","path":"/a"}]"#,
        #"[{"op":"test","path":"/a"}]"#,
        #"[{"op":"move","path":"/a"}]"#,
        #"[{"op":"copy","from":1,"path":"/a"}]"#,
        #"[{"op":"add","path":"a","value":1}]"#,
        #"[{"op":"add","path":"/a~2b","value":1}]"#,
        #"[{"op":"add","path":"/a~","value":1}]"#,
        #"[{"op":"move","from":"/a","path":"/a/b"}]"#,
        #"[{"op":"remove","path":"/a"},{"op":"bogus","path":"/a"}]"#,
    ]

    @Test("malformed patches are bad requests", arguments: malformed)
    func malformedPatch(text: String) throws {
        let document = try PatchFixture.parse(#"{"a":{"b":1}}"#)
        let patch = try PatchFixture.parse(text)
        let error = #expect(throws: APIError.self) { try JSONPatch.apply(patch, to: document) }
        #expect(error?.code == 400)
        #expect(error?.reason == "BadRequest")
    }

    @Test func emptyPatchChangesNothing() throws {
        let document = try PatchFixture.parse(#"{"a":[1,{"b":null}]}"#)
        #expect(try JSONPatch.apply(.array([]), to: document) == document)
    }
}
