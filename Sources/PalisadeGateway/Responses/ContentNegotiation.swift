import Foundation
import PalisadeAPI

/// What representation a client asked for in `Accept`.
enum ResponseFormat: Equatable {
    case json
    /// `meta.k8s.io` Table in this version (`v1` or `v1beta1`).
    case table(version: String)
}

enum ContentNegotiation {
    /// Reads `Accept`; Table is served when asked for, JSON otherwise. Clients that accept
    /// nothing JSON-like get 406 (kubectl and the Python client always accept JSON).
    static func responseFormat(accept: String?) throws(APIError) -> ResponseFormat {
        guard let accept, !accept.isEmpty else { return .json }
        var acceptsJSON = false
        for range in accept.split(separator: ",") {
            let parameters = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            let mediaType = parameters.first?.lowercased() ?? ""
            var values: [String: String] = [:]
            for parameter in parameters.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map(String.init)
                if pair.count == 2 { values[pair[0]] = pair[1] }
            }
            if mediaType == "application/json", values["as"] == "Table", values["g"] == "meta.k8s.io",
                let version = values["v"], version == "v1" || version == "v1beta1"
            {
                return .table(version: version)
            }
            if ["application/json", "application/*", "*/*", "application/yaml"].contains(mediaType) && values["as"] == nil {
                acceptsJSON = true
            }
        }
        if !acceptsJSON { throw .notAcceptable("only the following media types are accepted: application/json, application/json;as=Table;v=v1;g=meta.k8s.io") }
        return .json
    }

    /// The media types a request body may have, with the decoder of each.
    static let bodyTypes = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"]

    /// Decodes a create or update body. A missing Content-Type means JSON (the Python client sends none).
    static func decodeBody(_ bytes: [UInt8], contentType: String?) throws(APIError) -> JSONValue {
        let mediaType = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? "application/json"
        switch mediaType {
        case "", "application/json": return try parseJSON(bytes)
        case "application/yaml": return try YAMLDecoding.parse(bytes)
        case "application/vnd.kubernetes.protobuf": return try KubernetesProtobuf.decode(bytes)
        default: throw .unsupportedMediaType(mediaType, supported: bodyTypes)
        }
    }

    static func parseJSON(_ bytes: [UInt8]) throws(APIError) -> JSONValue {
        do {
            return try JSONParser.parse(bytes)
        } catch {
            throw .badRequest("the request body is not valid JSON: \(error)")
        }
    }
}
