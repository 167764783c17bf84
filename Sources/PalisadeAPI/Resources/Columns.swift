import Foundation

/// Cell helpers for table columns.
enum Cells {
    static func string(_ path: String...) -> @Sendable (JSONValue, Date) -> JSONValue {
        { object, _ in .string(object[path: path]?.stringValue ?? "") }
    }

    static func int(_ path: String...) -> @Sendable (JSONValue, Date) -> JSONValue {
        { object, _ in .int(object[path: path]?.intValue ?? 0) }
    }

    static func count(_ path: String...) -> @Sendable (JSONValue, Date) -> JSONValue {
        { object, _ in
            let value = object[path: path]
            return .int(Int64(value?.objectValue?.count ?? value?.arrayValue?.count ?? 0))
        }
    }

    static func ready(_ readyPath: [String], of totalPath: [String]) -> @Sendable (JSONValue, Date) -> JSONValue {
        { object, _ in .string("\(object[path: readyPath]?.intValue ?? 0)/\(object[path: totalPath]?.intValue ?? 0)") }
    }

    static func age(_ object: JSONValue, _ now: Date) -> JSONValue {
        guard let text = object.creationTimestamp, let created = Timestamp.parse(text) else { return "<unknown>" }
        return .string(Timestamp.age(since: created, now: now))
    }

    static func containerField(_ field: String, in specPath: [String]) -> @Sendable (JSONValue, Date) -> JSONValue {
        { object, _ in
            let containers = object[path: specPath + ["containers"]]?.arrayValue ?? []
            return .string(containers.compactMap { $0[field]?.stringValue }.joined(separator: ","))
        }
    }

    static func selector(_ path: String...) -> @Sendable (JSONValue, Date) -> JSONValue {
        { object, _ in .string(((try? LabelSelector(object: object[path: path])) ?? .everything).description) }
    }
}

extension TableColumn {
    /// The NAME column every table starts with.
    public static let objectName = TableColumn(
        "Name", format: "name", description: "Name must be unique within a namespace.", cell: { object, _ in .string(object.name ?? "") }
    )
    /// The AGE column most tables end with.
    public static let age = TableColumn("Age", type: "date", description: "CreationTimestamp is the time the object was created.", cell: Cells.age)
}
