import Foundation
import Synchronization

/// What a controller is waiting to see after its own writes: creations and deletions of
/// objects it asked for but its informer has not shown yet. Until they are seen (or a
/// timeout passes), the controller does not act on the same owner again, so a stale copy
/// never makes it create or delete twice (Kubernetes' ControllerExpectations).
public final class Expectations: Sendable {
    private struct Pending {
        var creations: Int
        var deletions: Set<String>
        var since: ContinuousClock.Instant
    }

    let timeout: Duration
    private let state = Mutex<[String: Pending]>([:])

    public init(timeout: Duration = .seconds(30)) {
        self.timeout = timeout
    }

    public func expect(_ owner: String, creations: Int = 0, deletions: Set<String> = []) {
        state.withLock { $0[owner] = Pending(creations: creations, deletions: deletions, since: .now) }
    }

    public func creationObserved(_ owner: String) {
        state.withLock { $0[owner]?.creations -= 1 }
    }

    /// One creation that will never be observed (its request failed).
    public func creationFailed(_ owner: String) {
        creationObserved(owner)
    }

    public func deletionObserved(_ owner: String, _ key: String) {
        state.withLock { _ = $0[owner]?.deletions.remove(key) }
    }

    /// Whether the owner may be acted on: nothing outstanding, or waited long enough.
    public func satisfied(_ owner: String) -> Bool {
        state.withLock { state in
            guard let pending = state[owner] else { return true }
            return (pending.creations <= 0 && pending.deletions.isEmpty) || ContinuousClock.now - pending.since > timeout
        }
    }

    public func forget(_ owner: String) {
        state.withLock { _ = $0.removeValue(forKey: owner) }
    }
}
