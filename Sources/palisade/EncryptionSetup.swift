/// Where encryption at rest is configured when no `--encryption-config` is given.
enum EncryptionSetup {
    static func defaultConfigPath(dataDir: String) -> String { dataDir + "/pki/encryption-config.yaml" }
}
