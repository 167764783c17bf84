/// Annotations Palisade's node agents put on their Node.
public enum NodeAnnotations {
    /// The authority (PEM) of the certificate the node's agent endpoint serves: the only one
    /// the API server trusts when it calls that node (for `pods/log`).
    public static let servingAuthority = "palisade.dev/serving-ca"
}
