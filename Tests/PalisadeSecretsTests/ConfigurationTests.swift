import Foundation
import Testing

@testable import PalisadeSecrets

@Suite struct ConfigurationDecoderTests {
    static let key32 = Data(repeating: 1, count: 32).base64EncodedString()
    static let key16 = Data(repeating: 2, count: 16).base64EncodedString()

    static func document(_ resources: String) -> String {
        "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n" + resources
    }

    @Test func readsEveryProviderAndWildcards() throws {
        let configuration = try ConfigurationDecoder.decode(Self.document("""
            - resources: [secrets, configmaps]
              providers:
              - secretbox:
                  keys:
                  - {name: new, secret: \(Self.key32)}
                  - {name: old, secret: \(Self.key32)}
              - aesgcm:
                  keys: [{name: gcm, secret: \(Self.key16)}]
              - identity: {}
            - resources: ['*.apps']
              providers: [{identity: {}}]
            - resources: ['*.*']
              providers: [{aesgcm: {keys: [{name: all, secret: \(Self.key32)}]}}]
            """))
        #expect(configuration.rules.count == 3)
        #expect(configuration.rules[0].providers.map(\.name) == ["secretbox", "aesgcm", "identity"])
        #expect(configuration.rules[0].providers[0].keys.map(\.name) == ["new", "old"])
        #expect(configuration.rule(group: "", resource: "secrets") == configuration.rules[0])
        #expect(configuration.rule(group: "apps", resource: "deployments") == configuration.rules[1])
        #expect(configuration.rule(group: "batch", resource: "jobs") == configuration.rules[2])
        #expect(configuration.rule(group: "", resource: "pods") == configuration.rules[2])
    }

    @Test func writesWhatItReads() throws {
        let configuration = EncryptionConfiguration(rules: [
            .init(resources: ["secrets", "*.apps"], providers: [.secretbox(keys: [key("a", byte: 3)]), .identity]),
            .init(resources: ["*.*"], providers: [.aesgcm(keys: [key("b", byte: 4, size: 16)])]),
        ])
        #expect(try ConfigurationDecoder.decode(ConfigurationEncoder.encode(configuration)) == configuration)
    }

    /// Each bad document with the line and field the error must name.
    @Test(arguments: [
        (document("- resources: [secrets]\n  providers:\n  - secretbox:\n      keys:\n      - name: k\n        secret: \(key16)\n"),
         9, "resources[0].providers[0].secretbox.keys[0].secret", "key is 16 bytes; this provider needs 32 bytes"),
        (document("- resources: [secrets]\n  providers:\n  - aesgcm:\n      keys:\n      - name: k\n        secret: \(Data(count: 20).base64EncodedString())\n"),
         9, "resources[0].providers[0].aesgcm.keys[0].secret", "key is 20 bytes; this provider needs 16, 24, 32 bytes"),
        (document("- resources: [secrets]\n  providers:\n  - vault: {}\n"),
         6, "resources[0].providers[0].vault", "unknown provider \"vault\" (known: aesgcm, identity, secretbox)"),
        (document("- resources: [secrets]\n  providers:\n  - kms: {name: x}\n"),
         6, "resources[0].providers[0].kms", "provider kms is not supported by Palisade (use secretbox, aesgcm or identity)"),
        (document("- resources: [secrets]\n  providers:\n  - secretbox:\n      keys:\n      - name: k\n        secret: '!!notbase64'\n"),
         9, "resources[0].providers[0].secretbox.keys[0].secret", "must be base64"),
        (document("- resources: [secrets]\n  providers:\n  - secretbox:\n      keys:\n      - {name: 'a:b', secret: \(key32)}\n"),
         8, "resources[0].providers[0].secretbox.keys[0].name", "must be non-empty and must not contain \":\""),
        (document("- resources: [secrets]\n  providers:\n  - secretbox:\n      keys:\n      - {name: a, secret: \(key32)}\n      - {name: a, secret: \(key32)}\n"),
         9, "resources[0].providers[0].secretbox.keys[1].name", "duplicate key name \"a\""),
        (document("- resources: [secrets]\n  providers:\n  - secretbox:\n      keys: []\n"),
         7, "resources[0].providers[0].secretbox.keys", "must not be empty"),
        (document("- resources: ['*']\n  providers: [{identity: {}}]\n"),
         4, "resources[0].resources[0]", "\"*\" is not allowed; write \"*.\" for the core group or \"*.*\" for everything"),
        (document("- resources: [Secrets]\n  providers: [{identity: {}}]\n"),
         4, "resources[0].resources[0]", "\"Secrets\" must be lower case"),
        (document("- resources: ['*.apps']\n  providers: [{identity: {}}]\n- resources: [deployments.apps]\n  providers: [{identity: {}}]\n"),
         6, "resources[1].resources[0]", "\"deployments.apps\" is already covered by the earlier entry \"*.apps\""),
        (document("- resources: [events.events.k8s.io]\n  providers: [{identity: {}}]\n"),
         4, "resources[0].resources[0]", "resources of the group events.k8s.io cannot be encrypted"),
        (document("- resources: [secrets]\n  providers: [{identity: {}, secretbox: {keys: []}}]\n"),
         5, "resources[0].providers[0]", "each provider entry names exactly one provider, found 2"),
        (document("- resources: [secrets]\n  provider: []\n"),
         5, "resources[0].provider", "unknown field"),
        (document("- resources: [secrets]\n"),
         4, "resources[0].providers", "required"),
        ("apiVersion: v1\nkind: EncryptionConfiguration\nresources: []\n",
         1, "apiVersion", "must be apiserver.config.k8s.io/v1, not v1"),
        (document("- resources: [secrets\n"), 5, nil, nil),
    ] as [(String, Int, String?, String?)])
    func refusesWithLineAndField(text: String, line: Int, field: String?, problem: String?) {
        do {
            _ = try ConfigurationDecoder.decode(text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.line == line)
            #expect(error.field == field)
            if let problem { #expect(error.problem == problem) }
            #expect(!error.description.contains(Self.key16) && !error.description.contains(Self.key32))
        }
    }
}

@Suite struct EncryptionConfigFileTests {
    @Test func firstStartWritesAPrivateSecretboxConfiguration() async throws {
        try await withTemporaryDirectory { directory in
            let file = EncryptionConfigFile(path: directory + "/pki/encryption-config.yaml")
            let created = try file.loadOrCreateDefault()
            let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            #expect(created.rules.count == 1 && created.rules[0].resources == ["secrets"])
            guard case .secretbox(let keys) = created.rules[0].providers[0] else { Issue.record("not secretbox"); return }
            #expect(keys.count == 1 && keys[0].secret.count == 32 && keys[0].name.hasPrefix("key-"))
            #expect(try file.loadOrCreateDefault() == created)
        }
    }

    @Test(arguments: [0o640, 0o604, 0o644, 0o660])
    func refusesAFileOthersCanReach(mode: Int) async throws {
        try await withTemporaryDirectory { directory in
            let file = EncryptionConfigFile(path: directory + "/config.yaml")
            try file.save(secretsConfiguration([key("k", byte: 1)]))
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file.path)
            let error = #expect(throws: EncryptionConfigError.self) { try file.load() }
            #expect(error?.file == file.path)
            #expect(error?.description.contains("accessible to group or others (mode \(String(mode, radix: 8)))") == true)
        }
    }

    @Test func errorsCarryTheFileName() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/config.yaml"
            FileManager.default.createFile(atPath: path, contents: Data("apiVersion: x\n".utf8), attributes: [.posixPermissions: 0o600])
            let error = #expect(throws: EncryptionConfigError.self) { try EncryptionConfigFile(path: path).load() }
            #expect(error?.description.hasPrefix("\(path):1: apiVersion:") == true)
        }
    }
}
