import Foundation
import Testing

@testable import PalisadeAPI

@Suite struct JSONParserTests {
    @Test func keepsIntegersApartFromDoubles() throws {
        let value = try JSONParser.parse(#"{"a":1,"b":1.5,"c":-0,"d":1e3,"e":"x\u00e9\n","f":[true,false,null]}"#)
        #expect(value["a"] == .int(1))
        #expect(value["b"] == .double(1.5))
        #expect(value["d"] == .double(1000))
        #expect(value["e"] == .string("xé\n"))
        #expect(value["f"] == [true, false, .null])
    }

    @Test func roundTripsWithSortedKeys() throws {
        let text = #"{"b":[1,{"d":"\"q\"","c":null}],"a":2.25}"#
        #expect(JSONSerializer.string(try JSONParser.parse(text)) == #"{"a":2.25,"b":[1,{"c":null,"d":"\"q\""}]}"#)
    }

    @Test func escapesWhatJSONRequiresAndCopiesTheRest() throws {
        let value = JSONValue.string("plain \"quoted\" back\\slash\nline\ttab\r\u{01}é✓ end")
        let text = JSONSerializer.string(value)
        #expect(text == #""plain \"quoted\" back\\slash\nline\ttab\r\u0001é✓ end""#)
        #expect(try JSONParser.parse(text) == value)
        #expect(JSONSerializer.string("") == #""""#)
    }

    @Test func timestampsAreZeroPadded() {
        let date = Date(timeIntervalSince1970: 1_000_000_000.000042)
        #expect(Timestamp.format(date) == "2001-09-09T01:46:40Z")
        #expect(Timestamp.formatMicro(date) == "2001-09-09T01:46:40.000042Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
    }

    @Test(arguments: ["{", "[1,]", "{\"a\" 1}", "tru", "\"\\x\"", "01", "1.", "{} x", "\"\u{01}\""])
    func refusesMalformedDocuments(text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(text) }
    }

    @Test func namesTheLineAndColumnOfAnError() {
        #expect(throws: JSONSyntaxError(message: "expected ',' or '}' in object", line: 2, column: 9)) {
            try JSONParser.parse("{\"a\": 1,\n \"b\": 2 \"c\": 3}")
        }
    }

    @Test func refusesNestingBeyondTheLimit() {
        let deep = String(repeating: "[", count: JSONParser.maximumDepth + 1) + String(repeating: "]", count: JSONParser.maximumDepth + 1)
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(deep) }
    }
}
