import PalisadeAPI

/// How namespaces end. Deleting one marks it Terminating; the namespace controller (a client
/// of the API, in PalisadeControllers) deletes everything in it, then removes `kubernetes`
/// from its `spec.finalizers` through the `finalize` subresource, and the namespace goes.
public enum NamespaceRules {
    public static let definition = ServedResources.lookup(group: "", version: "v1", resource: "namespaces")!

    /// A namespace is held while its `spec.finalizers` name anything (a namespace stored
    /// before the field was defaulted counts as naming `kubernetes`).
    static func awaitsItsController(_ object: JSONValue, _ definition: ResourceDefinition) -> Bool {
        guard definition.isCore("namespaces") else { return false }
        guard let finalizers = object[path: ["spec", "finalizers"]]?.arrayValue else { return true }
        return !finalizers.isEmpty
    }
}
