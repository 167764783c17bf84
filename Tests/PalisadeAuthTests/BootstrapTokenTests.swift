import Foundation
import PalisadeAPI
import PalisadeAuth
import Testing

/// Bootstrap tokens without a server: the `<id>.<secret>` format, redaction, and which
/// Secrets accept a presented token.
@Suite struct BootstrapTokenTests {
    static let token = BootstrapToken("abcdef.0123456789abcdef")!

    static func data(expiration: Date = Date().addingTimeInterval(60), extraGroups: [String] = []) -> [String: String] {
        BootstrapTokenSecret.data(for: token, expiration: expiration, description: "test", extraGroups: extraGroups)
    }

    @Test(arguments: ["abcdef.0123456789abcdef", "000000.zzzzzzzzzzzzzzzz"])
    func wellFormedTokensParse(_ text: String) {
        #expect(BootstrapToken(text)?.text == text)
    }

    @Test(arguments: ["", "abcdef", "abcdef.", ".0123456789abcdef", "ABCDEF.0123456789abcdef", "abcde.0123456789abcdef",
                      "abcdef.0123456789abcde", "abcdef.0123456789abcdef0", "abcdef.0123456789abcdef.x", " abcdef.0123456789abcdef", "abc-ef.0123456789abcdef"])
    func malformedTokensDoNot(_ text: String) {
        #expect(BootstrapToken(text) == nil)
    }

    @Test func generatedTokensAreWellFormedAndDistinct() {
        let tokens = (0..<100).map { _ in BootstrapToken.generate() }
        #expect(tokens.allSatisfy { BootstrapToken($0.text) == $0 })
        #expect(Set(tokens.map(\.text)).count == 100)
    }

    @Test func theSecretIsRedactedFromDescriptions() {
        #expect("\(Self.token)" == "abcdef.<redacted>")
        #expect(!String(reflecting: Self.token).contains("0123456789abcdef"))
        var dumped = ""
        dump(Self.token, to: &dumped)
        #expect(!dumped.contains("0123456789abcdef"))
    }

    @Test func aMatchingSecretAuthenticates() {
        let user = BootstrapTokenSecret.user(
            presenting: Self.token, type: BootstrapTokenSecret.type,
            data: Self.data(extraGroups: ["system:bootstrappers:rack-1"]).merging([BootstrapTokenSecret.Key.extraGroups: "system:bootstrappers:rack-1,system:masters"]) { $1 }
        )
        #expect(user?.name == "system:bootstrap:abcdef")
        #expect(user?.groups == ["system:bootstrappers", "system:bootstrappers:rack-1", "system:authenticated"], "system:masters is not a bootstrap group")
    }

    @Test(arguments: ["type", "id", "secret", "short secret", "usage", "expired", "no expiration", "bad expiration"])
    func anythingElseIsRefused(_ flaw: String) {
        var type = BootstrapTokenSecret.type
        var data = Self.data()
        switch flaw {
        case "type": type = "Opaque"
        case "id": data[BootstrapTokenSecret.Key.tokenID] = "abcdeg"
        case "secret": data[BootstrapTokenSecret.Key.tokenSecret] = "0123456789abcdeg"
        case "short secret": data[BootstrapTokenSecret.Key.tokenSecret] = "0123456789abcde"
        case "usage": data[BootstrapTokenSecret.Key.usageAuthentication] = "false"
        case "expired": data = Self.data(expiration: Date().addingTimeInterval(-1))
        case "no expiration": data[BootstrapTokenSecret.Key.expiration] = nil
        default: data[BootstrapTokenSecret.Key.expiration] = "tomorrow"
        }
        #expect(BootstrapTokenSecret.user(presenting: Self.token, type: type, data: data) == nil)
    }
}
