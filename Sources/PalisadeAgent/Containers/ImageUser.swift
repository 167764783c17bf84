import Foundation
import PalisadeRuntime

/// The image config's `User` (`uid`, `uid:gid`, `name` or `name:group`) as numbers, names
/// looked up in the root file system's /etc/passwd and /etc/group. Nil for an empty user
/// (root, unless the pod says otherwise).
enum ImageUser {
    static func resolve(_ user: String, rootfs: String) throws(ContainerConfigError) -> (uid: UInt32, gid: UInt32?)? {
        guard !user.isEmpty else { return nil }
        let parts = user.split(separator: ":", maxSplits: 1).map(String.init)
        let passwd = entries("/etc/passwd", in: rootfs)
        let uid: UInt32
        var gid: UInt32?
        if let number = UInt32(parts[0]) {
            uid = number
            gid = passwd.first { $0[2] == parts[0] }.flatMap { UInt32($0[3]) }
        } else if let entry = passwd.first(where: { $0[0] == parts[0] }), let number = UInt32(entry[2]) {
            uid = number
            gid = UInt32(entry[3])
        } else {
            throw ContainerConfigError("image user \"\(parts[0])\" is not in the image's /etc/passwd")
        }
        if parts.count == 2 {
            if let number = UInt32(parts[1]) {
                gid = number
            } else if let entry = entries("/etc/group", in: rootfs).first(where: { $0[0] == parts[1] }), let number = UInt32(entry[2]) {
                gid = number
            } else {
                throw ContainerConfigError("image group \"\(parts[1])\" is not in the image's /etc/group")
            }
        }
        return (uid, gid)
    }

    /// The colon-separated lines of a passwd-like file with at least four fields, read
    /// where the container will see it (links resolved inside its root).
    private static func entries(_ path: String, in rootfs: String) -> [[String]] {
        let text = (try? RootPath.hostPath(path, in: rootfs)).flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? ""
        return text.split(separator: "\n").map { $0.split(separator: ":", omittingEmptySubsequences: false).map(String.init) }.filter { $0.count >= 4 }
    }
}
