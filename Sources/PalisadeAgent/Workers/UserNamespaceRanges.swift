import Synchronization

/// Host ID ranges for pods with `hostUsers: false`: 65536 IDs each, from 65536·(slot+1),
/// no two pods of the node sharing one, so root in one pod is nobody in another.
final class UserNamespaceRanges: Sendable {
    static let size: UInt32 = 65_536
    private let slots: Int
    private let owners = Mutex<[String: Int]>([:])

    init(slots: Int = 1024) {
        self.slots = slots
    }

    func reserve(_ pod: String) throws -> (hostBase: UInt32, size: UInt32) {
        let slot = try owners.withLock { owners throws(ContainerConfigError) -> Int in
            if let slot = owners[pod] { return slot }
            let taken = Set(owners.values)
            guard let free = (0..<slots).first(where: { !taken.contains($0) }) else {
                throw ContainerConfigError("no user namespace range is free on this node")
            }
            owners[pod] = free
            return free
        }
        return (UInt32(slot + 1) * Self.size, Self.size)
    }

    func release(_ pod: String) {
        _ = owners.withLock { $0.removeValue(forKey: pod) }
    }
}
