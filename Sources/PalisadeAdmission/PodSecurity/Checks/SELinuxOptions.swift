import PalisadeAPI

/// SELinux labels may pick one of the container types but not a custom user or role, which
/// could lift the container out of its confinement.
struct SELinuxOptionsCheck: PodSecurityCheck {
    let id = "seLinuxOptions"
    let level = PodSecurityLevel.baseline
    let revisions = [0, 31]

    private static let originalTypes: Set<String> = ["", "container_t", "container_init_t", "container_kvm_t"]
    private static let typesSince31 = originalTypes.union(["container_engine_t"])

    /// v1.31 admits `container_engine_t`, for container engines run inside containers.
    static func allowedTypes(revision: Int) -> Set<String> {
        revision >= 31 ? typesSince31 : originalTypes
    }

    func evaluate(_ pod: PodSecurityPod, revision: Int) -> PodSecurityViolation? {
        let allowedTypes = Self.allowedTypes(revision: revision)
        var badTypes: Set<String> = []
        var setUser = false
        var setRole = false
        let isBad = { (securityContext: JSONValue?) -> Bool in
            guard let options = securityContext?.present("seLinuxOptions") else { return false }
            var bad = false
            let type = options.present("type")?.stringValue ?? ""
            if !allowedTypes.contains(type) {
                badTypes.insert(type)
                bad = true
            }
            if !(options.present("user")?.stringValue ?? "").isEmpty {
                setUser = true
                bad = true
            }
            if !(options.present("role")?.stringValue ?? "").isEmpty {
                setRole = true
                bad = true
            }
            return bad
        }
        let podIsBad = isBad(pod.securityContext)
        guard let setters = Phrase.setters(pod: podIsBad, containers: pod.containerNames { isBad($0.securityContext) }) else {
            return nil
        }
        var problems: [String] = []
        if !badTypes.isEmpty {
            problems.append("\(Phrase.plural("type", "types", badTypes.count)) \(Phrase.quoted(badTypes.uniqueSortedBytewise()))")
        }
        if setUser { problems.append("user may not be set") }
        if setRole { problems.append("role may not be set") }
        return PodSecurityViolation(
            reason: "seLinuxOptions",
            detail: "\(setters) set forbidden securityContext.seLinuxOptions: \(problems.joined(separator: "; "))"
        )
    }
}
