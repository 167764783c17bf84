import Foundation
import Glibc

/// What `lstat(2)` says about a path, read through Foundation. Swift code here never touches
/// the fields of `struct stat`: several C modules (Glibc, CoreFoundation, CDispatch) declare
/// it, and under MemberImportVisibility the fields belong to whichever one loaded first.
struct FileFacts: Equatable {
    var type: FileAttributeType
    var device: UInt64
    var inode: UInt64

    /// Facts about `path` itself (a final link is not followed); nil when nothing is there.
    static func of(_ path: String) -> FileFacts? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let type = attributes[.type] as? FileAttributeType
        else { return nil }
        let device = (attributes[.systemNumber] as? NSNumber)?.uint64Value ?? 0
        let inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
        return FileFacts(type: type, device: device, inode: inode)
    }

    /// Facts about what `path` names once every link is followed.
    static func resolving(_ path: String) -> FileFacts? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return of(String(cString: resolved))
    }
}
