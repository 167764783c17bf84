import PalisadeAPI

/// The JSON the server answers status and rotation requests with, and the CLI reads back.
extension EncryptionStatus {
    public var json: JSONValue {
        .object(["rules": .array(rules.map { rule in
            .object([
                "resources": .array(rule.resources.map(JSONValue.string)),
                "writer": .string(rule.writer),
                "objects": .array(rule.objects.map { .object(["key": .string($0.key), "count": .int(Int64($0.count))]) }),
            ])
        })])
    }

    public init(json: JSONValue) throws(EncryptionConfigError) {
        guard let rules = json["rules"]?.arrayValue else { throw EncryptionConfigError("malformed status: no rules") }
        var parsed: [Rule] = []
        for rule in rules {
            guard let resources = rule["resources"]?.arrayValue?.compactMap(\.stringValue), let writer = rule["writer"]?.stringValue,
                  let objects = rule["objects"]?.arrayValue
            else { throw EncryptionConfigError("malformed status rule") }
            parsed.append(Rule(resources: resources, writer: writer, objects: objects.compactMap { entry in
                guard let key = entry["key"]?.stringValue, let count = entry["count"]?.intValue else { return nil }
                return (key, Int(count))
            }))
        }
        self.rules = parsed
    }
}

extension KeyRotation.Report {
    public var json: JSONValue {
        .object([
            "newKeys": .array(newKeys.map(JSONValue.string)),
            "retiredKeys": .array(retiredKeys.map(JSONValue.string)),
            "rewritten": .int(Int64(rewritten)),
            "status": status.json,
        ])
    }

    public init(json: JSONValue) throws(EncryptionConfigError) {
        guard let newKeys = json["newKeys"]?.arrayValue?.compactMap(\.stringValue),
              let retiredKeys = json["retiredKeys"]?.arrayValue?.compactMap(\.stringValue),
              let rewritten = json["rewritten"]?.intValue, let status = json["status"]
        else { throw EncryptionConfigError("malformed rotation report") }
        self.init(newKeys: newKeys, retiredKeys: retiredKeys, rewritten: Int(rewritten), status: try EncryptionStatus(json: status))
    }
}
