/// The one error type of the API machinery; the gateway turns it into a `metav1.Status`.
///
/// The message is shown to clients: build it from names and paths, never from object
/// contents (a Secret's data must not leak through an error).
public struct APIError: Error, Sendable, Equatable {
    /// One problem with one field (`details.causes[]` in a Status).
    public struct Cause: Sendable, Equatable {
        /// `FieldValueRequired`, `FieldValueInvalid`, `FieldValueNotSupported`, `FieldValueDuplicate`,
        /// `FieldValueForbidden`, `FieldValueTooLong`, `FieldValueTypeInvalid`, `FieldValueUnknown`.
        public var reason: String
        public var message: String
        public var field: String

        public init(reason: String, message: String, field: String) {
            self.reason = reason
            self.message = message
            self.field = field
        }

        /// The message with its field in front, as Status messages list causes.
        public var fieldMessage: String { field.isEmpty ? message : "\(field): \(message)" }

        public static func required(_ path: FieldPath, _ detail: String = "Required value") -> Cause {
            Cause(reason: "FieldValueRequired", message: detail, field: path.description)
        }

        /// An invalid value. `value` is echoed into the message, so never pass secret material.
        public static func invalid(_ path: FieldPath, value: String?, _ detail: String) -> Cause {
            let shown = value.map { ": \"\($0)\"" } ?? ""
            return Cause(reason: "FieldValueInvalid", message: "Invalid value\(shown): \(detail)", field: path.description)
        }

        public static func notSupported(_ path: FieldPath, value: String, supported: [String]) -> Cause {
            let list = supported.map { "\"\($0)\"" }.joined(separator: ", ")
            return Cause(
                reason: "FieldValueNotSupported",
                message: "Unsupported value: \"\(value)\": supported values: \(list)",
                field: path.description
            )
        }

        public static func forbidden(_ path: FieldPath, _ detail: String) -> Cause {
            Cause(reason: "FieldValueForbidden", message: "Forbidden: \(detail)", field: path.description)
        }

        public static func duplicate(_ path: FieldPath, value: String) -> Cause {
            Cause(reason: "FieldValueDuplicate", message: "Duplicate value: \"\(value)\"", field: path.description)
        }

        public static func tooLong(_ path: FieldPath, max: Int) -> Cause {
            Cause(reason: "FieldValueTooLong", message: "Too long: may not be more than \(max) bytes", field: path.description)
        }

        public static func typeInvalid(_ path: FieldPath, expected: String, got: String) -> Cause {
            Cause(
                reason: "FieldValueTypeInvalid",
                message: "Invalid value: expected \(expected), got \(got)",
                field: path.description
            )
        }

        public static func unknownField(_ path: FieldPath) -> Cause {
            Cause(reason: "FieldValueUnknown", message: "unknown field \"\(path)\"", field: path.description)
        }
    }

    /// HTTP status code.
    public var code: Int
    /// The Status `reason` (`NotFound`, `AlreadyExists`, `Conflict`, `Invalid`, ...).
    public var reason: String
    public var message: String
    /// `details.name`, `details.group`, `details.kind`.
    public var name: String?
    public var group: String?
    public var kind: String?
    public var causes: [Cause]
    /// Seconds after which a client may retry (`details.retryAfterSeconds`).
    public var retryAfterSeconds: Int?

    public init(
        code: Int,
        reason: String,
        message: String,
        name: String? = nil,
        group: String? = nil,
        kind: String? = nil,
        causes: [Cause] = [],
        retryAfterSeconds: Int? = nil
    ) {
        self.code = code
        self.reason = reason
        self.message = message
        self.name = name
        self.group = group
        self.kind = kind
        self.causes = causes
        self.retryAfterSeconds = retryAfterSeconds
    }
}

extension APIError {
    /// `resource` is the plural resource with its group, as Kubernetes prints it (`deployments.apps`).
    public static func notFound(resource: String, group: String = "", name: String) -> APIError {
        let qualified = group.isEmpty ? resource : "\(resource).\(group)"
        return APIError(code: 404, reason: "NotFound", message: "\(qualified) \"\(name)\" not found", name: name, group: group, kind: resource)
    }

    public static func alreadyExists(resource: String, group: String = "", name: String) -> APIError {
        let qualified = group.isEmpty ? resource : "\(resource).\(group)"
        return APIError(
            code: 409, reason: "AlreadyExists", message: "\(qualified) \"\(name)\" already exists",
            name: name, group: group, kind: resource
        )
    }

    public static func conflict(resource: String, group: String = "", name: String, _ detail: String) -> APIError {
        let qualified = group.isEmpty ? resource : "\(resource).\(group)"
        return APIError(
            code: 409, reason: "Conflict",
            message: "Operation cannot be fulfilled on \(qualified) \"\(name)\": \(detail)",
            name: name, group: group, kind: resource
        )
    }

    /// 422 with one cause per field. `kind` is the object's kind (`Pod`), as kubectl prints it.
    public static func invalid(kind: String, group: String = "", name: String, causes: [Cause]) -> APIError {
        let qualified = group.isEmpty ? kind : "\(kind).\(group)"
        let list = causes.map(\.fieldMessage).joined(separator: ", ")
        let summary = causes.count == 1 ? list : "[\(list)]"
        return APIError(
            code: 422, reason: "Invalid", message: "\(qualified) \"\(name)\" is invalid: \(summary)",
            name: name, group: group, kind: kind, causes: causes
        )
    }

    public static func badRequest(_ message: String, causes: [Cause] = []) -> APIError {
        APIError(code: 400, reason: "BadRequest", message: message, causes: causes)
    }

    public static func forbidden(_ message: String, name: String? = nil, group: String? = nil, kind: String? = nil) -> APIError {
        APIError(code: 403, reason: "Forbidden", message: message, name: name, group: group, kind: kind)
    }

    public static let unauthorized = APIError(code: 401, reason: "Unauthorized", message: "Unauthorized")

    public static func methodNotAllowed(_ message: String) -> APIError {
        APIError(code: 405, reason: "MethodNotAllowed", message: message)
    }

    public static func notAcceptable(_ message: String) -> APIError {
        APIError(code: 406, reason: "NotAcceptable", message: message)
    }

    public static func gone(_ message: String) -> APIError {
        APIError(code: 410, reason: "Expired", message: message)
    }

    public static func requestEntityTooLarge(limit: Int) -> APIError {
        APIError(code: 413, reason: "RequestEntityTooLarge", message: "the request body exceeds the limit of \(limit) bytes")
    }

    public static func unsupportedMediaType(_ contentType: String, supported: [String]) -> APIError {
        APIError(
            code: 415, reason: "UnsupportedMediaType",
            message: "the body of the request was in an unknown format - accepted media types include: \(supported.joined(separator: ", "))"
        )
    }

    /// A generic resource-less 404, for paths the server does not serve.
    public static let pathNotFound = APIError(code: 404, reason: "NotFound", message: "the server could not find the requested resource")

    /// An internal failure; the text is generic on purpose, details go to the server log with the request ID.
    public static func internalError(requestID: String) -> APIError {
        APIError(code: 500, reason: "InternalError", message: "an internal error occurred (request \(requestID))")
    }

    /// A stored object that cannot be read back (it does not decrypt, its key is missing).
    /// The detail names the object and the key, which the operator needs to act; it never
    /// carries stored bytes.
    public static func storedObjectUnreadable(_ detail: String) -> APIError {
        APIError(code: 500, reason: "InternalError", message: "Internal error occurred: \(detail)")
    }

    public static func serviceUnavailable(_ message: String, retryAfterSeconds: Int = 1) -> APIError {
        APIError(code: 503, reason: "ServiceUnavailable", message: message, retryAfterSeconds: retryAfterSeconds)
    }
}
