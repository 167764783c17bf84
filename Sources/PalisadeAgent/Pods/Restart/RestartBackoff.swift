import Foundation

/// The kubelet's crash-loop back-off, per container: after an exit the container may start
/// again only once a delay has passed; 10 s after the first exit, doubling with each exit
/// after it up to 5 minutes. A container that ran 10 minutes before exiting (or exits 10
/// minutes after the previous exit) starts over at 10 s.
///
/// A value with no clock of its own: every method takes the time, so tests drive it.
/// While ``remainingDelay(for:at:)`` is positive the container's waiting reason is
/// `CrashLoopBackOff`, with the message ``message(for:containerName:podName:)``.
public struct RestartBackoff: Sendable, Equatable {
    /// The delays, in seconds. ``kubelet`` is what the kubelet uses.
    public struct Policy: Sendable, Equatable {
        public var initial: TimeInterval
        public var maximum: TimeInterval
        /// Running (or staying exited) this long without trouble forgets earlier exits.
        public var resetAfter: TimeInterval

        public init(initial: TimeInterval = 10, maximum: TimeInterval = 300, resetAfter: TimeInterval = 600) {
            self.initial = initial
            self.maximum = maximum
            self.resetAfter = resetAfter
        }

        public static let kubelet = Policy()
    }

    private struct Entry: Sendable, Equatable {
        var delay: TimeInterval
        var exitedAt: Date
    }

    public let policy: Policy
    private var entries: [String: Entry] = [:]

    public init(policy: Policy = .kubelet) {
        self.policy = policy
    }

    /// Records that the container `key` (say `<pod uid>/<name>`) exited at `finishedAt` after
    /// starting at `startedAt`, and returns the delay before it may start again.
    @discardableResult
    public mutating func containerExited(_ key: String, startedAt: Date?, finishedAt: Date) -> TimeInterval {
        let ranLong = startedAt.map { finishedAt.timeIntervalSince($0) >= policy.resetAfter } ?? false
        let delay: TimeInterval
        if let previous = entries[key], !ranLong, finishedAt.timeIntervalSince(previous.exitedAt) < policy.resetAfter {
            delay = min(previous.delay * 2, policy.maximum)
        } else {
            delay = policy.initial
        }
        entries[key] = Entry(delay: delay, exitedAt: finishedAt)
        return delay
    }

    /// How long the container must still wait at `now`; zero when it may start.
    public func remainingDelay(for key: String, at now: Date) -> TimeInterval {
        guard let entry = entries[key] else { return 0 }
        return max(0, entry.exitedAt.addingTimeInterval(entry.delay).timeIntervalSince(now))
    }

    /// The current delay of `key` (zero if it never exited), as in the back-off message.
    public func currentDelay(for key: String) -> TimeInterval {
        entries[key]?.delay ?? 0
    }

    /// `back-off 40s restarting failed container=app pod=web-1`, as the kubelet words it.
    public func message(for key: String, containerName: String, podName: String) -> String {
        "back-off \(Self.format(currentDelay(for: key))) restarting failed container=\(containerName) pod=\(podName)"
    }

    /// Forgets a container (its pod is gone).
    public mutating func forget(_ key: String) {
        entries[key] = nil
    }

    /// Whether a container that exited with `exitCode` is started again under the pod's
    /// `restartPolicy`: always for `Always` (the default), on a non-zero exit for `OnFailure`,
    /// never for `Never`.
    public static func shouldRestart(restartPolicy: String?, exitCode: Int32) -> Bool {
        switch restartPolicy ?? "Always" {
        case "Never": false
        case "OnFailure": exitCode != 0
        default: true
        }
    }

    /// `10s`, `1m20s`, `5m0s`, as Go prints durations.
    static func format(_ seconds: TimeInterval) -> String {
        let whole = Int(seconds.rounded())
        return whole < 60 ? "\(whole)s" : "\(whole / 60)m\(whole % 60)s"
    }
}
