import ArgumentParser
import Foundation
import PalisadeRuntime

/// `palisade image import|ls|rm`: the node's local OCI image store. Images are imported
/// from OCI layouts (a directory, or a tar of one), every blob checked against its digest;
/// Palisade never pulls from a registry.
struct ImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image", abstract: "The local OCI image store.", subcommands: [Import.self, List.self, Remove.self]
    )

    struct StoreOptions: ParsableArguments {
        @Option(help: "The image store directory.")
        var store = "var/images"

        var images: ImageStore { ImageStore(root: store) }
    }

    static func failing<T>(_ body: () throws(ImageError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw ValidationError(error.description)
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import the images of an OCI layout (directory or tar file).")

        @OptionGroup var options: StoreOptions

        @Option(help: "The name of the layout's only image, when its index does not name it.")
        var name: String?

        @Argument(help: "An OCI image layout directory, or a tar file of one.")
        var path: String

        func run() throws {
            for image in try ImageCommand.failing({ () throws(ImageError) in try options.images.importImages(from: path, name: name) }) {
                print("imported \(image.name) \(image.manifest) (\(image.blobs.count - 2) layers, \(image.size) bytes)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List imported images.")

        @OptionGroup var options: StoreOptions

        func run() throws {
            let images = try ImageCommand.failing { () throws(ImageError) in try options.images.list() }
            let width = max(4, images.map(\.name.count).max() ?? 0)
            print("NAME".padding(toLength: width, withPad: " ", startingAt: 0) + "  MANIFEST                                                                 SIZE")
            for image in images {
                print("\(image.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(image.manifest)  \(image.size)")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove an image (and blobs nothing else uses).")

        @OptionGroup var options: StoreOptions

        @Argument(help: "The image name, e.g. busybox:latest.")
        var name: String

        func run() throws {
            try ImageCommand.failing { () throws(ImageError) in try options.images.remove(name) }
            print("removed \(ImageReference.normalized(name))")
        }
    }
}
