import Foundation
import PalisadeAgent
import Testing

/// The crash-loop back-off: 10 s doubling to a 5 minute cap, forgotten after 10 quiet minutes.
@Suite struct RestartBackoffTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// Exits `count` times, each a second after the container was allowed to start again.
    static func crashLoop(_ count: Int, backoff: inout RestartBackoff) -> [TimeInterval] {
        var now = start
        var delays: [TimeInterval] = []
        for _ in 0..<count {
            let delay = backoff.containerExited("pod/app", startedAt: now, finishedAt: now.addingTimeInterval(1))
            delays.append(delay)
            now = now.addingTimeInterval(1 + delay)
        }
        return delays
    }

    @Test func delaysDoubleFromTenSecondsUpToFiveMinutes() {
        var backoff = RestartBackoff()
        #expect(Self.crashLoop(8, backoff: &backoff) == [10, 20, 40, 80, 160, 300, 300, 300])
    }

    @Test func theContainerWaitsOutItsDelay() {
        var backoff = RestartBackoff()
        let exit = Self.start.addingTimeInterval(5)
        #expect(backoff.remainingDelay(for: "pod/app", at: exit) == 0)
        backoff.containerExited("pod/app", startedAt: Self.start, finishedAt: exit)
        #expect(backoff.remainingDelay(for: "pod/app", at: exit.addingTimeInterval(4)) == 6)
        #expect(backoff.remainingDelay(for: "pod/app", at: exit.addingTimeInterval(10)) == 0)
        #expect(backoff.remainingDelay(for: "pod/other", at: exit) == 0)
        #expect(backoff.message(for: "pod/app", containerName: "app", podName: "web-1") == "back-off 10s restarting failed container=app pod=web-1")
    }

    @Test func tenMinutesOfRunningResetsTheDelay() {
        var backoff = RestartBackoff()
        backoff.containerExited("k", startedAt: Self.start, finishedAt: Self.start.addingTimeInterval(1))
        backoff.containerExited("k", startedAt: Self.start.addingTimeInterval(11), finishedAt: Self.start.addingTimeInterval(12))
        #expect(backoff.currentDelay(for: "k") == 20)
        // Ran 9 minutes: still counts as the same crash loop.
        let restarted = Self.start.addingTimeInterval(32)
        #expect(backoff.containerExited("k", startedAt: restarted, finishedAt: restarted.addingTimeInterval(540)) == 40)
        // Ran 10 minutes: a fresh start.
        let later = restarted.addingTimeInterval(600)
        #expect(backoff.containerExited("k", startedAt: later, finishedAt: later.addingTimeInterval(600)) == 10)
    }

    @Test func tenMinutesBetweenExitsResetsTheDelayToo() {
        var backoff = RestartBackoff()
        backoff.containerExited("k", startedAt: nil, finishedAt: Self.start)
        backoff.containerExited("k", startedAt: nil, finishedAt: Self.start.addingTimeInterval(30))
        #expect(backoff.currentDelay(for: "k") == 20)
        #expect(backoff.containerExited("k", startedAt: nil, finishedAt: Self.start.addingTimeInterval(700)) == 10)
        backoff.forget("k")
        #expect(backoff.currentDelay(for: "k") == 0)
    }

    @Test func aCustomPolicyIsHonoured() {
        var backoff = RestartBackoff(policy: .init(initial: 1, maximum: 4, resetAfter: 60))
        #expect(Self.crashLoop(5, backoff: &backoff) == [1, 2, 4, 4, 4])
        #expect(backoff.message(for: "pod/app", containerName: "app", podName: "p").hasPrefix("back-off 4s"))
    }

    @Test(
        arguments: [
            ("Always", 0, true), ("Always", 1, true), (nil, 0, true), ("OnFailure", 0, false), ("OnFailure", 137, true),
            ("Never", 0, false), ("Never", 1, false),
        ] as [(String?, Int32, Bool)])
    func restartPolicyDecidesWhetherAnExitedContainerRunsAgain(policy: String?, exitCode: Int32, restarts: Bool) {
        #expect(RestartBackoff.shouldRestart(restartPolicy: policy, exitCode: exitCode) == restarts)
    }
}
