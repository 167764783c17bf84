import Foundation
import Glibc
import PalisadeAPI

/// Materialises a pod's `spec.volumes` on the host, under the pod's own directory:
///
/// ```
/// <podDirectory>/volumes/empty-dir/<name>   emptyDir (a tmpfs for medium: Memory)
/// <podDirectory>/volumes/configmap/<name>   ConfigMap files, written atomically
/// <podDirectory>/volumes/secret/<name>      Secret files, on a tmpfs (mode 0700)
/// ```
///
/// PersistentVolumeClaims are directories under ``PodVolumeConfiguration/localVolumesRoot``;
/// hostPaths are checked against their `type`. `projected`, `downwardAPI` and the network and
/// CSI volume types are refused as not supported. ``prepare(_:)`` may run again for the same
/// pod to refresh ConfigMap and Secret contents; ``tearDown(podDirectory:)`` undoes it all.
///
/// File modes: a Secret's files default to 0400 (this project's choice; Kubernetes uses 0644),
/// a ConfigMap's to 0644; `defaultMode` and `items[].mode` override them. `fsGroup` ownership
/// is not applied.
public struct PodVolumes: Sendable {
    public let podDirectory: String
    public let configuration: PodVolumeConfiguration
    private let lookup: PodObjectLookup

    public init(podDirectory: String, configuration: PodVolumeConfiguration = PodVolumeConfiguration(), lookup: PodObjectLookup) {
        self.podDirectory = podDirectory
        self.configuration = configuration
        self.lookup = lookup
    }

    /// Makes every volume of `pod` ready and says where each one is.
    public func prepare(_ pod: JSONValue) async throws(PodConfigError) -> PreparedVolumes {
        var prepared: [String: PreparedVolume] = [:]
        for (index, volume) in (pod[path: ["spec", "volumes"]]?.arrayValue ?? []).enumerated() {
            let field = FieldPath("spec", "volumes").index(index)
            let name = volume["name"]?.stringValue ?? ""
            guard Self.isSafeComponent(name) else { throw PodConfigError(.invalidSpec, at: field.child("name"), "invalid volume name \"\(name)\"") }
            let volume = try await prepareVolume(name, volume, pod: pod, at: field)
            if let group = pod[path: ["spec", "securityContext", "fsGroup"]]?.intValue, volume.kind != .hostPath {
                try VolumeOwnership.apply(group: gid_t(clamping: group), to: volume.hostPath, readOnly: volume.readOnly)
            }
            prepared[name] = volume
        }
        return PreparedVolumes(volumes: prepared)
    }

    private func prepareVolume(_ name: String, _ volume: JSONValue, pod: JSONValue, at field: FieldPath) async throws(PodConfigError)
        -> PreparedVolume
    {
        if let source = volume["emptyDir"] {
            return try prepareEmptyDir(name, source, at: field.child("emptyDir"))
        }
        if let source = volume["configMap"] {
            let path = field.child("configMap")
            let directory = try volumeDirectory("configmap", name, mode: 0o755)
            let object = try await lookup.require(
                .configMap, namespace: pod.podNamespace, name: source["name"]?.stringValue ?? "",
                optional: source["optional"]?.boolValue ?? false, at: path)
            let entries =
                try object.map { object throws(PodConfigError) in try ReferencedData.configMapEntries(object, includingBinary: true) } ?? [:]
            try AtomicVolumeWriter.write(
                try VolumeItems.files(entries, source: source, kind: .configMap, defaultMode: 0o644, at: path), into: directory)
            return PreparedVolume(name: name, kind: .configMap, hostPath: directory, readOnly: true)
        }
        if let source = volume["secret"] {
            let path = field.child("secret")
            let (directory, isTmpfs) = try secretDirectory(name, at: path)
            let object = try await lookup.require(
                .secret, namespace: pod.podNamespace, name: source["secretName"]?.stringValue ?? "",
                optional: source["optional"]?.boolValue ?? false, at: path)
            let entries = try object.map { object throws(PodConfigError) in try ReferencedData.secretEntries(object) } ?? [:]
            try AtomicVolumeWriter.write(try VolumeItems.files(entries, source: source, kind: .secret, defaultMode: 0o400, at: path), into: directory)
            return PreparedVolume(name: name, kind: .secret, hostPath: directory, readOnly: true, isTmpfs: isTmpfs)
        }
        if let source = volume["persistentVolumeClaim"] {
            return try await prepareClaim(name, source, pod: pod, at: field.child("persistentVolumeClaim"))
        }
        if let source = volume["hostPath"] {
            let path = source["path"]?.stringValue ?? ""
            try HostPathCheck.check(path, type: source["type"]?.stringValue ?? "", at: field.child("hostPath"))
            return PreparedVolume(name: name, kind: .hostPath, hostPath: path)
        }
        let type = (volume.objectValue ?? [:]).keys.filter { $0 != "name" }.sorted().first ?? "(none)"
        throw PodConfigError(.unsupported, at: field, "volume type \"\(type)\" is not supported by this node")
    }

    private func prepareEmptyDir(_ name: String, _ source: JSONValue, at field: FieldPath) throws(PodConfigError) -> PreparedVolume {
        // 0777 as in the kubelet: containers running as any user may write there.
        let directory = try volumeDirectory("empty-dir", name, mode: 0o777)
        guard source["medium"]?.stringValue == "Memory" else { return PreparedVolume(name: name, kind: .emptyDir, hostPath: directory) }
        guard configuration.mountsTmpfs else { return PreparedVolume(name: name, kind: .emptyDir, hostPath: directory, wantsTmpfs: true) }
        let size = source["sizeLimit"].flatMap { Quantity(Quantity.text(of: $0)) }.map { NSDecimalNumber(decimal: $0.value).int64Value }
        try Tmpfs.mount(at: directory, mode: 0o777, sizeBytes: size)
        return PreparedVolume(name: name, kind: .emptyDir, hostPath: directory, isTmpfs: true)
    }

    /// A secret volume's directory, on a fresh tmpfs so its files never reach a disk.
    private func secretDirectory(_ name: String, at field: FieldPath) throws(PodConfigError) -> (String, isTmpfs: Bool) {
        let directory = try volumeDirectory("secret", name, mode: 0o700)
        if configuration.mountsTmpfs {
            try Tmpfs.mount(at: directory, mode: 0o700)
            return (directory, true)
        }
        guard configuration.allowDiskSecrets else {
            throw PodConfigError(
                .secretsNeedTmpfs, at: field,
                "secret volume \"\(name)\" must be on a tmpfs, and this agent cannot mount one (it needs root; allowDiskSecrets is for tests only)")
        }
        return (directory, false)
    }

    private func prepareClaim(_ name: String, _ source: JSONValue, pod: JSONValue, at field: FieldPath) async throws(PodConfigError)
        -> PreparedVolume
    {
        let claimName = source["claimName"]?.stringValue ?? ""
        let namespace = pod.podNamespace
        guard Self.isSafeComponent(claimName), Self.isSafeComponent(namespace) else {
            throw PodConfigError(.invalidSpec, at: field.child("claimName"), "invalid claim name \"\(claimName)\"")
        }
        _ = try await lookup.require(.persistentVolumeClaim, namespace: namespace, name: claimName, optional: false, at: field)
        let root = try Self.makeDirectory(configuration.localVolumesRoot, mode: 0o700)
        // Only root reaches the claims; 0777 inside so the pod's users may write.
        let claim = try root.makeChild(namespace, mode: 0o700).makeChild(claimName, mode: 0o777)
        return PreparedVolume(name: name, kind: .persistentVolumeClaim, hostPath: claim.path, readOnly: source["readOnly"]?.boolValue ?? false)
    }

    /// `<podDirectory>/volumes/<plugin>/<name>`, created without following links.
    private func volumeDirectory(_ plugin: String, _ name: String, mode: mode_t) throws(PodConfigError) -> String {
        try Self.makeDirectory(podDirectory, mode: 0o750).makeChild("volumes", mode: 0o750).makeChild(plugin, mode: 0o750)
            .makeChild(name, mode: mode).path
    }

    /// An agent-configured directory (trusted, so links in it are fine), created when missing.
    private static func makeDirectory(_ path: String, mode: Int) throws(PodConfigError) -> DirectoryHandle {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: mode])
        } catch {
            throw PodConfigError(.fileSystem, "creating \(path): \(error.localizedDescription)")
        }
        return try DirectoryHandle.open(path)
    }

    /// A name used as one path component: no separators, no `.` or `..`.
    static func isSafeComponent(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.utf8.contains(0)
    }
}
