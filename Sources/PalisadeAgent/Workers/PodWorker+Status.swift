import Foundation
import Logging
import PalisadeAPI
import PalisadeControllers

/// The pod's status: each container's state kept, and the whole reported when it changed.
extension PodWorker {
    func update(_ container: PodContainer, _ change: (inout ContainerRuntimeState) -> Void) {
        var state = states[container.name] ?? ContainerRuntimeState(name: container.name, state: .waiting(reason: "ContainerCreating", message: nil))
        change(&state)
        states[container.name] = state
    }

    /// Sends the pod's status when it changed since the last report. One report is on its way
    /// at a time, so they reach the server in order: a report asked for meanwhile is folded
    /// into one more send of the then newest status.
    func report() async {
        guard !reporting else {
            reportAgain = true
            return
        }
        reporting = true
        defer { reporting = false }
        repeat {
            reportAgain = false
            await send()
        } while reportAgain
    }

    private func send() async {
        let initNames = Set(PodContainer.initContainers(of: pod).map(\.name))
        let runtime = PodRuntimeState(
            containers: states.values.filter { !initNames.contains($0.name) },
            initContainers: states.values.filter { initNames.contains($0.name) },
            sandboxReady: sandbox != nil, hostIPs: [services.nodeAddress], startTime: startTime
        )
        let status = PodStatusBuilder().status(for: pod, runtime: runtime)
        guard status != lastReported else { return }
        do {
            let updated = try await services.client.patch(podPath + "/status", ["status": status])
            lastReported = status
            // The reported status is the previous one for the next report's transition times.
            if updated.uid == uid { pod = updated }
        } catch let failure as APIFailure where failure.isNotFound {
            return
        } catch {
            logger.warning("pod status not reported", metadata: ["error": "\(error)"])
        }
    }
}
