/// core/v1 `Volume` and the volume sources in common use (the in-tree legacy sources
/// are in `LegacyVolumes.swift`).
extension Schemas {
    /// JSON flattens the `VolumeSource` (`emptyDir`, `configMap`, ...) into the volume itself.
    static let volume = ObjectSchema.embedding("Volume", volumeSource, at: 2, [.string("name", 1)])

    static let volumeSource = ObjectSchema("VolumeSource", [
        .object("hostPath", 1, hostPathVolumeSource),
        .object("emptyDir", 2, emptyDirVolumeSource),
        .object("gcePersistentDisk", 3, gcePersistentDiskVolumeSource),
        .object("awsElasticBlockStore", 4, awsElasticBlockStoreVolumeSource),
        .object("gitRepo", 5, gitRepoVolumeSource),
        .object("secret", 6, secretVolumeSource),
        .object("nfs", 7, nfsVolumeSource),
        .object("iscsi", 8, iscsi("ISCSIVolumeSource", secretRef: localObjectReference)),
        .object("glusterfs", 9, glusterfsVolumeSource),
        .object("persistentVolumeClaim", 10, persistentVolumeClaimVolumeSource),
        .object("rbd", 11, rbd("RBDVolumeSource", secretRef: localObjectReference)),
        .object("flexVolume", 12, flex("FlexVolumeSource", secretRef: localObjectReference)),
        .object("cinder", 13, cinder("CinderVolumeSource", secretRef: localObjectReference)),
        .object("cephfs", 14, cephFS("CephFSVolumeSource", secretRef: localObjectReference)),
        .object("flocker", 15, flockerVolumeSource),
        .object("downwardAPI", 16, downwardAPIVolumeSource),
        .object("fc", 17, fcVolumeSource),
        .object("azureFile", 18, azureFileVolumeSource),
        .object("configMap", 19, configMapVolumeSource),
        .object("vsphereVolume", 20, vsphereVirtualDiskVolumeSource),
        .object("quobyte", 21, quobyteVolumeSource),
        .object("azureDisk", 22, azureDiskVolumeSource),
        .object("photonPersistentDisk", 23, photonPersistentDiskVolumeSource),
        .object("projected", 26, projectedVolumeSource),
        .object("portworxVolume", 24, portworxVolumeSource),
        .object("scaleIO", 25, scaleIO("ScaleIOVolumeSource", secretRef: localObjectReference)),
        .object("storageos", 27, storageOS("StorageOSVolumeSource", secretRef: localObjectReference)),
        .object("csi", 28, csiVolumeSource),
        .object("ephemeral", 29, ephemeralVolumeSource),
        .object("image", 30, imageVolumeSource),
    ])

    static let hostPathVolumeSource = ObjectSchema("HostPathVolumeSource", [.string("path", 1), .string("type", 2)])

    static let emptyDirVolumeSource = ObjectSchema("EmptyDirVolumeSource", [
        .string("medium", 1),
        .quantity("sizeLimit", 2),
    ])

    static let secretVolumeSource = ObjectSchema("SecretVolumeSource", [
        .string("secretName", 1),
        .list("items", 2, keyToPath),
        .integer("defaultMode", 3),
        .boolean("optional", 4),
    ])

    static let configMapVolumeSource = ObjectSchema.embedding("ConfigMapVolumeSource", localObjectReference, at: 1, [
        .list("items", 2, keyToPath),
        .integer("defaultMode", 3),
        .boolean("optional", 4),
    ])

    static let nfsVolumeSource = ObjectSchema("NFSVolumeSource", [
        .string("server", 1),
        .string("path", 2),
        .boolean("readOnly", 3),
    ])

    static let persistentVolumeClaimVolumeSource = ObjectSchema("PersistentVolumeClaimVolumeSource", [
        .string("claimName", 1),
        .boolean("readOnly", 2),
    ])

    static let downwardAPIVolumeSource = ObjectSchema("DownwardAPIVolumeSource", [
        .list("items", 1, downwardAPIVolumeFile),
        .integer("defaultMode", 2),
    ])

    static let downwardAPIVolumeFile = ObjectSchema("DownwardAPIVolumeFile", [
        .string("path", 1),
        .object("fieldRef", 2, objectFieldSelector),
        .object("resourceFieldRef", 3, resourceFieldSelector),
        .integer("mode", 4),
    ])

    static let projectedVolumeSource = ObjectSchema("ProjectedVolumeSource", [
        .list("sources", 1, volumeProjection),
        .integer("defaultMode", 2),
    ])

    static let volumeProjection = ObjectSchema("VolumeProjection", [
        .object("secret", 1, keyProjection("SecretProjection")),
        .object("downwardAPI", 2, ObjectSchema("DownwardAPIProjection", [.list("items", 1, downwardAPIVolumeFile)])),
        .object("configMap", 3, keyProjection("ConfigMapProjection")),
        .object("serviceAccountToken", 4, serviceAccountTokenProjection),
        .object("clusterTrustBundle", 5, clusterTrustBundleProjection),
        .object("podCertificate", 6, podCertificateProjection),
    ])

    /// `SecretProjection` and `ConfigMapProjection`: an embedded reference, `items` and `optional`.
    static func keyProjection(_ typeName: String) -> ObjectSchema {
        ObjectSchema.embedding(typeName, localObjectReference, at: 1, [
            .list("items", 2, keyToPath),
            .boolean("optional", 4),
        ])
    }

    static let serviceAccountTokenProjection = ObjectSchema("ServiceAccountTokenProjection", [
        .string("audience", 1),
        .integer("expirationSeconds", 2),
        .string("path", 3),
    ])

    static let clusterTrustBundleProjection = ObjectSchema("ClusterTrustBundleProjection", [
        .string("name", 1),
        .string("signerName", 2),
        .object("labelSelector", 3, labelSelector),
        .boolean("optional", 5),
        .string("path", 4),
    ])

    static let podCertificateProjection = ObjectSchema("PodCertificateProjection", [
        .string("signerName", 1),
        .string("keyType", 2),
        .integer("maxExpirationSeconds", 3),
        .string("credentialBundlePath", 4),
        .string("keyPath", 5),
        .string("certificateChainPath", 6),
        .stringMap("userAnnotations", 7),
    ])

    static let csiVolumeSource = ObjectSchema("CSIVolumeSource", [
        .string("driver", 1),
        .boolean("readOnly", 2),
        .string("fsType", 3),
        .stringMap("volumeAttributes", 4),
        .object("nodePublishSecretRef", 5, localObjectReference),
    ])

    static let ephemeralVolumeSource = ObjectSchema("EphemeralVolumeSource", [
        .object("volumeClaimTemplate", 1, persistentVolumeClaimTemplate),
    ])

    static let persistentVolumeClaimTemplate = ObjectSchema("PersistentVolumeClaimTemplate", [
        .object("metadata", 1, objectMeta),
        .object("spec", 2, persistentVolumeClaimSpec),
    ])

    static let imageVolumeSource = ObjectSchema("ImageVolumeSource", [
        .string("reference", 1),
        .string("pullPolicy", 2),
    ])
}
