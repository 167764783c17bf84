import Foundation
import Glibc
import PalisadeRuntime

/// For a pod in a user namespace: every file of a fresh root file system moved up by the
/// namespace's host base, so the container's root owns what the image's root owned.
enum RootfsOwnership {
    static func shift(_ root: String, by base: UInt32) throws {
        guard let walker = FileManager.default.enumerator(atPath: root) else { throw ContainerConfigError("cannot read \(root)") }
        try shiftOne(root, by: base)
        while let relative = walker.nextObject() as? String {
            try shiftOne("\(root)/\(relative)", by: base)
        }
    }

    private static func shiftOne(_ path: String, by base: UInt32) throws {
        // The attributes of the entry itself, a link not followed.
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let owner = (attributes[.ownerAccountID] as? NSNumber)?.uint32Value,
              let group = (attributes[.groupOwnerAccountID] as? NSNumber)?.uint32Value
        else { return }
        guard lchown(path, owner + base, group + base) == 0 else {
            throw ContainerConfigError("cannot change the owner of \(path): \(String(cString: strerror(errno)))")
        }
        // lchown clears set-user-ID and set-group-ID bits; a regular file gets its mode back.
        if attributes[.type] as? FileAttributeType == .typeRegular, let mode = (attributes[.posixPermissions] as? NSNumber)?.uint16Value,
           mode & 0o6000 != 0
        {
            chmod(path, mode_t(mode))
        }
    }
}
