import Foundation
import Glibc

/// The pod's `fsGroup` given to a volume, as the kubelet gives it: everything in it belongs
/// to that group, which may read it (and write it, unless the volume is read-only), and new
/// files in its directories inherit the group (set-group-ID). Links are changed themselves,
/// never followed.
enum VolumeOwnership {
    static func apply(group: gid_t, to directory: String, readOnly: Bool) throws(PodConfigError) {
        let entries = (FileManager.default.enumerator(atPath: directory)?.allObjects as? [String] ?? []).map { "\(directory)/\($0)" }
        for path in [directory] + entries {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  let type = attributes[.type] as? FileAttributeType,
                  let mode = (attributes[.posixPermissions] as? NSNumber).map({ mode_t($0.uint16Value) })
            else { continue }
            guard lchown(path, UInt32.max, group) == 0 else {
                throw PodConfigError(.fileSystem, "giving \(path) to group \(group): \(String(cString: strerror(errno)))")
            }
            let groupAccess: mode_t = readOnly ? 0o040 : 0o060
            switch type {
            case .typeDirectory: chmod(path, mode | groupAccess | 0o010 | S_ISGID)
            case .typeRegular: chmod(path, mode | groupAccess)
            default: continue
            }
        }
    }
}
