/// The layout of object keys: `/registry/<group>/<resource>/[<namespace>/]<name>`, with the
/// core group spelled `core`. Layers that act per resource below the API (encryption at rest)
/// read the group and resource back from a key.
public enum RegistryKey {
    public static let root = "/registry/"

    /// The prefix under which every object of one resource lives.
    public static func collection(group: String, resource: String) -> String {
        "\(root)\(group.isEmpty ? "core" : group)/\(resource)/"
    }

    /// The group ("" for core) and resource of an object key, nil for anything else.
    public static func resource(of key: String) -> (group: String, resource: String)? {
        let scope = scope(ofPrefix: key)
        guard let group = scope.group, let resource = scope.resource else { return nil }
        return (group, resource)
    }

    /// How far a key prefix confines what it covers: to one group, to one resource, or
    /// (both nil) not at all, as with `/registry/`.
    public static func scope(ofPrefix prefix: String) -> (group: String?, resource: String?) {
        guard prefix.hasPrefix(root) else { return (nil, nil) }
        let parts = prefix.dropFirst(root.count).split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, !parts[0].isEmpty else { return (nil, nil) }
        let group = parts[0] == "core" ? "" : String(parts[0])
        guard parts.count == 3, !parts[1].isEmpty else { return (group, nil) }
        return (group, String(parts[1]))
    }
}
