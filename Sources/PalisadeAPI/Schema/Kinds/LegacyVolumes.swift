/// core/v1 in-tree (mostly deprecated) volume sources. Pod volumes and PersistentVolumes use
/// the same shapes, except that a PersistentVolume may point at a secret in another namespace;
/// the factories take the secret reference type as a parameter.
extension Schemas {
    /// `AWSElasticBlockStoreVolumeSource` and `GCEPersistentDiskVolumeSource`:
    /// `{<id> = 1, fsType = 2, partition = 3, readOnly = 4}`.
    static func partitionedDisk(_ typeName: String, id: String) -> ObjectSchema {
        ObjectSchema(typeName, [
            .string(id, 1),
            .string("fsType", 2),
            .integer("partition", 3),
            .boolean("readOnly", 4),
        ])
    }

    static let awsElasticBlockStoreVolumeSource = partitionedDisk("AWSElasticBlockStoreVolumeSource", id: "volumeID")

    static let gcePersistentDiskVolumeSource = partitionedDisk("GCEPersistentDiskVolumeSource", id: "pdName")

    static let azureDiskVolumeSource = ObjectSchema("AzureDiskVolumeSource", [
        .string("diskName", 1),
        .string("diskURI", 2),
        .string("cachingMode", 3),
        .string("fsType", 4),
        .boolean("readOnly", 5),
        .string("kind", 6),
    ])

    static func azureFile(_ typeName: String, _ extra: [FieldSchema] = []) -> ObjectSchema {
        ObjectSchema(typeName, [.string("secretName", 1), .string("shareName", 2), .boolean("readOnly", 3)] + extra)
    }

    static let azureFileVolumeSource = azureFile("AzureFileVolumeSource")

    static func cephFS(_ typeName: String, secretRef: ObjectSchema) -> ObjectSchema {
        ObjectSchema(typeName, [
            .strings("monitors", 1),
            .string("path", 2),
            .string("user", 3),
            .string("secretFile", 4),
            .object("secretRef", 5, secretRef),
            .boolean("readOnly", 6),
        ])
    }

    static func cinder(_ typeName: String, secretRef: ObjectSchema) -> ObjectSchema {
        ObjectSchema(typeName, [
            .string("volumeID", 1),
            .string("fsType", 2),
            .boolean("readOnly", 3),
            .object("secretRef", 4, secretRef),
        ])
    }

    static let fcVolumeSource = ObjectSchema("FCVolumeSource", [
        .strings("targetWWNs", 1),
        .integer("lun", 2),
        .string("fsType", 3),
        .boolean("readOnly", 4),
        .strings("wwids", 5),
    ])

    static func flex(_ typeName: String, secretRef: ObjectSchema) -> ObjectSchema {
        ObjectSchema(typeName, [
            .string("driver", 1),
            .string("fsType", 2),
            .object("secretRef", 3, secretRef),
            .boolean("readOnly", 4),
            .stringMap("options", 5),
        ])
    }

    static let flockerVolumeSource = ObjectSchema("FlockerVolumeSource", [
        .string("datasetName", 1),
        .string("datasetUUID", 2),
    ])

    static let gitRepoVolumeSource = ObjectSchema("GitRepoVolumeSource", [
        .string("repository", 1),
        .string("revision", 2),
        .string("directory", 3),
    ])

    static func glusterfs(_ typeName: String, _ extra: [FieldSchema] = []) -> ObjectSchema {
        ObjectSchema(typeName, [.string("endpoints", 1), .string("path", 2), .boolean("readOnly", 3)] + extra)
    }

    static let glusterfsVolumeSource = glusterfs("GlusterfsVolumeSource")

    static func iscsi(_ typeName: String, secretRef: ObjectSchema) -> ObjectSchema {
        ObjectSchema(typeName, [
            .string("targetPortal", 1),
            .string("iqn", 2),
            .integer("lun", 3),
            .string("iscsiInterface", 4),
            .string("fsType", 5),
            .boolean("readOnly", 6),
            .strings("portals", 7),
            .boolean("chapAuthDiscovery", 8),
            .boolean("chapAuthSession", 11),
            .object("secretRef", 10, secretRef),
            .string("initiatorName", 12),
        ])
    }

    static let photonPersistentDiskVolumeSource = ObjectSchema("PhotonPersistentDiskVolumeSource", [
        .string("pdID", 1),
        .string("fsType", 2),
    ])

    static let portworxVolumeSource = ObjectSchema("PortworxVolumeSource", [
        .string("volumeID", 1),
        .string("fsType", 2),
        .boolean("readOnly", 3),
    ])

    static let quobyteVolumeSource = ObjectSchema("QuobyteVolumeSource", [
        .string("registry", 1),
        .string("volume", 2),
        .boolean("readOnly", 3),
        .string("user", 4),
        .string("group", 5),
        .string("tenant", 6),
    ])

    static func rbd(_ typeName: String, secretRef: ObjectSchema) -> ObjectSchema {
        ObjectSchema(typeName, [
            .strings("monitors", 1),
            .string("image", 2),
            .string("fsType", 3),
            .string("pool", 4),
            .string("user", 5),
            .string("keyring", 6),
            .object("secretRef", 7, secretRef),
            .boolean("readOnly", 8),
        ])
    }

    static func scaleIO(_ typeName: String, secretRef: ObjectSchema) -> ObjectSchema {
        ObjectSchema(typeName, [
            .string("gateway", 1),
            .string("system", 2),
            .object("secretRef", 3, secretRef),
            .boolean("sslEnabled", 4),
            .string("protectionDomain", 5),
            .string("storagePool", 6),
            .string("storageMode", 7),
            .string("volumeName", 8),
            .string("fsType", 9),
            .boolean("readOnly", 10),
        ])
    }

    static func storageOS(_ typeName: String, secretRef: ObjectSchema) -> ObjectSchema {
        ObjectSchema(typeName, [
            .string("volumeName", 1),
            .string("volumeNamespace", 2),
            .string("fsType", 3),
            .boolean("readOnly", 4),
            .object("secretRef", 5, secretRef),
        ])
    }

    static let vsphereVirtualDiskVolumeSource = ObjectSchema("VsphereVirtualDiskVolumeSource", [
        .string("volumePath", 1),
        .string("fsType", 2),
        .string("storagePolicyName", 3),
        .string("storagePolicyID", 4),
    ])

    static let localVolumeSource = ObjectSchema("LocalVolumeSource", [.string("path", 1), .string("fsType", 2)])

    static let csiPersistentVolumeSource = ObjectSchema("CSIPersistentVolumeSource", [
        .string("driver", 1),
        .string("volumeHandle", 2),
        .boolean("readOnly", 3),
        .string("fsType", 4),
        .stringMap("volumeAttributes", 5),
        .object("controllerPublishSecretRef", 6, secretReference),
        .object("nodeStageSecretRef", 7, secretReference),
        .object("nodePublishSecretRef", 8, secretReference),
        .object("controllerExpandSecretRef", 9, secretReference),
        .object("nodeExpandSecretRef", 10, secretReference),
    ])
}
