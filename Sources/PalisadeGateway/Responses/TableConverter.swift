import Foundation
import PalisadeAPI

/// Renders objects as a `meta.k8s.io` Table with the columns kubectl users know.
struct TableConverter {
    enum IncludeObject: String {
        case none = "None"
        case metadata = "Metadata"
        case object = "Object"
    }

    let definition: ResourceDefinition
    let version: String
    let includeObject: IncludeObject
    let now: Date

    init(definition: ResourceDefinition, version: String, includeObject: String?, now: Date = Date()) {
        self.definition = definition
        self.version = version
        self.includeObject = includeObject.flatMap(IncludeObject.init(rawValue:)) ?? .metadata
        self.now = now
    }

    var columns: [TableColumn] {
        var columns = [TableColumn.objectName] + definition.columns
        if !columns.contains(where: { $0.name == "Age" || $0.name == "Created At" }) { columns.append(.age) }
        return columns
    }

    /// A Table of `objects`; `withHeaders` false leaves `columnDefinitions` null (later watch events).
    func table(_ objects: [JSONValue], resourceVersion: String?, continueToken: String? = nil, withHeaders: Bool = true) -> JSONValue {
        let columns = self.columns
        var metadata: [String: JSONValue] = [:]
        if let resourceVersion { metadata["resourceVersion"] = .string(resourceVersion) }
        if let continueToken { metadata["continue"] = .string(continueToken) }
        let definitions: JSONValue = withHeaders
            ? .array(columns.map { column in
                [
                    "name": .string(column.name), "type": .string(column.type), "format": .string(column.format),
                    "description": .string(column.description), "priority": .int(Int64(column.priority)),
                ]
            })
            : .null
        return [
            "kind": "Table", "apiVersion": .string("meta.k8s.io/\(version)"), "metadata": .object(metadata),
            "columnDefinitions": definitions,
            "rows": .array(objects.map { row($0, columns) }),
        ]
    }

    private func row(_ object: JSONValue, _ columns: [TableColumn]) -> JSONValue {
        var row: JSONValue = ["cells": .array(columns.map { $0.cell(object, now) })]
        switch includeObject {
        case .none: break
        case .object: row["object"] = object
        case .metadata:
            row["object"] = ["kind": "PartialObjectMetadata", "apiVersion": .string("meta.k8s.io/\(version)"), "metadata": object.metadata]
        }
        return row
    }
}
