import Crypto
import X509

extension ClientCertificateRequest {
    /// Whether the request's key is ECDSA or RSA, the kinds Kubernetes lets a node client
    /// certificate carry. swift-certificates parses only ECDSA (P-256, P-384, P-521), RSA and
    /// Ed25519 keys, so this is "not Ed25519" (RSA has no public unwrapping outside _CryptoExtras).
    public var hasECDSAOrRSAKey: Bool {
        Curve25519.Signing.PublicKey(publicKey) == nil
    }
}
