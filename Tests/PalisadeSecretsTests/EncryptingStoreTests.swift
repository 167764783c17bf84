import Foundation
import PalisadeStore
import Testing

@testable import PalisadeSecrets

@Suite struct EncryptingStoreTests {
    let object = bytes(#"{"kind":"Secret","data":{"password":"aHVudGVyMg=="}}"#)

    @Test func sealsConfiguredResourcesOnlyAndReadsThemBack() async throws {
        try await withEncryptingStore(secretsConfiguration([key("k1", byte: 1)])) { store, raw, _ in
            _ = try await store.create(secretKey("a"), value: object)
            _ = try await store.create("/registry/core/configmaps/default/c", value: bytes("{}"))
            let stored = try #require(try await raw.get(secretKey("a"))).value
            #expect(stored.starts(with: bytes("k8s:enc:secretbox:v1:k1:")))
            #expect(stored.count == "k8s:enc:secretbox:v1:k1:".count + 24 + 16 + object.count)
            #expect(try await raw.get("/registry/core/configmaps/default/c")?.value == bytes("{}"))
            #expect(try await store.get(secretKey("a"))?.value == object)
            let listed = try await store.range(prefix: "/registry/", startAfter: nil, limit: nil, revision: nil)
            #expect(listed.items.map(\.value) == [bytes("{}"), object])
            let updated = try await store.update(secretKey("a"), value: bytes("{}"), expectedRevision: nil)
            #expect(updated.value == bytes("{}"))
            #expect(try await store.delete(secretKey("a"), expectedRevision: nil).value == bytes("{}"))
        }
    }

    @Test func watchEventsArriveOpened() async throws {
        try await withEncryptingStore(secretsConfiguration([key("k1", byte: 1)])) { store, _, _ in
            let events = try await store.watch(prefix: "/registry/core/secrets/", afterRevision: 0)
            _ = try await store.create(secretKey("a"), value: object)
            _ = try await store.delete(secretKey("a"), expectedRevision: nil)
            var iterator = events.makeAsyncIterator()
            #expect(try await iterator.next()?.current.value == object)
            let deleted = try await iterator.next()
            #expect(deleted?.kind == .deleted && deleted?.current.value == object)
        }
    }

    @Test func aTamperedValueFailsNamingObjectAndKey() async throws {
        try await withEncryptingStore(secretsConfiguration([key("k1", byte: 1)])) { store, raw, _ in
            _ = try await store.create(secretKey("a"), value: object)
            var stored = try #require(try await raw.get(secretKey("a"))).value
            stored[stored.count - 3] ^= 0x10
            _ = try await raw.update(secretKey("a"), value: stored, expectedRevision: nil)
            let error = await #expect(throws: StoreError.self) { try await store.get(secretKey("a")) }
            #expect(error?.code == .unreadable)
            #expect(error?.description == "cannot read /registry/core/secrets/default/a: cannot decrypt with key \"k1\" of provider secretbox: the ciphertext does not authenticate (modified, or sealed with another key)")
            _ = try await raw.update(secretKey("a"), value: Array(stored.prefix(40)), expectedRevision: nil)
            let truncated = await #expect(throws: StoreError.self) { try await store.get(secretKey("a")) }
            #expect(truncated?.description.contains("the ciphertext is truncated") == true)
        }
    }

    @Test func aMissingKeyIsNamed() async throws {
        try await withEncryptingStore(secretsConfiguration([key("old", byte: 1)])) { store, raw, _ in
            _ = try await store.create(secretKey("a"), value: object)
            let other = EncryptingStore(base: raw, configuration: secretsConfiguration([key("new", byte: 2)]))
            let error = await #expect(throws: StoreError.self) { try await other.get(secretKey("a")) }
            #expect(error?.description.contains("key \"old\" of provider secretbox is not in the configuration (configured: new)") == true)
        }
    }

    @Test func aKeyWithTheRightNameButWrongBytesFails() async throws {
        try await withEncryptingStore(secretsConfiguration([key("k1", byte: 1)])) { store, raw, _ in
            _ = try await store.create(secretKey("a"), value: object)
            let impostor = EncryptingStore(base: raw, configuration: secretsConfiguration([key("k1", byte: 9)]))
            let error = await #expect(throws: StoreError.self) { try await impostor.get(secretKey("a")) }
            #expect(error?.description.contains("cannot decrypt with key \"k1\" of provider secretbox") == true)
        }
    }

    @Test func plaintextReadsOnlyWithIdentityListed() async throws {
        try await withEncryptingStore(secretsConfiguration([key("k1", byte: 1)])) { store, raw, _ in
            _ = try await raw.create(secretKey("legacy"), value: object)
            let error = await #expect(throws: StoreError.self) { try await store.get(secretKey("legacy")) }
            #expect(error?.description.contains("not encrypted, and the configuration lists no identity provider") == true)
            let migrating = EncryptingStore(base: raw, configuration: secretsConfiguration([key("k1", byte: 1)], identity: true))
            #expect(try await migrating.get(secretKey("legacy"))?.value == object)
        }
    }

    /// Identity first: new writes are plaintext, encrypted values still open (decrypting
    /// everything on the way out of encryption, as in Kubernetes).
    @Test func identityFirstWritesPlaintextAndStillReadsSealedValues() async throws {
        try await withEncryptingStore(secretsConfiguration([key("k1", byte: 1)])) { store, raw, _ in
            _ = try await store.create(secretKey("sealed"), value: object)
            let leaving = EncryptingStore(base: raw, configuration: .init(rules: [
                .init(resources: ["secrets"], providers: [.identity, .secretbox(keys: [key("k1", byte: 1)])]),
            ]))
            _ = try await leaving.create(secretKey("plain"), value: object)
            #expect(try await raw.get(secretKey("plain"))?.value == object)
            #expect(try await leaving.get(secretKey("sealed"))?.value == object)
        }
    }

    @Test func anEncryptedValueOfAnUncoveredResourceIsNotHandedOut() async throws {
        try await withEncryptingStore(.init(rules: [.init(resources: ["*.*"], providers: [.secretbox(keys: [key("k1", byte: 1)])])])) { store, raw, _ in
            _ = try await store.create("/registry/core/configmaps/default/c", value: object)
            let narrowed = EncryptingStore(base: raw, configuration: secretsConfiguration([key("k1", byte: 1)]))
            let error = await #expect(throws: StoreError.self) { try await narrowed.get("/registry/core/configmaps/default/c") }
            #expect(error?.description.contains("no rule of the encryption configuration covers this resource") == true)
        }
    }

    @Test func aesgcmValuesDoNotMoveBetweenObjects() async throws {
        let configuration = EncryptionConfiguration(rules: [.init(resources: ["secrets"], providers: [.aesgcm(keys: [key("g", byte: 5)])])])
        try await withEncryptingStore(configuration) { store, raw, _ in
            _ = try await store.create(secretKey("a"), value: object)
            let stored = try #require(try await raw.get(secretKey("a"))).value
            #expect(stored.starts(with: bytes("k8s:enc:aesgcm:v1:g:")))
            _ = try await raw.create(secretKey("b"), value: stored)
            #expect(try await store.get(secretKey("a"))?.value == object)
            await #expect(throws: StoreError.self) { try await store.get(secretKey("b")) }
        }
    }
}
