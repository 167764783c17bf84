import PalisadeAPI

/// A hostPath volume exposes the node's filesystem to the pod.
struct HostPathVolumesCheck: PodSecurityCheck {
    let id = "hostPathVolumes"
    let level = PodSecurityLevel.baseline
    let revisions = [0]

    func evaluate(_ pod: PodSecurityPod, revision: Int) -> PodSecurityViolation? {
        let names = pod.volumes.filter { $0.present("hostPath") != nil }.map { $0.present("name")?.stringValue ?? "" }
        guard !names.isEmpty else { return nil }
        return PodSecurityViolation(
            reason: "hostPath volumes", detail: "\(Phrase.plural("volume", "volumes", names.count)) \(Phrase.quoted(names))")
    }
}
