import PalisadeAPI

/// AppArmor confines what a container may touch; it may be pointed at a runtime default or
/// a node-local profile, but never turned off. Both the fields and the legacy annotations count.
struct AppArmorProfileCheck: PodSecurityCheck {
    let id = "appArmorProfile"
    let level = PodSecurityLevel.baseline
    let revisions = [0]

    static let annotationPrefix = "container.apparmor.security.beta.kubernetes.io/"
    static let allowedTypes: Set<String> = ["RuntimeDefault", "Localhost"]

    func evaluate(_ pod: PodSecurityPod, revision: Int) -> PodSecurityViolation? {
        var badTypes: Set<String> = []
        let badType = { (securityContext: JSONValue?) -> Bool in
            guard let profile = securityContext?.present("appArmorProfile") else { return false }
            let type = profile.present("type")?.stringValue ?? ""
            guard !Self.allowedTypes.contains(type) else { return false }
            badTypes.insert(type)
            return true
        }
        let podIsBad = badType(pod.securityContext)
        let containers = pod.containerNames { badType($0.securityContext) }
        let annotations = pod.annotations
            .filter { key, value in key.hasPrefix(Self.annotationPrefix) && !Self.allowedAnnotation(value) }
            .map { key, value in "\(key)=\(Phrase.goQuoted(value))" }
            .sortedBytewise()

        let annotationSetter = annotations.isEmpty ? [] : [Phrase.plural("annotation", "annotations", annotations.count)]
        guard let setters = Phrase.setters(pod: podIsBad, containers: containers, others: annotationSetter) else { return nil }
        let values = badTypes.uniqueSortedBytewise() + annotations
        return PodSecurityViolation(
            reason: Phrase.plural("forbidden AppArmor profile", "forbidden AppArmor profiles", values.count),
            detail: "\(setters) must not set AppArmor profile type to \(Phrase.quoted(values))"
        )
    }

    /// Annotation values: unset (empty), the runtime default, or a node-local profile.
    private static func allowedAnnotation(_ value: String) -> Bool {
        value.isEmpty || value == "runtime/default" || value.hasPrefix("localhost/")
    }
}
