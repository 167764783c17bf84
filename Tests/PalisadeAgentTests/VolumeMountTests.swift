import Foundation
import Glibc
import PalisadeAPI
import PalisadeAgent
import PalisadeRuntime
import Testing

/// hostPath `type` checks, and `subPath` mounts that must stay inside their volume.
@Suite struct VolumeMountTests {
    static func prepare(_ volumes: JSONValue, mounts: JSONValue = [], in directory: String) async throws -> (PreparedVolumes, PodContainer) {
        let pod = VolumeTests.pod(volumes: volumes, mounts: mounts)
        let prepared = try await VolumeTests.volumes(directory).prepare(pod)
        return (prepared, PodContainer.appContainers(of: pod)[0])
    }

    static func hostPath(_ path: String, _ type: String, in directory: String) async throws {
        _ = try await prepare([["name": "host", "hostPath": ["path": .string(path), "type": .string(type)]]], in: directory)
    }

    @Test func hostPathTypesAreCheckedAndCreatedAsKubernetesDoes() async throws {
        try await withTemporaryDirectory { directory in
            try await Self.hostPath(directory + "/made/deep", "DirectoryOrCreate", in: directory)
            #expect(VolumeTests.mode(directory + "/made/deep") == 0o755)
            try await Self.hostPath(directory + "/made/file", "FileOrCreate", in: directory)
            #expect(VolumeTests.mode(directory + "/made/file") == 0o644)
            try await Self.hostPath(directory + "/made", "Directory", in: directory)
            try await Self.hostPath(directory + "/made/file", "File", in: directory)
            try await Self.hostPath(directory + "/anything-at-all", "", in: directory)
            try await Self.hostPath("/dev/null", "CharDevice", in: directory)

            let notDirectory = try await podConfigError { try await Self.hostPath(directory + "/made/file", "Directory", in: directory) }
            #expect(notDirectory.code == .hostPathType)
            #expect(notDirectory.message == "spec.volumes[0].hostPath.type: hostPath type check failed: \(directory)/made/file is not a directory")
            let missing = try await podConfigError { try await Self.hostPath(directory + "/absent", "File", in: directory) }
            #expect(missing.code == .hostPathType)
            let noParent = try await podConfigError { try await Self.hostPath(directory + "/no/parent/file", "FileOrCreate", in: directory) }
            #expect(noParent.code == .fileSystem)
            let notSocket = try await podConfigError { try await Self.hostPath(directory + "/made/file", "Socket", in: directory) }
            #expect(notSocket.message.hasSuffix("is not a socket file"))
            let unknown = try await podConfigError { try await Self.hostPath(directory, "Weird", in: directory) }
            #expect(unknown.code == .invalidSpec)
            let relative = try await podConfigError { try await Self.hostPath("relative/path", "", in: directory) }
            #expect(relative.message == "spec.volumes[0].hostPath.path: must be an absolute path")
        }
    }

    @Test func aSocketHostPathMustBeASocket() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/agent.sock"
            let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(listener) }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { buffer in
                for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
            }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            try #require(bound == 0)
            try await Self.hostPath(path, "Socket", in: directory)
        }
    }

    @Test func aSubPathIsCreatedInsideAWritableVolume() async throws {
        try await withTemporaryDirectory { directory in
            let (prepared, container) = try await Self.prepare(
                [["name": "scratch", "emptyDir": [:]]], mounts: [["name": "scratch", "mountPath": "/data", "subPath": "a/b"]], in: directory)
            let root = prepared.volumes["scratch"]!.hostPath
            #expect(try prepared.mounts(for: container) == [ContainerMount(source: root + "/a/b", destination: "/data", readOnly: false)])
            var isDirectory: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: root + "/a/b", isDirectory: &isDirectory) && isDirectory.boolValue)
        }
    }

    @Test func aSubPathMayNameOneConfigMapFile() async throws {
        try await withTemporaryDirectory { directory in
            let (prepared, container) = try await Self.prepare(
                [["name": "site", "configMap": ["name": "site"]]],
                mounts: [["name": "site", "mountPath": "/etc/nginx/nginx.conf", "subPath": "nginx.conf"]], in: directory)
            let mount = try #require(try prepared.mounts(for: container).first)
            #expect(mount.readOnly && mount.destination == "/etc/nginx/nginx.conf")
            #expect(mount.source.hasPrefix(prepared.volumes["site"]!.hostPath + "/..") && mount.source.hasSuffix("/nginx.conf"))
            #expect(VolumeTests.contents(mount.source) == "server {}")
        }
    }

    @Test(arguments: ["../x", "/etc", "a/../.."])
    func aSubPathMayNotClimbOut(subPath: String) async throws {
        try await withTemporaryDirectory { directory in
            let (prepared, container) = try await Self.prepare(
                [["name": "scratch", "emptyDir": [:]]], mounts: [["name": "scratch", "mountPath": "/data", "subPath": .string(subPath)]],
                in: directory)
            let error = try await podConfigError { _ = try prepared.mounts(for: container) }
            #expect(error.code == .unsafePath && error.message.hasPrefix("spec.containers[0].volumeMounts[0].subPath: invalid path"))
        }
    }

    @Test func aSubPathThroughALinkOutOfTheVolumeIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let (prepared, container) = try await Self.prepare(
                [["name": "scratch", "emptyDir": [:]]], mounts: [["name": "scratch", "mountPath": "/data", "subPath": "escape/passwd"]], in: directory
            )
            // What a container could have done to its own emptyDir before a restart.
            try FileManager.default.createSymbolicLink(atPath: prepared.volumes["scratch"]!.hostPath + "/escape", withDestinationPath: "/etc")
            let error = try await podConfigError { _ = try prepared.mounts(for: container) }
            #expect(error.code == .unsafePath)
            #expect(error.message == "spec.containers[0].volumeMounts[0].subPath: subPath \"escape/passwd\" resolves outside volume \"scratch\"")
            #expect(!FileManager.default.fileExists(atPath: "/etc/escape"))
        }
    }

    @Test func subPathExprExpandsTheContainerEnvironment() async throws {
        try await withTemporaryDirectory { directory in
            let (prepared, container) = try await Self.prepare(
                [["name": "logs", "emptyDir": [:]]], mounts: [["name": "logs", "mountPath": "/logs", "subPathExpr": "$(POD_NAME)"]], in: directory)
            let mounts = try prepared.mounts(for: container, environment: ["POD_NAME=web-1"])
            #expect(mounts.first?.source == prepared.volumes["logs"]!.hostPath + "/web-1")
        }
    }
}
