import PalisadeAPI

/// The objects a pod uses by name, which its node must be able to read to run it: Secrets
/// and ConfigMaps from volumes (also projected), environment and image pull secrets,
/// PersistentVolumeClaims from volumes, and its ServiceAccount.
struct PodReferences: Equatable {
    var secrets: Set<String> = []
    var configMaps: Set<String> = []
    var claims: Set<String> = []
    var serviceAccounts: Set<String> = []

    init(_ pod: JSONValue) {
        let spec = pod["spec"] ?? .emptyObject
        for secret in spec["imagePullSecrets"]?.arrayValue ?? [] { insert(secret["name"], into: \.secrets) }
        insert(spec["serviceAccountName"] ?? "default", into: \.serviceAccounts)
        for volume in spec["volumes"]?.arrayValue ?? [] {
            insert(volume[path: ["secret", "secretName"]], into: \.secrets)
            insert(volume[path: ["configMap", "name"]], into: \.configMaps)
            insert(volume[path: ["persistentVolumeClaim", "claimName"]], into: \.claims)
            for source in volume[path: ["projected", "sources"]]?.arrayValue ?? [] {
                insert(source[path: ["secret", "name"]], into: \.secrets)
                insert(source[path: ["configMap", "name"]], into: \.configMaps)
            }
        }
        let containers = ["containers", "initContainers", "ephemeralContainers"].flatMap { spec[$0]?.arrayValue ?? [] }
        for container in containers {
            for variable in container["env"]?.arrayValue ?? [] {
                insert(variable[path: ["valueFrom", "secretKeyRef", "name"]], into: \.secrets)
                insert(variable[path: ["valueFrom", "configMapKeyRef", "name"]], into: \.configMaps)
            }
            for source in container["envFrom"]?.arrayValue ?? [] {
                insert(source[path: ["secretRef", "name"]], into: \.secrets)
                insert(source[path: ["configMapRef", "name"]], into: \.configMaps)
            }
        }
    }

    private mutating func insert(_ name: JSONValue?, into set: WritableKeyPath<PodReferences, Set<String>>) {
        if let name = name?.stringValue, !name.isEmpty { self[keyPath: set].insert(name) }
    }

    /// The names of `resource` (core) a pod uses.
    func names(of resource: String) -> Set<String> {
        switch resource {
        case "secrets": secrets
        case "configmaps": configMaps
        case "persistentvolumeclaims": claims
        case "serviceaccounts": serviceAccounts
        default: []
        }
    }
}
