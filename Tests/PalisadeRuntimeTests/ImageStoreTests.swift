import Foundation
import PalisadeAPI
@testable import PalisadeRuntime
import Testing

/// The local image store: OCI layouts imported with every blob verified, names resolved as
/// a runtime does, and nothing pulled.
@Suite struct ImageStoreTests {
    /// A scratch directory removed after `body`.
    static func scratch<T>(_ body: (String) throws -> T) throws -> T {
        let directory = NSTemporaryDirectory() + "palisade-images-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try body(directory)
    }

    /// Writes a blob into `layout`; returns its descriptor.
    static func blob(_ bytes: [UInt8], in layout: String, mediaType: String) throws -> JSONValue {
        try FileManager.default.createDirectory(atPath: "\(layout)/blobs/sha256", withIntermediateDirectories: true)
        let temporary = "\(layout)/blob.tmp"
        FileManager.default.createFile(atPath: temporary, contents: Data(bytes))
        let digest = try ContentDigest.of(file: temporary)
        try FileManager.default.moveItem(atPath: temporary, toPath: "\(layout)/blobs/sha256/\(digest.hex)")
        return ["mediaType": .string(mediaType), "digest": .string(digest.description), "size": .int(Int64(bytes.count))]
    }

    /// An OCI layout with one image of one layer; returns the layer's descriptor.
    @discardableResult
    static func layout(at path: String, name: String?, layer: String = "layer bytes") throws -> JSONValue {
        FileManager.default.createFile(atPath: "\(path)/oci-layout", contents: Data(#"{"imageLayoutVersion":"1.0.0"}"#.utf8))
        let layerDescriptor = try blob(Array(layer.utf8), in: path, mediaType: "application/vnd.oci.image.layer.v1.tar")
        let config = try blob(Array(#"{"architecture":"amd64","os":"linux","config":{"Cmd":["sh"]}}"#.utf8), in: path, mediaType: "application/vnd.oci.image.config.v1+json")
        let manifest: JSONValue = ["schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "config": config, "layers": [layerDescriptor]]
        var entry = try blob(JSONSerializer.bytes(manifest), in: path, mediaType: "application/vnd.oci.image.manifest.v1+json")
        if let name { entry["annotations"] = ["org.opencontainers.image.ref.name": .string(name)] }
        FileManager.default.createFile(atPath: "\(path)/index.json", contents: Data(JSONSerializer.bytes(["schemaVersion": 2, "manifests": [entry]])))
        return layerDescriptor
    }

    @Test func anImportedImageIsFoundByTheNamesARuntimeAccepts() throws {
        try Self.scratch { directory in
            try FileManager.default.createDirectory(atPath: "\(directory)/layout", withIntermediateDirectories: true)
            try Self.layout(at: "\(directory)/layout", name: "busybox")
            let store = ImageStore(root: "\(directory)/store")
            let imported = try store.importImages(from: "\(directory)/layout")
            #expect(imported.map(\.name) == ["busybox:latest"] && imported.first?.blobs.count == 3)
            #expect(try store.list().map(\.name) == ["busybox:latest"])
            #expect(try store.resolve("docker.io/library/busybox:latest").manifest == imported.first?.manifest)
            #expect(throws: ImageError.self) { try store.resolve("nginx:1.27") }
            do {
                _ = try store.resolve("nginx:1.27")
            } catch {
                #expect("\(error)".contains("palisade image import"), "the error says how to provide the image")
            }
        }
    }

    @Test func aBlobThatDoesNotMatchItsDigestIsRefusedAndNothingIsStored() throws {
        try Self.scratch { directory in
            let layout = "\(directory)/layout"
            try FileManager.default.createDirectory(atPath: layout, withIntermediateDirectories: true)
            let layer = try Self.layout(at: layout, name: "busybox")
            let digest = try #require(layer["digest"]?.stringValue.flatMap(ContentDigest.init))
            FileManager.default.createFile(atPath: "\(layout)/blobs/sha256/\(digest.hex)", contents: Data("layer BYTES".utf8))
            let store = ImageStore(root: "\(directory)/store")
            #expect(throws: ImageError.self) { try store.importImages(from: layout) }
            do {
                try store.importImages(from: layout)
            } catch {
                #expect("\(error)".contains("does not match its content"))
            }
            #expect(try store.list().isEmpty)
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/store/blobs/sha256/\(digest.hex)"))
        }
    }

    @Test func aTarOfALayoutImportsAndRemovingKeepsSharedBlobs() throws {
        try Self.scratch { directory in
            for (name, layer) in [("one", "shared layer"), ("two", "shared layer")] {
                try FileManager.default.createDirectory(atPath: "\(directory)/\(name)", withIntermediateDirectories: true)
                try Self.layout(at: "\(directory)/\(name)", name: nil, layer: layer)
            }
            let tar = Process()
            tar.executableURL = URL(fileURLWithPath: "/bin/tar")
            tar.arguments = ["-C", "\(directory)/one", "-cf", "\(directory)/one.tar", "."]
            try tar.run()
            tar.waitUntilExit()
            let store = ImageStore(root: "\(directory)/store")
            try store.importImages(from: "\(directory)/one.tar", name: "registry.local/app:1")
            try store.importImages(from: "\(directory)/two", name: "app:2")
            #expect(try store.list().map(\.name) == ["app:2", "registry.local/app:1"])
            let shared = try #require(try store.resolve("app:2").blobs.last)
            try store.remove("registry.local/app:1")
            #expect(FileManager.default.fileExists(atPath: store.blobPath(shared)), "a layer another image uses stays")
            try store.remove("app:2")
            #expect(!FileManager.default.fileExists(atPath: store.blobPath(shared)))
            #expect(throws: ImageError.self) { try store.remove("app:2") }
        }
    }

    @Test func onlyTheLayoutsOwnFilesAreUnpacked() {
        let hex = String(repeating: "a", count: 64)
        #expect(OCIArchive.isLayoutFile("index.json") && OCIArchive.isLayoutFile("blobs/sha256/\(hex)"))
        #expect(!OCIArchive.isLayoutFile("../index.json") && !OCIArchive.isLayoutFile("blobs/sha256/../../etc/passwd"))
        #expect(!OCIArchive.isLayoutFile("/etc/passwd") && !OCIArchive.isLayoutFile("blobs/sha256/\(hex)/x"))
    }
}
