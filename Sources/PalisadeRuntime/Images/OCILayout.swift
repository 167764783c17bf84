import Foundation
import PalisadeAPI

/// An OCI image layout on disk (`oci-layout`, `index.json`, `blobs/sha256/…`), read with
/// every blob checked against its digest and size: the manifests the index names, and for
/// each the config and layers it names.
struct OCILayout {
    /// One image of the layout, verified.
    struct Image {
        let name: String
        let manifest: ContentDigest
        let blobs: [ContentDigest]
        let size: Int64
    }

    static let manifestTypes: Set<String> = ["application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json"]
    static let refName = "org.opencontainers.image.ref.name"

    let directory: String

    /// The images of the layout: those whose index entry has a name, or all under `name`
    /// when the layout holds one image.
    func images(named name: String?) throws(ImageError) -> [Image] {
        let layout = try json(at: "oci-layout")
        guard layout["imageLayoutVersion"]?.stringValue == "1.0.0" else { throw ImageError("\(directory): not an OCI image layout (oci-layout version)") }
        let entries = try json(at: "index.json")["manifests"]?.arrayValue ?? []
        guard !entries.isEmpty else { throw ImageError("\(directory): index.json lists no image") }
        if name != nil && entries.count > 1 { throw ImageError("\(directory): holds \(entries.count) images; --name needs exactly one") }
        return try entries.enumerated().map { index, entry throws(ImageError) in
            guard let imageName = name ?? entry[path: ["annotations", Self.refName]]?.stringValue else {
                throw ImageError("\(directory): index.json manifests[\(index)] has no \(Self.refName); give one with --name")
            }
            guard Self.manifestTypes.contains(entry["mediaType"]?.stringValue ?? "") else {
                throw ImageError("\(directory): manifests[\(index)] is \(entry["mediaType"]?.stringValue ?? "untyped"), not an image manifest (multi-platform indexes are not supported)")
            }
            let manifestDigest = try verified(entry, at: "index.json manifests[\(index)]")
            let manifest = try json(at: blobPath(manifestDigest))
            var blobs = [manifestDigest]
            var size = entry["size"]?.intValue ?? 0
            let layers = manifest["layers"]?.arrayValue ?? []
            for (position, descriptor) in ([manifest["config"] ?? .null] + layers).enumerated() {
                let what = position == 0 ? "config" : "layers[\(position - 1)]"
                blobs.append(try verified(descriptor, at: "manifest \(manifestDigest) \(what)"))
                size += descriptor["size"]?.intValue ?? 0
            }
            return Image(name: ImageReference.normalized(imageName), manifest: manifestDigest, blobs: blobs, size: size)
        }
    }

    func blobPath(_ digest: ContentDigest) -> String { "blobs/sha256/\(digest.hex)" }

    /// The digest a descriptor names, once its blob is found with that digest and size.
    private func verified(_ descriptor: JSONValue, at place: String) throws(ImageError) -> ContentDigest {
        guard let text = descriptor["digest"]?.stringValue, let digest = ContentDigest(text) else {
            throw ImageError("\(place): digest missing or not sha256")
        }
        let path = "\(directory)/\(blobPath(digest))"
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path), let size = attributes[.size] as? Int64 else {
            throw ImageError("\(place): blob \(digest) is missing")
        }
        if let expected = descriptor["size"]?.intValue, expected != size {
            throw ImageError("\(place): blob \(digest) has \(size) bytes, the descriptor says \(expected)")
        }
        let actual: ContentDigest
        do {
            actual = try ContentDigest.of(file: path)
        } catch {
            throw ImageError("\(place): blob \(digest) cannot be read")
        }
        guard actual == digest else { throw ImageError("\(place): blob \(digest) does not match its content (\(actual))") }
        return digest
    }

    private func json(at relative: String) throws(ImageError) -> JSONValue {
        guard let data = FileManager.default.contents(atPath: "\(directory)/\(relative)") else { throw ImageError("\(directory): \(relative) is missing") }
        do {
            return try JSONParser.parse(Array(data))
        } catch {
            throw ImageError("\(directory): \(relative) is not JSON: \(error)")
        }
    }
}
