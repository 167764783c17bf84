import Foundation
import Glibc
import PalisadeAPI

/// A `hostPath` volume's `type`, checked (or created) before the path is bound into a
/// container, as the kubelet checks it. Whether the pod may use hostPath at all is the API
/// server's decision (PodSecurity), not this one's. Links are followed, as the kubelet does.
enum HostPathCheck {
    static func check(_ path: String, type: String, at field: FieldPath) throws(PodConfigError) {
        guard path.hasPrefix("/") else { throw PodConfigError(.invalidSpec, at: field.child("path"), "must be an absolute path") }
        func failed(_ what: String) -> PodConfigError {
            PodConfigError(.hostPathType, at: field.child("type"), "hostPath type check failed: \(path) is not \(what)")
        }
        switch type {
        case "":
            return
        case "DirectoryOrCreate":
            if fileType(path) == nil {
                do {
                    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
                } catch {
                    throw PodConfigError(.fileSystem, at: field, "creating \(path): \(error.localizedDescription)")
                }
            }
            guard fileType(path) == .typeDirectory else { throw failed("a directory") }
        case "Directory":
            guard fileType(path) == .typeDirectory else { throw failed("a directory") }
        case "FileOrCreate":
            // As in Kubernetes, the parent directory must already exist.
            if fileType(path) == nil {
                let file = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
                guard file >= 0 || errno == EEXIST else {
                    throw PodConfigError(.fileSystem, at: field, "creating \(path): \(String(cString: strerror(errno)))")
                }
                if file >= 0 {
                    fchmod(file, 0o644)
                    close(file)
                }
            }
            guard fileType(path) == .typeRegular else { throw failed("a file") }
        case "File":
            guard fileType(path) == .typeRegular else { throw failed("a file") }
        case "Socket":
            guard fileType(path) == .typeSocket else { throw failed("a socket file") }
        case "CharDevice":
            guard fileType(path) == .typeCharacterSpecial else { throw failed("a character device") }
        case "BlockDevice":
            guard fileType(path) == .typeBlockSpecial else { throw failed("a block device") }
        default:
            throw PodConfigError(.invalidSpec, at: field.child("type"), "unsupported hostPath type \"\(type)\"")
        }
    }

    /// The type of what `path` names (links followed), nil when nothing is there.
    private static func fileType(_ path: String) -> FileAttributeType? {
        FileFacts.resolving(path)?.type
    }
}
