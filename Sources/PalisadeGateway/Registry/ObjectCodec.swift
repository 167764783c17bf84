import PalisadeAPI
import PalisadeStore

/// Objects in the store are their JSON without `resourceVersion`: the revision of the
/// stored version is the resource version, set when the object is read back.
enum ObjectCodec {
    static func encode(_ object: JSONValue) -> [UInt8] {
        var stored = object
        stored.resourceVersion = nil
        return JSONSerializer.bytes(stored)
    }

    static func decode(_ kv: KeyValue) throws(APIError) -> JSONValue {
        do {
            var object = try JSONParser.parse(kv.value)
            object.resourceVersion = String(kv.modRevision)
            return object
        } catch {
            // Stored data that does not parse is an internal fault, never the client's.
            throw APIError(code: 500, reason: "InternalError", message: "stored object at \(kv.key) is unreadable")
        }
    }
}
