import Foundation
import Yams

/// YAML request bodies (`application/yaml`, `application/apply-patch+yaml`) as ``JSONValue``.
public enum YAMLDecoding {
    public static func parse(_ bytes: [UInt8]) throws(APIError) -> JSONValue {
        let text = String(decoding: bytes, as: UTF8.self)
        let loaded: Any?
        do {
            loaded = try Yams.load(yaml: text)
        } catch let error as YamlError {
            throw .badRequest("error converting YAML to JSON: \(Self.position(of: error))")
        } catch {
            throw .badRequest("error converting YAML to JSON")
        }
        guard let loaded else { return .null }
        return try convert(loaded)
    }

    /// Every document of a multi-document stream (`---` separated); empty documents are skipped.
    public static func parseAll(_ text: String) throws(APIError) -> [JSONValue] {
        var documents: [JSONValue] = []
        do {
            for document in try Yams.load_all(yaml: text) {
                let value = try convert(document)
                if !value.isNull { documents.append(value) }
            }
        } catch let error as APIError {
            throw error
        } catch let error as YamlError {
            throw .badRequest("error converting YAML to JSON: \(Self.position(of: error))")
        } catch {
            throw .badRequest("error converting YAML to JSON")
        }
        return documents
    }

    /// The location of a YAML error, without echoing the document.
    private static func position(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            return "line \(mark.line), column \(mark.column): \(problem)"
        default:
            return "the document is not valid YAML"
        }
    }

    private static func convert(_ value: Any) throws(APIError) -> JSONValue {
        switch value {
        case is NSNull: return .null
        case let bool as Bool: return .bool(bool)
        case let int as Int: return .int(Int64(int))
        case let double as Double: return double.isFinite ? .double(double) : .null
        case let string as String: return .string(string)
        case let date as Date: return .string(Timestamp.format(date))
        case let data as Data: return .string(data.base64EncodedString())
        case let array as [Any]:
            var elements: [JSONValue] = []
            for element in array { elements.append(try convert(element)) }
            return .array(elements)
        case let map as [AnyHashable: Any]:
            var members: [String: JSONValue] = [:]
            for (key, element) in map {
                guard let name = key.base as? String ?? (key.base as? any CustomStringConvertible)?.description else {
                    throw .badRequest("error converting YAML to JSON: map keys must be strings")
                }
                members[name] = try convert(element)
            }
            return .object(members)
        default:
            throw .badRequest("error converting YAML to JSON: unsupported value")
        }
    }
}
