import PalisadeAPI
import Testing

/// JSON literals for the patch tests, written as JSON text so they read like the RFC examples.
enum PatchFixture {
    static func parse(_ text: String) throws -> JSONValue {
        try JSONParser.parse(text)
    }
}

/// One table row: a document, a patch, and the expected result (`nil` when the patch must fail).
struct PatchExample: Sendable, CustomTestStringConvertible {
    let name: String
    let original: String
    let patch: String
    let expected: String?

    init(_ name: String, original: String, patch: String, expected: String?) {
        self.name = name
        self.original = original
        self.patch = patch
        self.expected = expected
    }

    var testDescription: String { name }
}
