import Hummingbird
import PalisadeAPI

/// `/openapi/v3`: the index of group-versions and, per group-version, one PATCH operation per
/// kind with its `x-kubernetes-group-version-kind` and the `fieldValidation` parameter. That
/// is what kubectl's default `--validate=strict` checks before it sends `fieldValidation=Strict`
/// and lets the server validate. Without `components.schemas`, kubectl builds strategic merge
/// patches from its own compiled-in types, which is what the server applies.
struct OpenAPIHandler: Sendable {
    /// Changes whenever the served set changes, so clients' caches follow.
    static let hash: String = {
        var hasher = 0xcbf2_9ce4_8422_2325 as UInt64
        for definition in ServedResources.all {
            for byte in "\(definition.groupVersion)/\(definition.plural)/\(definition.kind)".utf8 {
                hasher = (hasher ^ UInt64(byte)) &* 0x100_0000_01b3
            }
        }
        return String(hasher, radix: 16, uppercase: true)
    }()

    func respond(path: String) -> Response? {
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count >= 2, parts[0] == "openapi", parts[1] == "v3" else { return nil }
        if parts.count == 2 {
            var paths: [String: JSONValue] = [:]
            for group in ServedResources.groups {
                for version in group.versions {
                    let key = group.name.isEmpty ? "api/\(version)" : "apis/\(group.name)/\(version)"
                    paths[key] = ["serverRelativeURL": .string("/openapi/v3/\(key)?hash=\(Self.hash)")]
                }
            }
            return APIResponse.json(["paths": .object(paths)])
        }
        let groupVersion = parts.dropFirst(2).joined(separator: "/")
        let definitions = ServedResources.all.filter { definition in
            (definition.group.isEmpty ? "api/\(definition.version)" : "apis/\(definition.group)/\(definition.version)") == groupVersion
        }
        guard !definitions.isEmpty else { return nil }
        var paths: [String: JSONValue] = [:]
        for definition in definitions where definition.verbs.contains("patch") {
            let base = definition.group.isEmpty ? "/api/\(definition.version)" : "/apis/\(definition.group)/\(definition.version)"
            let scope = definition.namespaced ? "/namespaces/{namespace}" : ""
            paths["\(base)\(scope)/\(definition.plural)/{name}"] = [
                "patch": [
                    "x-kubernetes-group-version-kind": [
                        "group": .string(definition.group), "version": .string(definition.version), "kind": .string(definition.kind),
                    ],
                    "parameters": [["name": "fieldValidation", "in": "query", "schema": ["type": "string"]]],
                ],
            ]
        }
        return APIResponse.json([
            "openapi": "3.0.0", "info": ["title": "Palisade", "version": "v1.32.4"], "paths": .object(paths),
        ])
    }
}
