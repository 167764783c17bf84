import NIOCore
import PalisadeAuth
import Synchronization

/// The user of each open connection, worked out from its client certificate once and
/// reused for every request on that keep-alive connection; forgotten when it closes.
final class ConnectionIdentities: Sendable {
    private let users = Mutex<[ObjectIdentifier: UserInfo]>([:])

    func user(of channel: any Channel) -> UserInfo? {
        users.withLock { $0[ObjectIdentifier(channel)] }
    }

    func remember(_ user: UserInfo, for channel: any Channel) {
        let id = ObjectIdentifier(channel)
        users.withLock { $0[id] = user }
        // The channel object stays alive until this runs, so its identifier cannot be reused before.
        channel.closeFuture.whenComplete { [weak self] _ in
            _ = self?.users.withLock { $0.removeValue(forKey: id) }
        }
    }

    var count: Int { users.withLock { $0.count } }
}
