import Crypto
import Foundation
import SwiftASN1
import X509

/// The certificates a cluster needs, kept under `<data-dir>/pki`: the CA, the API server's
/// serving certificate and the bootstrap administrator's client certificate.
///
/// Made on first start and reused afterwards. Private keys are mode 0600, the directory 0700.
public struct ClusterPKI: Sendable {
    public let directory: String
    public let authority: CertificateAuthority

    public var caCertificatePath: String { directory + "/ca.crt" }
    public var caKeyPath: String { directory + "/ca.key" }
    public var serverCertificatePath: String { directory + "/server.crt" }
    public var serverKeyPath: String { directory + "/server.key" }
    public var adminCertificatePath: String { directory + "/admin.crt" }
    public var adminKeyPath: String { directory + "/admin.key" }
    /// The API server's client certificate for calling node agents.
    public static let kubeletClientUser = "kube-apiserver-kubelet-client"
    public static let kubeletClientCertificateFile = "kubelet-client.crt"
    public static let kubeletClientKeyFile = "kubelet-client.key"

    /// The bootstrap superuser: in `system:masters`, like kubeadm's `kubernetes-admin`.
    public static let adminUser = "palisade-admin"

    static let caValidity: TimeInterval = 10 * 365 * 24 * 3600
    static let leafValidity: TimeInterval = 365 * 24 * 3600

    /// Loads the PKI in `directory`, creating whatever is missing. The serving certificate is
    /// issued again when it lacks one of `serverNames` (DNS names or IP addresses) or is about to expire.
    public static func loadOrCreate(directory: String, serverNames: [String], now: Date = Date()) throws -> ClusterPKI {
        let authority = try loadOrCreateAuthority(directory: directory, now: now)
        let pki = ClusterPKI(directory: directory, authority: authority)
        try pki.ensureServingCertificate(names: serverNames, now: now)
        try pki.ensureAdminCertificate(now: now)
        try pki.ensureClientCertificate(user: kubeletClientUser, groups: [], file: kubeletClientCertificateFile, key: kubeletClientKeyFile, now: now)
        return pki
    }

    private static func loadOrCreateAuthority(directory: String, now: Date) throws -> CertificateAuthority {
        let certificatePath = directory + "/ca.crt"
        let keyPath = directory + "/ca.key"
        if let certificatePEM = try PEMFile.read(certificatePath), let keyPEM = try PEMFile.read(keyPath) {
            let certificate = try Certificate(pemEncoded: certificatePEM)
            let key = try P256.Signing.PrivateKey(pemRepresentation: keyPEM)
            guard certificate.publicKey == Certificate.PublicKey(key.publicKey) else {
                throw PKIError("\(keyPath) does not belong to \(certificatePath)")
            }
            return CertificateAuthority(certificate: certificate, privateKey: key)
        }
        let authority = try CertificateAuthority.create(commonName: "palisade-ca", validity: caValidity, now: now)
        // Key first: a crash in between leaves no certificate without its key.
        try PEMFile.write(authority.privateKeyPEM, to: keyPath, mode: 0o600)
        try PEMFile.write(try authority.certificatePEM, to: certificatePath, mode: 0o644)
        return authority
    }

    private func ensureServingCertificate(names: [String], now: Date) throws {
        if let existing = try PEMFile.read(serverCertificatePath).map({ try Certificate(pemEncoded: $0) }),
            try PEMFile.read(serverKeyPath) != nil,
            Self.isFresh(existing, now: now),
            Set(names).isSubset(of: Self.subjectAlternativeNames(existing))
        {
            return
        }
        let key = P256.Signing.PrivateKey()
        let certificate = try authority.issue(
            commonName: "palisade-apiserver",
            publicKey: .init(key.publicKey),
            usage: .server(dnsNames: names.filter { !IPAddress.isAddress($0) }, ipAddresses: names.filter(IPAddress.isAddress)),
            validity: Self.leafValidity,
            now: now
        )
        try PEMFile.write(key.pemRepresentation, to: serverKeyPath, mode: 0o600)
        try PEMFile.write(try certificate.serializeAsPEM().pemString, to: serverCertificatePath, mode: 0o644)
    }

    private func ensureAdminCertificate(now: Date) throws {
        try ensureClientCertificate(user: Self.adminUser, groups: [UserInfo.mastersGroup], file: "admin.crt", key: "admin.key", now: now)
    }

    /// A client certificate and key in the directory, issued again when missing or ageing.
    private func ensureClientCertificate(user: String, groups: [String], file: String, key: String, now: Date) throws {
        let certificatePath = "\(directory)/\(file)"
        let keyPath = "\(directory)/\(key)"
        if let existing = try PEMFile.read(certificatePath).map({ try Certificate(pemEncoded: $0) }),
            try PEMFile.read(keyPath) != nil, Self.isFresh(existing, now: now)
        {
            return
        }
        let (certificatePEM, keyPEM) = try authority.issueClient(user: user, groups: groups, validity: Self.leafValidity)
        try PEMFile.write(keyPEM, to: keyPath, mode: 0o600)
        try PEMFile.write(certificatePEM, to: certificatePath, mode: 0o600)
    }

    /// Valid now and for at least another week.
    static func isFresh(_ certificate: Certificate, now: Date) -> Bool {
        certificate.notValidBefore <= now && certificate.notValidAfter > now.addingTimeInterval(7 * 24 * 3600)
    }

    static func subjectAlternativeNames(_ certificate: Certificate) -> Set<String> {
        guard let names = try? certificate.extensions.subjectAlternativeNames else { return [] }
        var result = Set<String>()
        for name in names {
            switch name {
            case .dnsName(let dns): result.insert(dns)
            case .ipAddress(let octets): result.insert(IPAddress.text(Array(octets.bytes)))
            default: continue
            }
        }
        return result
    }

    /// A kubeconfig for the bootstrap administrator, with everything embedded.
    public func adminKubeconfig(server: String) throws -> Kubeconfig {
        guard let certificate = try PEMFile.read(adminCertificatePath), let key = try PEMFile.read(adminKeyPath) else {
            throw PKIError("the admin certificate is missing from \(directory)")
        }
        return Kubeconfig(
            clusterName: "palisade",
            server: server,
            certificateAuthorityPEM: try authority.certificatePEM,
            userName: Self.adminUser,
            clientCertificatePEM: certificate,
            clientKeyPEM: key
        )
    }
}
