import Foundation
import PalisadeAPI
import PalisadeAuth
import Hummingbird

/// Answers the review resources: `SelfSubjectReview` (who am I, `kubectl auth whoami`),
/// `SelfSubjectAccessReview` (may I, `kubectl auth can-i`), asked of the same authorizer
/// that guards every request, and `SelfSubjectRulesReview` (what may I, `kubectl auth can-i --list`).
struct ReviewHandler: Sendable {
    let authorizer: any Authorizer
    /// The RBAC rules a user holds in a namespace.
    let rules: @Sendable (UserInfo, String) async -> (resourceRules: [PolicyRule], nonResourceRules: [PolicyRule])

    static func handles(_ definition: ResourceDefinition) -> Bool {
        ServedResources.reviewKinds.contains(definition.kind)
    }

    /// - Parameter namespace: the URL's namespace, for LocalSubjectAccessReview.
    func create(
        _ definition: ResourceDefinition, namespace: String?, body: [UInt8], contentType: String?, context: GatewayRequestContext
    ) async throws(APIError) -> Response {
        guard let user = context.user else { throw .unauthorized }
        let review = try ContentNegotiation.decodeBody(body, contentType: contentType)
        if let kind = review.kind, !kind.isEmpty, kind != definition.kind {
            throw .badRequest("the kind of the object (\(kind)) does not match the kind of the resource (\(definition.kind))")
        }
        var answer: JSONValue = ["kind": .string(definition.kind), "apiVersion": .string(definition.groupVersion), "metadata": .emptyObject]
        switch definition.kind {
        case "SelfSubjectReview":
            answer["status"] = ["userInfo": Self.userInfo(user)]
        case "SelfSubjectRulesReview":
            let spec = review["spec"] ?? .emptyObject
            answer["spec"] = spec
            let held = await rules(user, spec["namespace"]?.stringValue ?? "")
            answer["status"] = [
                "resourceRules": .array(held.resourceRules.map(\.json)),
                "nonResourceRules": .array(held.nonResourceRules.map(\.json)),
                "incomplete": false,
            ]
        case "SubjectAccessReview", "LocalSubjectAccessReview":
            var spec = review["spec"] ?? .emptyObject
            if let namespace {
                spec = try Self.localized(spec, to: namespace)
            }
            answer["spec"] = spec
            answer["status"] = try await accessStatus(spec, user: try Self.subject(of: spec))
        default:
            let spec = review["spec"] ?? .emptyObject
            answer["spec"] = spec
            answer["status"] = try await accessStatus(spec, user: user)
        }
        return APIResponse.json(answer, status: .created)
    }

    private func accessStatus(_ spec: JSONValue, user: UserInfo) async throws(APIError) -> JSONValue {
        let attributes: AuthorizationAttributes
        if let resource = spec["resourceAttributes"] {
            attributes = AuthorizationAttributes(
                user: user, verb: resource["verb"]?.stringValue ?? "", isResourceRequest: true,
                apiGroup: resource["group"]?.stringValue ?? "", apiVersion: resource["version"]?.stringValue ?? "",
                resource: resource["resource"]?.stringValue ?? "", subresource: resource["subresource"]?.stringValue ?? "",
                namespace: resource["namespace"]?.stringValue ?? "", name: resource["name"]?.stringValue ?? ""
            )
        } else if let nonResource = spec["nonResourceAttributes"] {
            attributes = AuthorizationAttributes(
                user: user, verb: nonResource["verb"]?.stringValue ?? "", isResourceRequest: false,
                path: nonResource["path"]?.stringValue ?? ""
            )
        } else {
            throw .invalid(kind: "SelfSubjectAccessReview", group: "authorization.k8s.io", name: "", causes: [
                .required(FieldPath("spec", "resourceAttributes"), "exactly one of nonResourceAttributes or resourceAttributes must be specified")
            ])
        }
        switch await authorizer.authorize(attributes) {
        case .allow(let reason): return ["allowed": true, "reason": .string(reason)]
        case .deny(let reason): return ["allowed": false, "denied": true, "reason": .string(reason)]
        case .noOpinion(let reason): return ["allowed": false, "reason": .string(reason)]
        }
    }

    /// The user a SubjectAccessReview asks about.
    static func subject(of spec: JSONValue) throws(APIError) -> UserInfo {
        let name = spec["user"]?.stringValue ?? ""
        let groups = spec["groups"]?.arrayValue?.compactMap(\.stringValue) ?? []
        guard !name.isEmpty || !groups.isEmpty else {
            throw .invalid(kind: "SubjectAccessReview", group: "authorization.k8s.io", name: "", causes: [
                .required(FieldPath("spec", "user"), "at least one of user or group must be specified")
            ])
        }
        let extra = (spec["extra"]?.objectValue ?? [:]).mapValues { $0.arrayValue?.compactMap(\.stringValue) ?? [] }
        return UserInfo(name: name, uid: spec["uid"]?.stringValue ?? "", groups: groups, extra: extra)
    }

    /// A LocalSubjectAccessReview asks about its own namespace only.
    static func localized(_ spec: JSONValue, to namespace: String) throws(APIError) -> JSONValue {
        guard spec["nonResourceAttributes"] == nil else {
            throw .badRequest("a LocalSubjectAccessReview cannot ask about non-resource attributes")
        }
        var spec = spec
        let asked = spec[path: ["resourceAttributes", "namespace"]]?.stringValue ?? ""
        if asked.isEmpty {
            spec[path: ["resourceAttributes", "namespace"]] = .string(namespace)
        } else if asked != namespace {
            throw .badRequest("spec.resourceAttributes.namespace must match the namespace of the request (\(namespace))")
        }
        return spec
    }

    static func userInfo(_ user: UserInfo) -> JSONValue {
        var info: JSONValue = ["username": .string(user.name), "groups": .array(user.groups.map(JSONValue.string))]
        if !user.uid.isEmpty { info["uid"] = .string(user.uid) }
        if !user.extra.isEmpty { info["extra"] = .object(user.extra.mapValues { .array($0.map(JSONValue.string)) }) }
        return info
    }
}
