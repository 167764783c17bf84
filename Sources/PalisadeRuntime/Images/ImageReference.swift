/// How image names are compared: `busybox`, `busybox:latest` and
/// `docker.io/library/busybox:latest` are one image, as a container runtime resolves them.
public enum ImageReference {
    public static func normalized(_ reference: String) -> String {
        var name = reference
        for prefix in ["docker.io/library/", "docker.io/", "index.docker.io/library/"] where name.hasPrefix(prefix) {
            name = String(name.dropFirst(prefix.count))
            break
        }
        let last = name.split(separator: "/").last.map(String.init) ?? name
        return last.contains(":") || last.contains("@") ? name : name + ":latest"
    }
}
