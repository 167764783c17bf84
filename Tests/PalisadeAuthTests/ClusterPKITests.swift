import Foundation
import SwiftASN1
import Testing
import X509

@testable import PalisadeAuth

@Suite struct ClusterPKITests {
    private func withDirectory(_ body: (String) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("palisade-pki-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try body(directory + "/pki")
    }

    private func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func createsKeysPrivatelyAndReusesThem() throws {
        try withDirectory { directory in
            let first = try ClusterPKI.loadOrCreate(directory: directory, serverNames: ["127.0.0.1", "localhost"])
            for key in [first.caKeyPath, first.serverKeyPath, first.adminKeyPath] { #expect(try mode(key) == 0o600) }
            #expect(try mode(directory) == 0o700)
            let serverPEM = try PEMFile.read(first.serverCertificatePath)
            let second = try ClusterPKI.loadOrCreate(directory: directory, serverNames: ["127.0.0.1", "localhost"])
            #expect(second.authority.certificate == first.authority.certificate)
            #expect(try PEMFile.read(second.serverCertificatePath) == serverPEM)
        }
    }

    @Test func reissuesTheServingCertificateForANewName() throws {
        try withDirectory { directory in
            let pki = try ClusterPKI.loadOrCreate(directory: directory, serverNames: ["127.0.0.1"])
            _ = try ClusterPKI.loadOrCreate(directory: directory, serverNames: ["127.0.0.1", "api.example.com", "10.0.0.7"])
            let certificate = try Certificate(pemEncoded: try #require(try PEMFile.read(pki.serverCertificatePath)))
            #expect(ClusterPKI.subjectAlternativeNames(certificate) == ["127.0.0.1", "api.example.com", "10.0.0.7"])
        }
    }

    @Test func clientCertificatesCarryUserAndGroups() throws {
        let authority = try CertificateAuthority.create(commonName: "test-ca", validity: 3600)
        let (pem, _) = try authority.issueClient(user: "alice", groups: ["devs", "qa"], validity: 600)
        let certificate = try Certificate(pemEncoded: pem)
        let user = try #require(ClientCertificateAuthenticator().user(from: certificate))
        #expect(user.name == "alice")
        #expect(user.groups == ["devs", "qa", "system:authenticated"])
        #expect(try certificate.extensions.basicConstraints == .notCertificateAuthority)
        #expect(try certificate.extensions.extendedKeyUsage?.contains(.clientAuth) == true)
    }

    @Test func aCertificateWithoutCommonNameIsNoUser() throws {
        let authority = try CertificateAuthority.create(commonName: "test-ca", validity: 3600)
        let (pem, _) = try authority.issueClient(user: "", groups: ["devs"], validity: 600)
        #expect(ClientCertificateAuthenticator().user(from: try Certificate(pemEncoded: pem)) == nil)
    }

    @Test func kubeconfigRoundTrips() throws {
        let config = Kubeconfig(
            clusterName: "c", server: "https://127.0.0.1:6443", certificateAuthorityPEM: "CA", userName: "u",
            clientCertificatePEM: "CERT", clientKeyPEM: "KEY", namespace: "ns"
        )
        #expect(try Kubeconfig.parse(config.yaml()) == config)
    }
}

@Suite struct CertificateSerialTests {
    @Test func serialsAreLowercaseHexOfTheirBytes() {
        #expect(CertificateSerial.text([0x8a, 0x01]) == "8a01")
        #expect(CertificateSerial.text([0x7f, 0x00]) == "7f00")
        #expect(CertificateSerial.text([0x05]) == "05")
    }
}
