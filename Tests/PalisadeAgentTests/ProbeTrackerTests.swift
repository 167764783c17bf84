import Foundation
import PalisadeAgent
import Testing

/// The probe state machine: thresholds, initial delays, startup gating and restarts, fed
/// results at chosen times (no clock, no sockets).
@Suite struct ProbeTrackerTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static func at(_ seconds: TimeInterval) -> Date { start.addingTimeInterval(seconds) }
    static let tcp = Probe.Action.tcpSocket(port: 80, host: nil)

    @Test func withoutProbesAContainerIsStartedAndReadyAtOnce() {
        let tracker = ProbeTracker(probes: ContainerProbes(), containerStartedAt: Self.start)
        #expect(tracker.isStarted && tracker.isReady && tracker.activeProbes.isEmpty && tracker.nextRun == nil)
    }

    @Test func readinessNeedsItsSuccessThresholdAndDropsAfterItsFailureThreshold() {
        var tracker = ProbeTracker(
            probes: ContainerProbes(readiness: Probe(action: Self.tcp, successThreshold: 2, failureThreshold: 3)), containerStartedAt: Self.start)
        #expect(tracker.isStarted && !tracker.isReady)
        #expect(tracker.record(.success, of: .readiness, at: Self.at(0)) == .none)
        #expect(tracker.record(.success, of: .readiness, at: Self.at(10)) == .statusChanged)
        #expect(tracker.isReady)
        #expect(tracker.record(.failure("refused"), of: .readiness, at: Self.at(20)) == .none)
        #expect(tracker.record(.failure("refused"), of: .readiness, at: Self.at(30)) == .none)
        #expect(tracker.record(.success, of: .readiness, at: Self.at(40)) == .none)  // the failure streak is broken
        #expect(tracker.isReady)
        for second in [50.0, 60] { #expect(tracker.record(.failure("x"), of: .readiness, at: Self.at(second)) == .none) }
        #expect(tracker.record(.failure("x"), of: .readiness, at: Self.at(70)) == .statusChanged)
        #expect(!tracker.isReady && !tracker.needsRestart)
    }

    @Test func livenessRestartsAfterItsFailureThresholdWithItsGracePeriod() {
        var tracker = ProbeTracker(
            probes: ContainerProbes(liveness: Probe(action: Self.tcp, failureThreshold: 2, terminationGracePeriodSeconds: 5)),
            containerStartedAt: Self.start)
        #expect(tracker.record(.failure("connection refused"), of: .liveness, at: Self.at(10)) == .none)
        #expect(
            tracker.record(.failure("connection refused"), of: .liveness, at: Self.at(20))
                == .restart(message: "Liveness probe failed: connection refused", terminationGracePeriodSeconds: 5))
        #expect(tracker.needsRestart && !tracker.isReady && tracker.activeProbes.isEmpty)
        #expect(tracker.record(.failure("x"), of: .liveness, at: Self.at(30)) == .none)
    }

    @Test func resultsBeforeTheInitialDelayDoNotCount() {
        var tracker = ProbeTracker(
            probes: ContainerProbes(liveness: Probe(action: Self.tcp, initialDelaySeconds: 30, failureThreshold: 1)), containerStartedAt: Self.start)
        #expect(tracker.dueProbes(at: Self.at(29)) == [])
        #expect(tracker.dueProbes(at: Self.at(30)) == [.liveness])
        #expect(tracker.record(.failure("x"), of: .liveness, at: Self.at(10)) == .none)
        #expect(!tracker.needsRestart)
        if case .restart = tracker.record(.failure("x"), of: .liveness, at: Self.at(30)) {} else { Issue.record("expected a restart") }
    }

    @Test func probesAreDueEveryPeriodAfterTheirLastRun() {
        var tracker = ProbeTracker(
            probes: ContainerProbes(liveness: Probe(action: Self.tcp, periodSeconds: 5), readiness: Probe(action: Self.tcp, initialDelaySeconds: 2)),
            containerStartedAt: Self.start)
        #expect(tracker.dueProbes(at: Self.at(0)) == [.liveness])
        #expect(tracker.nextRun(of: .readiness) == Self.at(2))
        _ = tracker.record(.success, of: .liveness, at: Self.at(0))
        _ = tracker.record(.success, of: .readiness, at: Self.at(2))
        #expect(tracker.nextRun == Self.at(5))
        #expect(tracker.dueProbes(at: Self.at(5)) == [.liveness])
        #expect(tracker.dueProbes(at: Self.at(12)) == [.liveness, .readiness])
    }

    @Test func aStartupProbeGatesLivenessAndReadiness() {
        var tracker = ProbeTracker(
            probes: ContainerProbes(
                liveness: Probe(action: Self.tcp, failureThreshold: 1), readiness: Probe(action: Self.tcp),
                startup: Probe(action: Self.tcp, periodSeconds: 1, failureThreshold: 30)),
            containerStartedAt: Self.start)
        #expect(!tracker.isStarted && !tracker.isReady && tracker.activeProbes == [.startup])
        #expect(tracker.record(.failure("x"), of: .liveness, at: Self.at(1)) == .none)  // not running yet: ignored
        #expect(!tracker.needsRestart)
        #expect(tracker.record(.failure("not yet"), of: .startup, at: Self.at(1)) == .none)
        #expect(tracker.record(.success, of: .startup, at: Self.at(2)) == .statusChanged)
        #expect(tracker.isStarted && !tracker.isReady && tracker.activeProbes == [.liveness, .readiness])
        #expect(tracker.record(.success, of: .readiness, at: Self.at(3)) == .statusChanged)
        #expect(tracker.isReady)
    }

    @Test func withoutAReadinessProbeTheContainerIsReadyOnceStarted() {
        var tracker = ProbeTracker(probes: ContainerProbes(startup: Probe(action: Self.tcp)), containerStartedAt: Self.start)
        #expect(!tracker.isReady)
        #expect(tracker.record(.success, of: .startup, at: Self.at(0)) == .statusChanged)
        #expect(tracker.isStarted && tracker.isReady && tracker.activeProbes.isEmpty)
    }

    @Test func aFailingStartupProbeRestartsTheContainer() {
        var tracker = ProbeTracker(probes: ContainerProbes(startup: Probe(action: Self.tcp, failureThreshold: 3)), containerStartedAt: Self.start)
        for second in [0.0, 10] { #expect(tracker.record(.failure("refused"), of: .startup, at: Self.at(second)) == .none) }
        #expect(
            tracker.record(.failure("refused"), of: .startup, at: Self.at(20))
                == .restart(message: "Startup probe failed: refused", terminationGracePeriodSeconds: nil))
        #expect(!tracker.isStarted && tracker.needsRestart)
    }
}
