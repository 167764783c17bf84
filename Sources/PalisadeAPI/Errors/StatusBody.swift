/// `metav1.Status` objects, the body of every error and of some successes.
public enum StatusBody {
    public static func failure(_ error: APIError) -> JSONValue {
        var details: [String: JSONValue] = [:]
        if let name = error.name { details["name"] = .string(name) }
        if let group = error.group, !group.isEmpty { details["group"] = .string(group) }
        if let kind = error.kind { details["kind"] = .string(kind) }
        if !error.causes.isEmpty {
            details["causes"] = .array(error.causes.map { cause in
                ["reason": .string(cause.reason), "message": .string(cause.message), "field": .string(cause.field)]
            })
        }
        if let retry = error.retryAfterSeconds { details["retryAfterSeconds"] = .int(Int64(retry)) }
        var status: JSONValue = [
            "kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Failure",
            "message": .string(error.message), "reason": .string(error.reason), "code": .int(Int64(error.code)),
        ]
        if !details.isEmpty { status["details"] = .object(details) }
        return status
    }

    public static func success(name: String? = nil, group: String? = nil, kind: String? = nil, uid: String? = nil) -> JSONValue {
        var details: [String: JSONValue] = [:]
        if let name { details["name"] = .string(name) }
        if let group, !group.isEmpty { details["group"] = .string(group) }
        if let kind { details["kind"] = .string(kind) }
        if let uid { details["uid"] = .string(uid) }
        return ["kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Success", "details": .object(details)]
    }
}
