import Foundation
import Hummingbird
import PalisadeAPI

extension ResourceHandler {
    func handleSubresource(
        _ subresource: Subresource, _ target: Target, _ request: Request, _ query: QueryParameters, _ info: RequestInfo
    ) async throws(APIError) -> Response {
        switch (subresource, info.verb) {
        case (.status, "get"), (.approval, "get"): return try await get(target, request, query)
        case (.status, "update"), (.approval, "update"), (.finalize, "update"): return try await update(target, request, query)
        case (.status, "patch"), (.approval, "patch"): return try await patch(target, request, query)
        case (.scale, "get"): return try await getScale(target)
        case (.scale, "update"), (.scale, "patch"): return try await writeScale(target, request, query, isPatch: info.verb == "patch")
        case (.binding, "create"): return try await bind(target, request, query)
        case (.log, "get"): return try await log(target, query)
        default: throw .methodNotAllowed("the server does not allow this method on the requested resource")
        }
    }

    // MARK: scale

    private func getScale(_ target: Target) async throws(APIError) -> Response {
        let object = try await registry.get(target.definition, namespace: target.namespace, name: target.name)
        return APIResponse.json(try scale(of: object, target.definition))
    }

    /// The `autoscaling/v1` Scale view of a scalable object.
    private func scale(of object: JSONValue, _ definition: ResourceDefinition) throws(APIError) -> JSONValue {
        guard let mapping = definition.scale else { throw .pathNotFound }
        var metadata: [String: JSONValue] = [:]
        for field in ["name", "namespace", "uid", "resourceVersion", "creationTimestamp"] { metadata[field] = object.metadata[field] }
        return [
            "kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": .object(metadata),
            "spec": ["replicas": .int(object[path: mapping.specReplicas]?.intValue ?? 0)],
            "status": ["replicas": .int(object[path: mapping.statusReplicas]?.intValue ?? 0), "selector": .string(mapping.selector(object))],
        ]
    }

    /// PUT or PATCH of the Scale: changes only the replica count of the object behind it.
    private func writeScale(_ target: Target, _ request: Request, _ query: QueryParameters, isPatch: Bool) async throws(APIError) -> Response {
        let bytes = try await body(of: request)
        let definition = target.definition
        guard let mapping = definition.scale else { throw .pathNotFound }
        let scaleTransform: @Sendable (JSONValue) throws(APIError) -> JSONValue
        if isPatch {
            scaleTransform = try patchTransform(request, schema: KindSchemas.schema(group: "autoscaling", version: "v1", kind: "Scale"), body: bytes)
        } else {
            let replacement = try ContentNegotiation.decodeBody(bytes, contentType: request.headers[.contentType])
            scaleTransform = { _ in replacement }
        }
        let handler = self
        let result = try await registry.patch(
            definition, namespace: target.namespace, name: target.name, subresource: nil, options: try writeOptions(query, target)
        ) { object throws(APIError) in
            let current = try handler.scale(of: object, definition)
            let desired = try scaleTransform(current)
            if let version = desired.resourceVersion, !version.isEmpty, version != object.resourceVersion {
                throw .conflict(resource: definition.plural, group: definition.group, name: object.name ?? "", "the object has been modified; please apply your changes to the latest version and try again")
            }
            guard let replicas = desired[path: ["spec", "replicas"]]?.intValue, replicas >= 0 else {
                throw .invalid(kind: "Scale", group: "autoscaling", name: object.name ?? "", causes: [
                    .invalid(FieldPath("spec", "replicas"), value: desired[path: ["spec", "replicas"]]?.description, "must be greater than or equal to 0")
                ])
            }
            var updated = object
            updated[path: mapping.specReplicas] = .int(replicas)
            return updated
        }
        return APIResponse.json(try scale(of: result.object, definition))
    }

    // MARK: binding

    /// Assigns a pod to a node (what the scheduler does); a pod is bound once.
    private func bind(_ target: Target, _ request: Request, _ query: QueryParameters) async throws(APIError) -> Response {
        let binding = try ContentNegotiation.decodeBody(try await body(of: request), contentType: request.headers[.contentType])
        guard let node = binding[path: ["target", "name"]]?.stringValue, !node.isEmpty else {
            throw .invalid(kind: "Binding", name: target.name, causes: [.required(FieldPath("target", "name"))])
        }
        let name = target.name
        _ = try await registry.patch(target.definition, namespace: target.namespace, name: name, subresource: .binding, options: try writeOptions(query, target)) { pod throws(APIError) in
            if let current = pod[path: ["spec", "nodeName"]]?.stringValue, !current.isEmpty {
                throw .conflict(resource: "pods", name: name, "pod \(name) is already assigned to node \"\(current)\"")
            }
            if pod.deletionTimestamp != nil {
                throw .conflict(resource: "pods", name: name, "pod \(name) is being deleted, cannot be assigned to a host")
            }
            var bound = pod
            bound[path: ["spec", "nodeName"]] = .string(node)
            // As Kubernetes' binding does: the pod's PodScheduled condition turns True.
            var conditions = (pod[path: ["status", "conditions"]]?.arrayValue ?? []).filter { $0["type"]?.stringValue != "PodScheduled" }
            conditions.append(["type": "PodScheduled", "status": "True", "lastTransitionTime": .string(Timestamp.format(Date())), "lastProbeTime": .null])
            bound[path: ["status", "conditions"]] = .array(conditions)
            return bound
        }
        return APIResponse.json(StatusBody.success(), status: .created)
    }

    // MARK: log

    /// Logs come from the node a pod runs on; until a node agent serves them, say so plainly.
    /// `pods/log`: the container's output, from the agent of the pod's node.
    private func log(_ target: Target, _ query: QueryParameters) async throws(APIError) -> Response {
        let pod = try await registry.get(target.definition, namespace: target.namespace, name: target.name)
        let containers = ((pod[path: ["spec", "initContainers"]]?.arrayValue ?? []) + (pod[path: ["spec", "containers"]]?.arrayValue ?? []))
            .compactMap { $0["name"]?.stringValue }
        let appContainers = (pod[path: ["spec", "containers"]]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        guard let container = query["container"] ?? (appContainers.count == 1 ? appContainers.first : nil) else {
            throw .badRequest("a container name must be specified for pod \(target.name), choose one of: [\(appContainers.joined(separator: " "))]")
        }
        guard containers.contains(container) else {
            throw .badRequest("container \(container) is not valid for pod \(target.name)")
        }
        guard let nodeName = pod[path: ["spec", "nodeName"]]?.stringValue, !nodeName.isEmpty else {
            throw .badRequest("container \"\(container)\" in pod \"\(target.name)\" is waiting to start: the pod is not scheduled to a node")
        }
        let node = try await registry.get(ServedResources.lookup(group: "", version: "v1", resource: "nodes")!, namespace: nil, name: nodeName)
        return try await PodLogStream.open(
            nodes.connection(to: node), namespace: target.namespace ?? "", pod: target.name, container: container, query: query
        )
    }
}
