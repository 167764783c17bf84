import PalisadeAPI

/// Checks on the relative paths a pod chooses inside a volume (`items[].path`, `subPath`),
/// as the kubelet's atomic writer checks them: relative, no `..` component, and no first
/// component starting with `..` (the writer's own `..data` entries live there).
enum VolumePath {
    /// The path's components with empty and `.` components dropped.
    static func components(_ path: String, at field: FieldPath) throws(PodConfigError) -> [String] {
        guard !path.isEmpty else { throw PodConfigError(.unsafePath, at: field, "invalid path: must not be empty") }
        guard !path.hasPrefix("/") else { throw PodConfigError(.unsafePath, at: field, "invalid path \"\(path)\": must be relative") }
        guard path.utf8.count <= 4096, !path.utf8.contains(0) else {
            throw PodConfigError(.unsafePath, at: field, "invalid path: too long or contains NUL")
        }
        let components = path.split(separator: "/").map(String.init).filter { $0 != "." }
        for component in components {
            guard component != ".." else { throw PodConfigError(.unsafePath, at: field, "invalid path \"\(path)\": must not contain '..'") }
            guard component.utf8.count <= 255 else { throw PodConfigError(.unsafePath, at: field, "invalid path: a component is too long") }
        }
        guard let first = components.first else { throw PodConfigError(.unsafePath, at: field, "invalid path \"\(path)\": names nothing") }
        guard !first.hasPrefix("..") else {
            throw PodConfigError(.unsafePath, at: field, "invalid path \"\(path)\": must not start with '..'")
        }
        return components
    }
}
