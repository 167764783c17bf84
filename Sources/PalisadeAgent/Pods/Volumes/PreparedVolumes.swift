import Foundation
import Glibc
import PalisadeAPI
import PalisadeRuntime

/// A pod's volumes, ready on the host, and how each container sees them.
public struct PreparedVolumes: Sendable, Equatable {
    /// By volume name.
    public var volumes: [String: PreparedVolume]

    public init(volumes: [String: PreparedVolume]) {
        self.volumes = volumes
    }

    /// The bind mounts of `container`'s `volumeMounts`, in order.
    ///
    /// A `subPath` (or `subPathExpr`, expanded against `environment`) must stay inside its
    /// volume: absolute paths and `..` are refused, and a path whose links resolve outside the
    /// volume is refused too. A missing subPath is created as a directory in writable volumes,
    /// as the kubelet does. The source of such a mount is the resolved host path.
    /// - Parameter environment: the container's `NAME=value` entries, for `subPathExpr`.
    public func mounts(for container: PodContainer, environment: [String] = []) throws(PodConfigError) -> [ContainerMount] {
        var mounts: [ContainerMount] = []
        for (index, mount) in (container.spec["volumeMounts"]?.arrayValue ?? []).enumerated() {
            let field = container.fieldPath.child("volumeMounts").index(index)
            let name = mount["name"]?.stringValue ?? ""
            guard let volume = volumes[name] else {
                throw PodConfigError(.invalidSpec, at: field.child("name"), "volume \"\(name)\" not found in the pod")
            }
            let destination = mount["mountPath"]?.stringValue ?? ""
            guard destination.hasPrefix("/") else { throw PodConfigError(.invalidSpec, at: field.child("mountPath"), "must be an absolute path") }
            var subPath = mount["subPath"]?.stringValue ?? ""
            var subPathField = field.child("subPath")
            if let expression = mount["subPathExpr"]?.stringValue, !expression.isEmpty {
                subPath = EnvironmentExpansion.expand(expression, withEntries: environment)
                subPathField = field.child("subPathExpr")
            }
            let source = subPath.isEmpty ? volume.hostPath : try Self.resolve(subPath, in: volume, at: subPathField)
            mounts.append(ContainerMount(source: source, destination: destination, readOnly: volume.readOnly || mount["readOnly"]?.boolValue == true))
        }
        return mounts
    }

    /// The host path `subPath` names inside `volume`, created when missing and writable.
    private static func resolve(_ subPath: String, in volume: PreparedVolume, at field: FieldPath) throws(PodConfigError) -> String {
        let components = try VolumePath.components(subPath, at: field)
        if !volume.readOnly { try makeDirectories(components, under: volume.hostPath) }
        guard let root = realPath(volume.hostPath) else { throw PodConfigError(.fileSystem, at: field, "volume \(volume.hostPath) is missing") }
        guard let resolved = realPath(volume.hostPath + "/" + components.joined(separator: "/")) else {
            throw PodConfigError(.invalidSpec, at: field, "subPath \"\(subPath)\" does not exist in volume \"\(volume.name)\"")
        }
        guard resolved == root || resolved.hasPrefix(root == "/" ? "/" : root + "/") else {
            throw PodConfigError(.unsafePath, at: field, "subPath \"\(subPath)\" resolves outside volume \"\(volume.name)\"")
        }
        return resolved
    }

    /// Creates the missing directories of a subPath, never through a link: at the first
    /// component that is a link or a file it stops, and the containment check decides.
    private static func makeDirectories(_ components: [String], under root: String) throws(PodConfigError) {
        var directory = try DirectoryHandle.open(root)
        for component in components {
            switch directory.facts(of: component)?.type {
            case nil: directory = try directory.makeChild(component, mode: 0o755)
            case .typeDirectory?: directory = try directory.child(component)
            default: return
            }
        }
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
