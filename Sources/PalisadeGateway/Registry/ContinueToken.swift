import Foundation
import PalisadeAPI

/// The opaque `continue` of a paged list: the revision of the first page and the last key
/// returned, so every page is read from the same snapshot.
struct ContinueToken: Equatable {
    var revision: Int64
    var startAfter: String

    var encoded: String {
        let json: JSONValue = ["v": 1, "rv": .int(revision), "start": .string(startAfter)]
        return Data(JSONSerializer.bytes(json)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    init(revision: Int64, startAfter: String) {
        self.revision = revision
        self.startAfter = startAfter
    }

    init(decoding text: String, prefix: String) throws(APIError) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let json = try? JSONParser.parse(Array(data)),
            json["v"]?.intValue == 1, let revision = json["rv"]?.intValue, let start = json["start"]?.stringValue,
            start.hasPrefix(prefix)
        else {
            throw .badRequest("continue key is not valid")
        }
        self.revision = revision
        self.startAfter = start
    }
}
