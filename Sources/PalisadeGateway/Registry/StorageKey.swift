import PalisadeAPI
import PalisadeStore

/// Where objects live in the store (``RegistryKey``): `/registry/<group>/<resource>/<namespace>/<name>`,
/// or without the namespace for cluster-scoped kinds.
enum StorageKey {
    static func collection(_ definition: ResourceDefinition) -> String {
        RegistryKey.collection(group: definition.group, resource: definition.plural)
    }

    /// The prefix of everything a list or watch covers: one namespace, or all of them.
    static func prefix(_ definition: ResourceDefinition, namespace: String?) -> String {
        guard definition.namespaced, let namespace, !namespace.isEmpty else { return collection(definition) }
        return collection(definition) + namespace + "/"
    }

    static func object(_ definition: ResourceDefinition, namespace: String?, name: String) -> String {
        prefix(definition, namespace: namespace) + name
    }
}
