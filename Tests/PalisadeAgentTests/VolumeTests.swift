import Foundation
import Glibc
import PalisadeAPI
import PalisadeAgent
import PalisadeRuntime
import Testing

/// Pod volumes materialised on the host: emptyDir, ConfigMap and Secret files (modes,
/// atomic updates, tmpfs for secrets), claims, hostPath types, and teardown.
@Suite struct VolumeTests {
    static let isRoot = getuid() == 0

    static let objects: [JSONValue] = [
        [
            "kind": "ConfigMap", "metadata": ["namespace": "shop", "name": "site"], "data": ["index.html": "<h1>hi</h1>", "nginx.conf": "server {}"],
            "binaryData": ["logo.png": .string(Data([0x89, 0x50, 0x4E, 0x47]).base64EncodedString())],
        ],
        ["kind": "Secret", "metadata": ["namespace": "shop", "name": "tls"], "data": ["tls.key": .string(Data("KEY".utf8).base64EncodedString())]],
        ["kind": "PersistentVolumeClaim", "metadata": ["namespace": "shop", "name": "data"], "spec": [:]],
    ]

    static func pod(volumes: JSONValue, mounts: JSONValue = []) -> JSONValue {
        ["metadata": ["name": "web", "namespace": "shop"], "spec": ["volumes": volumes, "containers": [["name": "app", "volumeMounts": mounts]]]]
    }

    static func volumes(_ directory: String, objects: [JSONValue] = objects, configuration: PodVolumeConfiguration? = nil) -> PodVolumes {
        PodVolumes(
            podDirectory: directory + "/pod",
            configuration: configuration ?? PodVolumeConfiguration(localVolumesRoot: directory + "/claims"),
            lookup: .objects(objects))
    }

    /// The permission bits of what `path` names (links followed).
    static func mode(_ path: String) -> Int? {
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        return (try? FileManager.default.attributesOfItem(atPath: resolved)[.posixPermissions] as? NSNumber)?.intValue
    }

    static func contents(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }

    @Test func anEmptyDirIsAWorldWritableDirectoryMountedWhereTheContainerSays() async throws {
        try await withTemporaryDirectory { directory in
            let pod = Self.pod(
                volumes: [["name": "scratch", "emptyDir": [:]]], mounts: [["name": "scratch", "mountPath": "/tmp", "readOnly": true]])
            let prepared = try await Self.volumes(directory).prepare(pod)
            let volume = try #require(prepared.volumes["scratch"])
            #expect(volume.hostPath == "\(directory)/pod/volumes/empty-dir/scratch" && volume.kind == .emptyDir && !volume.isTmpfs)
            #expect(Self.mode(volume.hostPath) == 0o777)
            let mounts = try prepared.mounts(for: PodContainer.appContainers(of: pod)[0])
            #expect(mounts == [ContainerMount(source: volume.hostPath, destination: "/tmp", readOnly: true)])
        }
    }

    @Test func aMemoryEmptyDirIsATmpfsWhenTheAgentCanMountOne() async throws {
        try await withTemporaryDirectory { directory in
            let pod = Self.pod(volumes: [["name": "cache", "emptyDir": ["medium": "Memory", "sizeLimit": "16Mi"]]])
            let withoutMounts = PodVolumeConfiguration(localVolumesRoot: directory, mountsTmpfs: false)
            let plain = try #require(try await Self.volumes(directory, configuration: withoutMounts).prepare(pod).volumes["cache"])
            #expect(plain.wantsTmpfs && !plain.isTmpfs)
            guard Self.isRoot else { return }
            let prepared = try #require(try await Self.volumes(directory).prepare(pod).volumes["cache"])
            #expect(prepared.isTmpfs && !prepared.wantsTmpfs)
            let mounted = try #require(mountedFileSystem(at: prepared.hostPath))
            #expect(mounted.type == "tmpfs" && mounted.options.contains("size=16384k") && mounted.options.contains("mode=777"))
        }
    }

    @Test func configMapFilesAreWrittenBehindTheDataLinkWithMode0644() async throws {
        try await withTemporaryDirectory { directory in
            let pod = Self.pod(
                volumes: [["name": "site", "configMap": ["name": "site"]]], mounts: [["name": "site", "mountPath": "/usr/share/nginx"]])
            let prepared = try await Self.volumes(directory).prepare(pod)
            let root = try #require(prepared.volumes["site"]).hostPath
            #expect(Self.contents(root + "/index.html") == "<h1>hi</h1>")
            #expect(try Data(contentsOf: URL(fileURLWithPath: root + "/logo.png")) == Data([0x89, 0x50, 0x4E, 0x47]))
            #expect(Self.mode(root + "/index.html") == 0o644)
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/index.html") == "..data/index.html")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/..data").hasPrefix(".."))
            let mounts = try prepared.mounts(for: PodContainer.appContainers(of: pod)[0])
            #expect(mounts == [ContainerMount(source: root, destination: "/usr/share/nginx", readOnly: true)])
        }
    }

    @Test func itemsChooseKeysPathsAndModes() async throws {
        try await withTemporaryDirectory { directory in
            let items: JSONValue = [["key": "nginx.conf", "path": "conf.d/site.conf", "mode": 0o440], ["key": "index.html", "path": "index.html"]]
            let pod = Self.pod(volumes: [["name": "site", "configMap": ["name": "site", "items": items, "defaultMode": 0o600]]])
            let root = try #require(try await Self.volumes(directory).prepare(pod).volumes["site"]).hostPath
            #expect(Self.contents(root + "/conf.d/site.conf") == "server {}")
            #expect(Self.mode(root + "/conf.d/site.conf") == 0o440)
            #expect(Self.mode(root + "/index.html") == 0o600)
            #expect(!FileManager.default.fileExists(atPath: root + "/logo.png"))
        }
    }

    @Test func secretFilesDefaultTo0400OnATmpfsWithMode0700() async throws {
        try await withTemporaryDirectory { directory in
            let pod = Self.pod(volumes: [["name": "tls", "secret": ["secretName": "tls"]]])
            let configuration = PodVolumeConfiguration(localVolumesRoot: directory, allowDiskSecrets: !Self.isRoot)
            let volume = try #require(try await Self.volumes(directory, configuration: configuration).prepare(pod).volumes["tls"])
            #expect(Self.contents(volume.hostPath + "/tls.key") == "KEY")
            #expect(Self.mode(volume.hostPath + "/tls.key") == 0o400)
            #expect(volume.readOnly && volume.kind == .secret)
            guard Self.isRoot else { return }
            let mounted = try #require(mountedFileSystem(at: volume.hostPath))
            #expect(volume.isTmpfs && mounted.type == "tmpfs" && mounted.options.contains("mode=700"))
            #expect(Self.mode(volume.hostPath) == 0o700)
        }
    }

    @Test func secretsNeverGoToDiskUnlessTestsAllowIt() async throws {
        try await withTemporaryDirectory { directory in
            let pod = Self.pod(volumes: [["name": "tls", "secret": ["secretName": "tls", "defaultMode": 0o440]]])
            let refused = PodVolumeConfiguration(localVolumesRoot: directory, mountsTmpfs: false)
            let error = try await podConfigError { _ = try await Self.volumes(directory, configuration: refused).prepare(pod) }
            #expect(error.code == .secretsNeedTmpfs && error.message.hasPrefix("spec.volumes[0].secret: "))
            let allowed = PodVolumeConfiguration(localVolumesRoot: directory, mountsTmpfs: false, allowDiskSecrets: true)
            let volume = try #require(try await Self.volumes(directory, configuration: allowed).prepare(pod).volumes["tls"])
            #expect(!volume.isTmpfs && Self.mode(volume.hostPath + "/tls.key") == 0o440)
        }
    }

    @Test func preparingAgainSwapsInTheNewContentsAndDropsTheOldVersion() async throws {
        try await withTemporaryDirectory { directory in
            let pod = Self.pod(volumes: [["name": "site", "configMap": ["name": "site"]]])
            let root = try #require(try await Self.volumes(directory).prepare(pod).volumes["site"]).hostPath
            let firstVersion = try FileManager.default.destinationOfSymbolicLink(atPath: root + "/..data")
            let updated: [JSONValue] = [
                ["kind": "ConfigMap", "metadata": ["namespace": "shop", "name": "site"], "data": ["index.html": "<h1>v2</h1>"]]
            ]
            _ = try await Self.volumes(directory, objects: updated).prepare(pod)
            #expect(Self.contents(root + "/index.html") == "<h1>v2</h1>")
            let entries = try FileManager.default.contentsOfDirectory(atPath: root).sorted()
            let secondVersion = try FileManager.default.destinationOfSymbolicLink(atPath: root + "/..data")
            #expect(secondVersion != firstVersion)
            #expect(entries == [secondVersion, "..data", "index.html"].sorted())
        }
    }

    @Test func writingNeverFollowsALinkPlantedInTheVolume() async throws {
        try await withTemporaryDirectory { directory in
            let outside = directory + "/outside.txt"
            try "untouched".write(toFile: outside, atomically: false, encoding: .utf8)
            let root = directory + "/pod/volumes/configmap/site"
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: root + "/index.html", withDestinationPath: outside)
            try FileManager.default.createSymbolicLink(atPath: root + "/..data_tmp", withDestinationPath: directory)
            let pod = Self.pod(volumes: [["name": "site", "configMap": ["name": "site"]]])
            _ = try await Self.volumes(directory).prepare(pod)
            #expect(Self.contents(outside) == "untouched")
            #expect(Self.contents(root + "/index.html") == "<h1>hi</h1>")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: root + "/index.html") == "..data/index.html")
        }
    }

    @Test(arguments: ["../escape", "/etc/passwd", "a/../../b", "..data/x", "..hidden", ""])
    func itemPathsMustStayInsideTheVolume(path: String) async throws {
        try await withTemporaryDirectory { directory in
            let pod = Self.pod(volumes: [["name": "site", "configMap": ["name": "site", "items": [["key": "index.html", "path": .string(path)]]]]])
            let error = try await podConfigError { _ = try await Self.volumes(directory).prepare(pod) }
            #expect(error.code == .unsafePath)
            #expect(error.message.hasPrefix("spec.volumes[0].configMap.items[0].path: invalid path"))
        }
    }

    @Test func missingSourcesAreErrorsUnlessOptional() async throws {
        try await withTemporaryDirectory { directory in
            let missing = Self.pod(volumes: [["name": "v", "emptyDir": [:]], ["name": "cfg", "configMap": ["name": "nope"]]])
            let error = try await podConfigError { _ = try await Self.volumes(directory).prepare(missing) }
            #expect(error.message == "spec.volumes[1].configMap: configmap \"nope\" not found")
            let missingKey = Self.pod(volumes: [["name": "cfg", "configMap": ["name": "site", "items": [["key": "nope", "path": "x"]]]]])
            let keyError = try await podConfigError { _ = try await Self.volumes(directory).prepare(missingKey) }
            #expect(
                keyError.code == .missingKey
                    && keyError.message == "spec.volumes[0].configMap.items[0].key: configmap references non-existent config key: nope")
            let optional = Self.pod(volumes: [["name": "cfg", "configMap": ["name": "nope", "optional": true]]])
            let root = try #require(try await Self.volumes(directory).prepare(optional).volumes["cfg"]).hostPath
            #expect(try FileManager.default.contentsOfDirectory(atPath: root).filter { !$0.hasPrefix("..") }.isEmpty)
        }
    }

    @Test func aClaimIsADirectoryUnderTheLocalVolumesRoot() async throws {
        try await withTemporaryDirectory { directory in
            let pod = Self.pod(
                volumes: [["name": "data", "persistentVolumeClaim": ["claimName": "data", "readOnly": true]]],
                mounts: [["name": "data", "mountPath": "/var/lib/data"]])
            let prepared = try await Self.volumes(directory).prepare(pod)
            let volume = try #require(prepared.volumes["data"])
            #expect(volume.hostPath == "\(directory)/claims/shop/data")
            var isDirectory: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: volume.hostPath, isDirectory: &isDirectory) && isDirectory.boolValue)
            #expect(
                try prepared.mounts(for: PodContainer.appContainers(of: pod)[0]) == [
                    ContainerMount(source: volume.hostPath, destination: "/var/lib/data", readOnly: true)
                ])
            let missing = Self.pod(volumes: [["name": "data", "persistentVolumeClaim": ["claimName": "other"]]])
            let error = try await podConfigError { _ = try await Self.volumes(directory).prepare(missing) }
            #expect(error.message == "spec.volumes[0].persistentVolumeClaim: persistentvolumeclaim \"other\" not found")
        }
    }

    @Test func unsupportedVolumeTypesAreRefusedByName() async throws {
        try await withTemporaryDirectory { directory in
            let pod = Self.pod(volumes: [["name": "token", "projected": ["sources": []]]])
            let error = try await podConfigError { _ = try await Self.volumes(directory).prepare(pod) }
            #expect(error.code == .unsupported && error.message == "spec.volumes[0]: volume type \"projected\" is not supported by this node")
        }
    }

    @Test func aMountOfAnUnknownVolumeNamesTheField() async throws {
        let pod = Self.pod(volumes: [], mounts: [["name": "x", "mountPath": "/x"]])
        let error = try await podConfigError { _ = try PreparedVolumes(volumes: [:]).mounts(for: PodContainer.appContainers(of: pod)[0]) }
        #expect(error.message == "spec.containers[0].volumeMounts[0].name: volume \"x\" not found in the pod")
    }

    @Test func tearDownUnmountsAndRemovesThePodDirectoryButNotWhatLinksPointAt() async throws {
        try await withTemporaryDirectory { directory in
            let outside = directory + "/keep"
            try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
            try "data".write(toFile: outside + "/file", atomically: false, encoding: .utf8)
            let pod = Self.pod(volumes: [["name": "tls", "secret": ["secretName": "tls"]], ["name": "scratch", "emptyDir": [:]]])
            let configuration = PodVolumeConfiguration(localVolumesRoot: directory + "/claims", allowDiskSecrets: !Self.isRoot)
            let prepared = try await Self.volumes(directory, configuration: configuration).prepare(pod)
            try FileManager.default.createSymbolicLink(atPath: prepared.volumes["scratch"]!.hostPath + "/link", withDestinationPath: outside)
            try PodVolumes.tearDown(podDirectory: directory + "/pod")
            #expect(!FileManager.default.fileExists(atPath: directory + "/pod"))
            #expect(Self.contents(outside + "/file") == "data")
            #expect(mountedFileSystem(at: prepared.volumes["tls"]!.hostPath) == nil)
            try PodVolumes.tearDown(podDirectory: directory + "/pod")  // already gone: fine
        }
    }
}

/// The type and options of the file system mounted at `path`, from the mount table.
func mountedFileSystem(at path: String) -> (type: String, options: String)? {
    let table = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
    for line in table.split(separator: "\n") {
        let halves = line.components(separatedBy: " - ")
        let fields = halves[0].split(separator: " ")
        guard halves.count == 2, fields.count > 4, fields[4] == path else { continue }
        let rest = halves[1].split(separator: " ").map(String.init)
        return (rest[0], rest.count > 2 ? rest[2] : "")
    }
    return nil
}
