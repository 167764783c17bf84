import Foundation
import Hummingbird
import PalisadeAPI

/// API discovery: aggregated (`apidiscovery.k8s.io/v2`, what kubectl 1.32 asks for first)
/// and the legacy documents (`APIVersions`, `APIGroupList`, `APIResourceList`).
struct DiscoveryHandler: Sendable {
    static let aggregatedContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"

    /// Answers `/api`, `/apis`, `/api/v1`, `/apis/<g>` and `/apis/<g>/<v>`; nil for other paths.
    func respond(path: String, accept: String?) -> Response? {
        let parts = path.split(separator: "/").map(String.init)
        let aggregated = Self.wantsAggregated(accept)
        switch parts.count {
        case 1 where parts[0] == "api":
            return aggregated ? aggregatedList(groups: [""]) : APIResponse.json([
                "kind": "APIVersions", "versions": ["v1"],
                "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": ""]],
            ])
        case 1 where parts[0] == "apis":
            let groups = ServedResources.groups.map(\.name).filter { !$0.isEmpty }
            return aggregated ? aggregatedList(groups: groups) : APIResponse.json([
                "kind": "APIGroupList", "apiVersion": "v1", "groups": .array(groups.map(Self.groupObject)),
            ])
        case 2 where parts[0] == "api" && parts[1] == "v1":
            return APIResponse.json(resourceList(group: "", version: "v1"))
        case 2 where parts[0] == "apis" && ServedResources.groups.contains { $0.name == parts[1] }:
            return APIResponse.json(Self.groupObject(parts[1]).merging(["kind": "APIGroup", "apiVersion": "v1"]))
        case 3 where parts[0] == "apis" && ServedResources.groups.contains { $0.name == parts[1] && $0.versions.contains(parts[2]) }:
            return APIResponse.json(resourceList(group: parts[1], version: parts[2]))
        default:
            return nil
        }
    }

    static func wantsAggregated(_ accept: String?) -> Bool {
        guard let accept else { return false }
        return accept.split(separator: ",").contains { range in
            let parameters = Set(range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) })
            return parameters.contains("g=apidiscovery.k8s.io") && parameters.contains("as=APIGroupDiscoveryList")
                && (parameters.contains("v=v2") || parameters.contains("v=v2beta1"))
        }
    }

    private static func groupObject(_ group: String) -> JSONValue {
        let versions = ServedResources.groups.first { $0.name == group }?.versions ?? []
        let entries: [JSONValue] = versions.map { ["groupVersion": .string("\(group)/\($0)"), "version": .string($0)] }
        return ["name": .string(group), "versions": .array(entries), "preferredVersion": entries.first ?? .null]
    }

    private func aggregatedList(groups: [String]) -> Response {
        let items: [JSONValue] = groups.map { group in
            let versions = ServedResources.groups.first { $0.name == group }?.versions ?? []
            return [
                "metadata": ["name": .string(group)],
                "versions": .array(versions.map { version in
                    [
                        "version": .string(version), "freshness": "Current",
                        "resources": .array(Self.definitions(group, version).map(Self.aggregatedResource)),
                    ]
                }),
            ]
        }
        return APIResponse.json(
            ["kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/v2", "metadata": .emptyObject, "items": .array(items)],
            contentType: Self.aggregatedContentType
        )
    }

    private static func definitions(_ group: String, _ version: String) -> [ResourceDefinition] {
        ServedResources.all.filter { $0.group == group && $0.version == version }
    }

    private static func kindReference(_ group: String, _ version: String, _ kind: String) -> JSONValue {
        ["group": .string(group), "version": .string(version), "kind": .string(kind)]
    }

    /// A subresource's response kind and verbs.
    private static func subresourceShape(_ subresource: Subresource, of definition: ResourceDefinition) -> (kind: JSONValue, verbs: [String]) {
        switch subresource {
        case .status: return (kindReference(definition.group, definition.version, definition.kind), ["get", "patch", "update"])
        case .scale: return (kindReference("autoscaling", "v1", "Scale"), ["get", "patch", "update"])
        case .binding: return (kindReference("", "v1", "Binding"), ["create"])
        case .log: return (kindReference("", "v1", "Pod"), ["get"])
        case .approval: return (kindReference(definition.group, definition.version, definition.kind), ["get", "patch", "update"])
        case .finalize: return (kindReference(definition.group, definition.version, definition.kind), ["update"])
        }
    }

    private static func aggregatedResource(_ definition: ResourceDefinition) -> JSONValue {
        var resource: JSONValue = [
            "resource": .string(definition.plural),
            "responseKind": kindReference(definition.group, definition.version, definition.kind),
            "scope": definition.namespaced ? "Namespaced" : "Cluster",
            "singularResource": .string(definition.singular),
            "verbs": .array(definition.verbs.map(JSONValue.string)),
        ]
        if !definition.shortNames.isEmpty { resource["shortNames"] = .array(definition.shortNames.map(JSONValue.string)) }
        if !definition.categories.isEmpty { resource["categories"] = .array(definition.categories.map(JSONValue.string)) }
        let subresources = Subresource.allCases.filter(definition.subresources.contains)
        if !subresources.isEmpty {
            resource["subresources"] = .array(subresources.map { subresource in
                let shape = subresourceShape(subresource, of: definition)
                return ["subresource": .string(subresource.rawValue), "responseKind": shape.kind, "verbs": .array(shape.verbs.map(JSONValue.string))]
            })
        }
        return resource
    }

    private func resourceList(group: String, version: String) -> JSONValue {
        var resources: [JSONValue] = []
        for definition in Self.definitions(group, version) {
            var entry: JSONValue = [
                "name": .string(definition.plural), "singularName": .string(definition.singular),
                "namespaced": .bool(definition.namespaced), "kind": .string(definition.kind),
                "verbs": .array(definition.verbs.map(JSONValue.string)),
            ]
            if !definition.shortNames.isEmpty { entry["shortNames"] = .array(definition.shortNames.map(JSONValue.string)) }
            if !definition.categories.isEmpty { entry["categories"] = .array(definition.categories.map(JSONValue.string)) }
            resources.append(entry)
            for subresource in Subresource.allCases where definition.subresources.contains(subresource) {
                let shape = Self.subresourceShape(subresource, of: definition)
                var sub: JSONValue = [
                    "name": .string("\(definition.plural)/\(subresource.rawValue)"), "singularName": "",
                    "namespaced": .bool(definition.namespaced), "kind": shape.kind["kind"] ?? .null,
                    "verbs": .array(shape.verbs.map(JSONValue.string)),
                ]
                if let subGroup = shape.kind["group"]?.stringValue, subGroup != definition.group {
                    sub["group"] = .string(subGroup)
                    sub["version"] = shape.kind["version"]
                }
                resources.append(sub)
            }
        }
        return [
            "kind": "APIResourceList", "apiVersion": "v1",
            "groupVersion": .string(group.isEmpty ? version : "\(group)/\(version)"), "resources": .array(resources),
        ]
    }
}

extension JSONValue {
    /// The object with `other`'s members added (or replaced).
    func merging(_ other: JSONValue) -> JSONValue {
        var result = self
        for (key, value) in other.objectValue ?? [:] { result[key] = value }
        return result
    }
}
