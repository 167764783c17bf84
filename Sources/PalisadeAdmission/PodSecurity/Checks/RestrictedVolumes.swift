import PalisadeAPI

/// Restricted pods may use only volume types that cannot reach beyond what the cluster
/// already grants the pod (its own secrets, claims, projections and scratch space).
struct RestrictedVolumesCheck: PodSecurityCheck {
    let id = "restrictedVolumes"
    let level = PodSecurityLevel.restricted
    let revisions = [0]
    let overrides = ["hostPathVolumes"]

    static let allowedSources: Set<String> = [
        "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "image", "persistentVolumeClaim", "projected", "secret",
    ]

    /// The other volume sources Kubernetes knows, in the order it names the first one found.
    static let restrictedSources = [
        "hostPath", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "nfs", "iscsi", "glusterfs", "rbd", "flexVolume",
        "cinder", "cephfs", "flocker", "fc", "azureFile", "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk",
        "portworxVolume", "scaleIO", "storageos",
    ]

    func evaluate(_ pod: PodSecurityPod, revision: Int) -> PodSecurityViolation? {
        var names: [String] = []
        var types: Set<String> = []
        for volume in pod.volumes {
            guard let type = Self.restrictedType(of: volume) else { continue }
            names.append(volume.present("name")?.stringValue ?? "")
            types.insert(type)
        }
        guard !names.isEmpty else { return nil }
        return PodSecurityViolation(
            reason: "restricted volume types",
            detail: "\(Phrase.plural("volume", "volumes", names.count)) \(Phrase.quoted(names)) "
                + "\(Phrase.plural("uses", "use", names.count)) "
                + "\(Phrase.plural("restricted volume type", "restricted volume types", types.count)) "
                + Phrase.quoted(types.uniqueSortedBytewise())
        )
    }

    /// The restricted source a volume uses, `unknown` when it names no source at all, nil when allowed.
    /// A restricted source wins over an allowed one: a volume naming two sources is invalid, and
    /// must not pass on the strength of the harmless one should validation ever miss it.
    static func restrictedType(of volume: JSONValue) -> String? {
        // A volume has few fields: look each up in the tables rather than every source in the volume.
        var restricted: Int?
        var allowed = false
        for (field, value) in volume.objectValue ?? [:] where !value.isNull {
            if let rank = restrictedRank[field] {
                restricted = min(restricted ?? rank, rank)
            } else if allowedSources.contains(field) {
                allowed = true
            }
        }
        if let restricted { return restrictedSources[restricted] }
        return allowed ? nil : "unknown"
    }

    private static let restrictedRank = Dictionary(uniqueKeysWithValues: restrictedSources.enumerated().map { ($1, $0) })
}
