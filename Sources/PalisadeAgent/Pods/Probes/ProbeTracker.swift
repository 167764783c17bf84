import Foundation

/// The probe state of one running container, as the kubelet's probe workers keep it: fed
/// probe results with their times, it says whether the container has started, is ready, or
/// must be restarted. One tracker per container start; a restarted container gets a new one.
///
/// - A startup probe gates the others: until it succeeds, liveness and readiness are not
///   run and the container is neither started nor ready; `failureThreshold` consecutive
///   failures restart the container. Without one the container is started at once.
/// - Readiness starts false when there is a readiness probe, and flips after
///   `successThreshold` consecutive successes or `failureThreshold` consecutive failures.
///   Without one, the container is ready once started.
/// - Liveness: `failureThreshold` consecutive failures restart the container.
/// - No probe counts before `initialDelaySeconds` after the container started; each is due
///   every `periodSeconds` after its last run.
public struct ProbeTracker: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case startup, liveness, readiness
    }

    /// What the caller should do after a result.
    public enum Action: Sendable, Equatable {
        case none
        /// ``isStarted`` or ``isReady`` changed: write the pod's status.
        case statusChanged
        /// Kill and restart the container (`Liveness probe failed: …`); use the probe's grace period when set.
        case restart(message: String, terminationGracePeriodSeconds: Int64?)
    }

    private struct Streak: Sendable, Equatable {
        var successes = 0
        var failures = 0
        var lastRun: Date?
    }

    public let probes: ContainerProbes
    public let containerStartedAt: Date
    public private(set) var isStarted: Bool
    public private(set) var isReady: Bool
    /// Set once a startup or liveness probe failed for good; no probe runs after that.
    public private(set) var needsRestart = false
    private var streaks: [Kind: Streak] = [:]

    public init(probes: ContainerProbes, containerStartedAt: Date) {
        self.probes = probes
        self.containerStartedAt = containerStartedAt
        isStarted = probes.startup == nil
        isReady = isStarted && probes.readiness == nil
    }

    public func probe(_ kind: Kind) -> Probe? {
        switch kind {
        case .startup: probes.startup
        case .liveness: probes.liveness
        case .readiness: probes.readiness
        }
    }

    /// The probes that run in the container's current state.
    public var activeProbes: [Kind] {
        guard !needsRestart else { return [] }
        let kinds: [Kind] = isStarted ? [.liveness, .readiness] : [.startup]
        return kinds.filter { probe($0) != nil }
    }

    /// When `kind` is next due: its initial delay after the start, then a period after its last run.
    public func nextRun(of kind: Kind) -> Date? {
        guard activeProbes.contains(kind), let probe = probe(kind) else { return nil }
        let earliest = containerStartedAt.addingTimeInterval(TimeInterval(probe.initialDelaySeconds))
        guard let lastRun = streaks[kind]?.lastRun else { return earliest }
        return max(earliest, lastRun.addingTimeInterval(TimeInterval(probe.periodSeconds)))
    }

    /// The probes to run at `now`.
    public func dueProbes(at now: Date) -> [Kind] {
        activeProbes.filter { nextRun(of: $0).map { $0 <= now } ?? false }
    }

    /// The earliest time any probe is due (for sleeping until then); nil when none will run.
    public var nextRun: Date? {
        activeProbes.compactMap { nextRun(of: $0) }.min()
    }

    /// Feeds the result of a `kind` probe that ran at `time`. Results of probes that are not
    /// active, or from before the probe's initial delay, are ignored.
    public mutating func record(_ result: ProbeResult, of kind: Kind, at time: Date) -> Action {
        guard activeProbes.contains(kind), let probe = probe(kind) else { return .none }
        guard time.timeIntervalSince(containerStartedAt) >= TimeInterval(probe.initialDelaySeconds) else { return .none }
        var streak = streaks[kind] ?? Streak()
        streak.lastRun = time
        if result.succeeded {
            streak.successes += 1
            streak.failures = 0
        } else {
            streak.failures += 1
            streak.successes = 0
        }
        streaks[kind] = streak
        let (wasStarted, wasReady) = (isStarted, isReady)

        switch kind {
        case .startup:
            if streak.successes >= probe.successThreshold {
                isStarted = true
                isReady = probes.readiness == nil
            } else if streak.failures >= probe.failureThreshold {
                return restart(probe, "Startup", result)
            }
        case .liveness:
            if streak.failures >= probe.failureThreshold { return restart(probe, "Liveness", result) }
        case .readiness:
            if streak.successes >= probe.successThreshold {
                isReady = true
            } else if streak.failures >= probe.failureThreshold {
                isReady = false
            }
        }
        return isStarted != wasStarted || isReady != wasReady ? .statusChanged : .none
    }

    private mutating func restart(_ probe: Probe, _ name: String, _ result: ProbeResult) -> Action {
        needsRestart = true
        isReady = false
        var message = "\(name) probe failed"
        if case .failure(let reason) = result, !reason.isEmpty { message += ": \(reason)" }
        return .restart(message: message, terminationGracePeriodSeconds: probe.terminationGracePeriodSeconds)
    }
}
