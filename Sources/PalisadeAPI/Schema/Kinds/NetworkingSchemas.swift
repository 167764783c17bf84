/// networking.k8s.io/v1 `NetworkPolicy`.
extension Schemas {
    static let networkPolicy = ObjectSchema.kind("NetworkPolicy", spec: ObjectSchema("NetworkPolicySpec", [
        .object("podSelector", 1, labelSelector),
        .list("ingress", 2, ObjectSchema("NetworkPolicyIngressRule", [
            .list("ports", 1, networkPolicyPort),
            .list("from", 2, networkPolicyPeer),
        ])),
        .list("egress", 3, ObjectSchema("NetworkPolicyEgressRule", [
            .list("ports", 1, networkPolicyPort),
            .list("to", 2, networkPolicyPeer),
        ])),
        .strings("policyTypes", 4),
    ]))

    static let networkPolicyPeer = ObjectSchema("NetworkPolicyPeer", [
        .object("podSelector", 1, labelSelector),
        .object("namespaceSelector", 2, labelSelector),
        .object("ipBlock", 3, ObjectSchema("IPBlock", [.string("cidr", 1), .strings("except", 2)])),
    ])

    static let networkPolicyPort = ObjectSchema("NetworkPolicyPort", [
        .string("protocol", 1),
        .intOrString("port", 2),
        .integer("endPort", 3),
    ])
}
