import Foundation
import Glibc
import PalisadeAPI
@testable import PalisadeRuntime
import Testing

/// An image's layers become a root filesystem: in order, with whiteouts, and never writing
/// outside the root.
@Suite struct RootfsUnpackerTests {
    static let marker = UUID().uuidString

    /// Writes tar layers into `directory` with Python's tarfile (which can craft links and whiteouts).
    static func makeLayers(in directory: String) throws {
        let script = """
            import io, sys, tarfile
            def add(t, name, kind=tarfile.REGTYPE, data=b"", mode=0o644, link=""):
                info = tarfile.TarInfo(name); info.type = kind; info.mode = mode; info.linkname = link; info.size = len(data)
                t.addfile(info, io.BytesIO(data) if data else None)
            with tarfile.open(sys.argv[1] + "/one.tar.gz", "w:gz") as t:
                add(t, "etc", tarfile.DIRTYPE, mode=0o755); add(t, "etc/hello", data=b"hi\\n", mode=0o640)
                add(t, "bin/busybox", data=b"#!binary", mode=0o755); add(t, "bin/sh", tarfile.SYMTYPE, link="busybox")
                add(t, "old/a", data=b"a"); add(t, "old/b", data=b"b"); add(t, "gone.txt", data=b"x")
                add(t, "escape", tarfile.SYMTYPE, link="/outside-\(marker)")
                add(t, "dev/null", tarfile.CHRTYPE)
            with tarfile.open(sys.argv[1] + "/two.tar", "w") as t:
                add(t, ".wh.gone.txt"); add(t, "old/.wh..wh..opq"); add(t, "old/c", data=b"c")
                add(t, "escape/file.txt", data=b"inside"); add(t, "hard", tarfile.LNKTYPE, link="etc/hello")
            with tarfile.open(sys.argv[1] + "/evil.tar", "w") as t:
                add(t, "../evil-\(marker)", data=b"out")
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, directory]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
    }

    /// An imported image of the given layer files of `directory`.
    static func image(_ layers: [(file: String, mediaType: String)], in directory: String, store: ImageStore) throws -> ImageStore.Image {
        let layout = "\(directory)/layout-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: layout, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: "\(layout)/oci-layout", contents: Data(#"{"imageLayoutVersion":"1.0.0"}"#.utf8))
        let descriptors = try layers.map { layer in
            try ImageStoreTests.blob([UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(layer.file)"))), in: layout, mediaType: layer.mediaType)
        }
        let config = try ImageStoreTests.blob(Array(#"{"os":"linux"}"#.utf8), in: layout, mediaType: "application/vnd.oci.image.config.v1+json")
        let manifest: JSONValue = ["schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "config": config, "layers": .array(descriptors)]
        var entry = try ImageStoreTests.blob(JSONSerializer.bytes(manifest), in: layout, mediaType: "application/vnd.oci.image.manifest.v1+json")
        entry["annotations"] = ["org.opencontainers.image.ref.name": .string("test-\(UUID().uuidString.prefix(8).lowercased())")]
        FileManager.default.createFile(atPath: "\(layout)/index.json", contents: Data(JSONSerializer.bytes(["schemaVersion": 2, "manifests": [entry]])))
        return try #require(try store.importImages(from: layout).first)
    }

    static func text(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func layersApplyInOrderWithWhiteoutsAndStayInsideTheRoot() throws {
        try ImageStoreTests.scratch { directory in
            try Self.makeLayers(in: directory)
            let store = ImageStore(root: "\(directory)/store")
            let image = try Self.image(
                [("one.tar.gz", "application/vnd.oci.image.layer.v1.tar+gzip"), ("two.tar", "application/vnd.oci.image.layer.v1.tar")], in: directory, store: store
            )
            let root = "\(directory)/rootfs"
            try RootfsUnpacker(store: store).unpack(image, into: root)

            #expect(Self.text("\(root)/etc/hello") == "hi\n")
            let mode = (try FileManager.default.attributesOfItem(atPath: "\(root)/etc/hello")[.posixPermissions] as? Int) ?? 0
            #expect(mode == 0o640, "modes are kept")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "\(root)/bin/sh") == "busybox")
            #expect(!FileManager.default.fileExists(atPath: "\(root)/gone.txt"), "a whiteout removes a lower layer's file")
            #expect(try FileManager.default.contentsOfDirectory(atPath: "\(root)/old") == ["c"], "an opaque directory keeps only this layer's content")
            #expect(Self.text("\(root)/hard") == "hi\n", "a hard link points at its target inside the root")
            #expect(!FileManager.default.fileExists(atPath: "\(root)/dev/null"), "device nodes are left to the runtime")
            // Written through a symbolic link to /outside-…: it lands inside the root.
            #expect(Self.text("\(root)/outside-\(Self.marker)/file.txt") == "inside")
            #expect(!FileManager.default.fileExists(atPath: "/outside-\(Self.marker)"), "nothing is written outside the root")
        }
    }

    @Test func aLayerNamingAPathOutsideTheRootIsRefused() throws {
        try ImageStoreTests.scratch { directory in
            try Self.makeLayers(in: directory)
            let store = ImageStore(root: "\(directory)/store")
            let image = try Self.image([("evil.tar", "application/vnd.oci.image.layer.v1.tar")], in: directory, store: store)
            #expect(throws: ImageError.self) { try RootfsUnpacker(store: store).unpack(image, into: "\(directory)/rootfs") }
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/evil-\(Self.marker)"))
        }
    }

    @Test func symbolicLinksResolveWithTheRootAsSlash() throws {
        try ImageStoreTests.scratch { root in
            try FileManager.default.createDirectory(atPath: "\(root)/usr/lib", withIntermediateDirectories: true)
            symlink("usr/lib", "\(root)/lib")
            symlink("/../../..", "\(root)/up")
            #expect(try RootPath.resolve(["lib", "x.so"], in: root) == "\(root)/usr/lib/x.so")
            #expect(try RootPath.resolve(["up", "etc", "passwd"], in: root) == "\(root)/etc/passwd")
            #expect(throws: ImageError.self) { try RootPath.components(of: "a/../../b") }
        }
    }
}
