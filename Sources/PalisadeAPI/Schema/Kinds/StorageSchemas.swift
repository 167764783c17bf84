/// core/v1 `PersistentVolume` and `PersistentVolumeClaim`.
extension Schemas {
    static let persistentVolume = ObjectSchema.kind(
        "PersistentVolume", spec: persistentVolumeSpec, status: persistentVolumeStatus
    )

    /// JSON flattens the `PersistentVolumeSource` (`nfs`, `csi`, ...) into the spec itself.
    static let persistentVolumeSpec = ObjectSchema.embedding("PersistentVolumeSpec", persistentVolumeSource, at: 2, [
        .quantityMap("capacity", 1),
        .strings("accessModes", 3),
        .object("claimRef", 4, objectReference),
        .string("persistentVolumeReclaimPolicy", 5),
        .string("storageClassName", 6),
        .strings("mountOptions", 7),
        .string("volumeMode", 8),
        .object("nodeAffinity", 9, ObjectSchema("VolumeNodeAffinity", [.object("required", 1, nodeSelector)])),
        .string("volumeAttributesClassName", 10),
    ])

    static let persistentVolumeSource = ObjectSchema("PersistentVolumeSource", [
        .object("gcePersistentDisk", 1, gcePersistentDiskVolumeSource),
        .object("awsElasticBlockStore", 2, awsElasticBlockStoreVolumeSource),
        .object("hostPath", 3, hostPathVolumeSource),
        .object("glusterfs", 4, glusterfs("GlusterfsPersistentVolumeSource", [.string("endpointsNamespace", 4)])),
        .object("nfs", 5, nfsVolumeSource),
        .object("rbd", 6, rbd("RBDPersistentVolumeSource", secretRef: secretReference)),
        .object("iscsi", 7, iscsi("ISCSIPersistentVolumeSource", secretRef: secretReference)),
        .object("cinder", 8, cinder("CinderPersistentVolumeSource", secretRef: secretReference)),
        .object("cephfs", 9, cephFS("CephFSPersistentVolumeSource", secretRef: secretReference)),
        .object("fc", 10, fcVolumeSource),
        .object("flocker", 11, flockerVolumeSource),
        .object("flexVolume", 12, flex("FlexPersistentVolumeSource", secretRef: secretReference)),
        .object("azureFile", 13, azureFile("AzureFilePersistentVolumeSource", [.string("secretNamespace", 4)])),
        .object("vsphereVolume", 14, vsphereVirtualDiskVolumeSource),
        .object("quobyte", 15, quobyteVolumeSource),
        .object("azureDisk", 16, azureDiskVolumeSource),
        .object("photonPersistentDisk", 17, photonPersistentDiskVolumeSource),
        .object("portworxVolume", 18, portworxVolumeSource),
        .object("scaleIO", 19, scaleIO("ScaleIOPersistentVolumeSource", secretRef: secretReference)),
        .object("local", 20, localVolumeSource),
        .object("storageos", 21, storageOS("StorageOSPersistentVolumeSource", secretRef: objectReference)),
        .object("csi", 22, csiPersistentVolumeSource),
    ])

    static let persistentVolumeStatus = ObjectSchema("PersistentVolumeStatus", [
        .string("phase", 1),
        .string("message", 2),
        .string("reason", 3),
        .time("lastPhaseTransitionTime", 4),
    ])

    static let persistentVolumeClaim = ObjectSchema.kind(
        "PersistentVolumeClaim", spec: persistentVolumeClaimSpec, status: persistentVolumeClaimStatus
    )

    static let persistentVolumeClaimSpec = ObjectSchema("PersistentVolumeClaimSpec", [
        .strings("accessModes", 1),
        .object("selector", 4, labelSelector),
        .object("resources", 2, ObjectSchema("VolumeResourceRequirements", [
            .quantityMap("limits", 1),
            .quantityMap("requests", 2),
        ])),
        .string("volumeName", 3),
        .string("storageClassName", 5),
        .string("volumeMode", 6),
        .object("dataSource", 7, typedLocalObjectReference),
        .object("dataSourceRef", 8, typedObjectReference),
        .string("volumeAttributesClassName", 9),
    ])

    static let persistentVolumeClaimStatus = ObjectSchema("PersistentVolumeClaimStatus", [
        .string("phase", 1),
        .strings("accessModes", 2),
        .quantityMap("capacity", 3),
        .list("conditions", 4, probedCondition("PersistentVolumeClaimCondition"), .merge(key: "type")),
        .quantityMap("allocatedResources", 5),
        .stringMap("allocatedResourceStatuses", 7),
        .string("currentVolumeAttributesClassName", 8),
        .object("modifyVolumeStatus", 9, ObjectSchema("ModifyVolumeStatus", [
            .string("targetVolumeAttributesClassName", 1),
            .string("status", 2),
        ])),
    ])
}
