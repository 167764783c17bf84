import Foundation
import Glibc

/// Keeps a container's log file within bounds while it runs, as the kubelet's log rotation
/// does: once the file passes `limit`, its content moves to `<file>.1` (replacing the one
/// before) and the file starts again from empty. The container writes with O_APPEND, so it
/// carries on at the new end; what it writes during the copy can be lost. A node keeps at
/// most two files of `limit` per container instance.
struct ContainerLogCap: Sendable {
    let path: String
    let limit: Int64

    /// Checks every `interval` until cancelled.
    func watch(every interval: Duration = .seconds(2)) async {
        while (try? await Task.sleep(for: interval)) != nil {
            rotateIfFull()
        }
    }

    /// Moves the content aside and empties the file when it is over the limit; true if it did.
    @discardableResult
    func rotateIfFull() -> Bool {
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value, size > limit else {
            return false
        }
        let aside = path + ".1"
        try? FileManager.default.removeItem(atPath: aside)
        guard (try? FileManager.default.copyItem(atPath: path, toPath: aside)) != nil else { return false }
        return truncate(path, 0) == 0
    }
}
