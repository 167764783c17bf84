@testable import PalisadeAPI

/// Literals for the schema and protobuf tests.
enum SchemaFixture {
    /// Bytes from hex text; spaces are ignored.
    static func hex(_ text: String) -> [UInt8] {
        let digits = Array(text.filter { !$0.isWhitespace })
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(digits[$0...$0 + 1]), radix: 16)! }
    }

    /// A JSON literal as a value, for expectations.
    static func json(_ text: String) -> JSONValue {
        try! JSONParser.parse(text)
    }
}
