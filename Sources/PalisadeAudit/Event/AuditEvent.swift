import Foundation
import PalisadeAPI

/// One `audit.k8s.io/v1` Event: a stage of one request, as it is written to the log.
public struct AuditEvent: Sendable {
    public struct User: Sendable, Equatable {
        public var username: String
        public var groups: [String]

        public init(username: String, groups: [String]) {
            self.username = username
            self.groups = groups
        }

        var json: JSONValue {
            var object: [String: JSONValue] = ["username": .string(username)]
            if !groups.isEmpty { object["groups"] = .array(groups.map(JSONValue.string)) }
            return .object(object)
        }
    }

    /// The object a resource request is about (absent for non-resource requests).
    public struct ObjectReference: Sendable, Equatable {
        public var resource: String
        public var namespace: String
        public var name: String
        public var apiGroup: String
        public var apiVersion: String
        public var subresource: String

        public init(resource: String, namespace: String, name: String, apiGroup: String, apiVersion: String, subresource: String) {
            self.resource = resource
            self.namespace = namespace
            self.name = name
            self.apiGroup = apiGroup
            self.apiVersion = apiVersion
            self.subresource = subresource
        }

        var json: JSONValue {
            var object: [String: JSONValue] = ["resource": .string(resource), "apiVersion": .string(apiVersion)]
            for (key, value) in [("namespace", namespace), ("name", name), ("apiGroup", apiGroup), ("subresource", subresource)] where !value.isEmpty {
                object[key] = .string(value)
            }
            return .object(object)
        }
    }

    public var level: AuditLevel
    public var auditID: String
    public var stage: AuditStage
    public var requestURI: String
    public var verb: String
    public var user: User
    public var impersonatedUser: User?
    public var sourceIPs: [String]
    public var userAgent: String?
    public var objectRef: ObjectReference?
    /// A metav1.Status: on success only `code` (and `status`), on failure also reason and message.
    public var responseStatus: JSONValue?
    /// Bodies, already redacted; kept only at the levels that record them.
    public var requestObject: JSONValue?
    public var responseObject: JSONValue?
    public var requestReceivedTimestamp: Date
    public var stageTimestamp: Date
    public var annotations: [String: String]

    public init(
        level: AuditLevel, auditID: String, stage: AuditStage, requestURI: String, verb: String, user: User,
        sourceIPs: [String], requestReceivedTimestamp: Date
    ) {
        self.level = level
        self.auditID = auditID
        self.stage = stage
        self.requestURI = requestURI
        self.verb = verb
        self.user = user
        self.sourceIPs = sourceIPs
        self.requestReceivedTimestamp = requestReceivedTimestamp
        stageTimestamp = requestReceivedTimestamp
        annotations = [:]
    }
}
