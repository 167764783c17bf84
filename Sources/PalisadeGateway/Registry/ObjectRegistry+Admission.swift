import Foundation
import PalisadeAPI

extension ObjectRegistry {
    /// Applies the schema to a body: unknown fields are refused, reported or dropped as
    /// `fieldValidation` asks (never stored), and values of the wrong type are refused.
    func conformToSchema(
        _ object: JSONValue, _ definition: ResourceDefinition, _ options: WriteOptions
    ) throws(APIError) -> (object: JSONValue, warnings: [String]) {
        guard let schema = definition.schema else { return (object, []) }
        let typeErrors = SchemaValidator.typeErrors(in: object, schema: schema)
        if !typeErrors.isEmpty {
            throw APIError(
                code: 400, reason: "BadRequest",
                message: "\(definition.kind) in version \"\(definition.version)\" cannot be handled as a \(definition.kind): \(typeErrors.map(\.fieldMessage).joined(separator: ", "))",
                causes: typeErrors
            )
        }
        let unknown = SchemaValidator.unknownFields(in: object, schema: schema)
        var warnings: [String] = []
        if !unknown.isEmpty {
            let messages = unknown.map { "unknown field \"\($0)\"" }
            switch options.fieldValidation {
            case .strict:
                throw APIError(
                    code: 400, reason: "BadRequest", message: "strict decoding error: \(messages.joined(separator: ", "))",
                    causes: unknown.map { .unknownField($0) }
                )
            case .warn: warnings = messages
            case .ignore: break
            }
        }
        return (SchemaPruner.prune(object, schema: schema), warnings)
    }

    /// Defaults, then validates metadata and the kind's own rules; 422 with every cause found.
    func defaultAndValidate(_ object: inout JSONValue, _ definition: ResourceDefinition, old: JSONValue?) throws(APIError) {
        definition.applyDefaults(&object)
        var causes = MetadataRules.validate(object, nameRule: definition.nameRule, namespaced: definition.namespaced)
        causes += definition.validate(object)
        if let old { causes += definition.validateUpdate(object, old) }
        guard causes.isEmpty else {
            throw .invalid(kind: definition.kind, group: definition.group, name: object.name ?? object.generateName ?? "", causes: causes)
        }
    }

    /// Checks `apiVersion`/`kind` of a body against the resource it was sent to, filling them when absent.
    func checkType(_ object: inout JSONValue, _ definition: ResourceDefinition) throws(APIError) {
        guard object.objectValue != nil else { throw .badRequest("the request body must be a JSON object") }
        if let kind = object.kind, !kind.isEmpty, kind != definition.kind {
            throw .badRequest("the kind of the object (\(kind)) does not match the kind of the resource (\(definition.kind))")
        }
        if let apiVersion = object.apiVersion, !apiVersion.isEmpty, apiVersion != definition.groupVersion {
            throw .badRequest("the API version of the object (\(apiVersion)) does not match the resource's (\(definition.groupVersion))")
        }
        object.kind = definition.kind
        object.apiVersion = definition.groupVersion
    }

    /// Everything but metadata and status: what `metadata.generation` counts changes of.
    static func specContent(_ object: JSONValue) -> JSONValue {
        var content = object
        for field in ["metadata", "status", "apiVersion", "kind"] { content[field] = nil }
        return content
    }
}
