import Foundation
import PalisadeAPI
import PalisadeClient
@testable import PalisadeGateway
import PalisadeTesting
import Testing

/// A node reads only what its own pods use and writes only its own objects.
@Suite struct NodeAuthorizerTests {
    static let pods = "/api/v1/namespaces/default/pods"
    static let secrets = "/api/v1/namespaces/default/secrets"

    static func pod(_ name: String, on node: String, secret: String) -> JSONValue {
        [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name)],
            "spec": [
                "nodeName": .string(node),
                "containers": [["name": "app", "image": "busybox", "env": [["name": "TOKEN", "valueFrom": ["secretKeyRef": ["name": .string(secret), "key": "token"]]]]]],
            ],
        ]
    }

    static func node(_ name: String) -> JSONValue {
        ["apiVersion": "v1", "kind": "Node", "metadata": ["name": .string(name)]]
    }

    @Test func aNodeReadsOnlyWhatItsOwnPodsUse() async throws {
        try await TestCluster.with { cluster in
            for name in ["mine", "theirs", "unused"] {
                try await cluster.admin.create(Self.secrets, ["metadata": ["name": .string(name)], "stringData": ["token": "s3cret"]])
            }
            try await cluster.admin.create(Self.pods, Self.pod("local", on: "n1", secret: "mine"))
            try await cluster.admin.create(Self.pods, Self.pod("remote", on: "n2", secret: "theirs"))
            try await cluster.withClient(user: "system:node:n1", groups: ["system:nodes", "system:authenticated"]) { node in
                #expect(try await node.request("GET", "\(Self.secrets)/mine", json: nil).status == 200, "a Secret its pod uses")
                let refused = try await node.request("GET", "\(Self.secrets)/theirs", json: nil).expectFailure(403, "Forbidden")
                #expect(refused["message"]?.stringValue?.contains("no pod bound to this node uses it") == true)
                try await node.request("GET", "\(Self.secrets)/unused", json: nil).expectFailure(403, "Forbidden")
                try await node.request("GET", Self.secrets, json: nil).expectFailure(403, "Forbidden")
                #expect(try await node.request("GET", "\(Self.secrets)?fieldSelector=metadata.name%3Dmine", json: nil).status == 200)

                // Its pods, listed by node; not the others.
                try await node.request("GET", "/api/v1/pods", json: nil).expectFailure(403, "Forbidden")
                let listed = try await node.send("GET", "/api/v1/pods?fieldSelector=spec.nodeName%3Dn1", expect: 200)
                #expect(listed["items"]?.arrayValue?.compactMap(\.name) == ["local"])
                try await node.request("GET", "/api/v1/pods?fieldSelector=spec.nodeName%3Dn2", json: nil).expectFailure(403, "Forbidden")
                try await node.request("GET", "\(Self.pods)/remote", json: nil).expectFailure(403, "Forbidden")
                #expect(try await node.request("GET", "\(Self.pods)/local", json: nil).status == 200)
                var status = try await node.get("\(Self.pods)/local")
                status[path: ["status", "phase"]] = "Running"
                #expect(try await node.request("PUT", "\(Self.pods)/local/status", json: status).status == 200)
                try await node.request("POST", Self.pods, json: Self.pod("mirror", on: "n1", secret: "mine")).expectFailure(403, "Forbidden")

                // Its own Node and Lease; not another's.
                #expect(try await node.request("POST", "/api/v1/nodes", json: Self.node("n1")).status == 201)
                try await node.request("POST", "/api/v1/nodes", json: Self.node("n3")).expectFailure(403, "Forbidden")
                let own = try await node.get("/api/v1/nodes/n1")
                #expect(try await node.request("PUT", "/api/v1/nodes/n1/status", json: own).status == 200)
                try await cluster.admin.create("/api/v1/nodes", Self.node("n2"))
                try await node.request("PATCH", "/api/v1/nodes/n2", body: JSONSerializer.bytes(["metadata": ["labels": ["x": "y"]]]), contentType: MediaType.mergePatch)
                    .expectFailure(403, "Forbidden")
                try await node.request("DELETE", "/api/v1/nodes/n1", json: nil).expectFailure(403, "Forbidden")
                let lease: JSONValue = ["metadata": ["name": "n1"], "spec": ["holderIdentity": "n1"]]
                #expect(try await node.request("POST", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", json: lease).status == 201)
                let otherLease: JSONValue = ["metadata": ["name": "n2"], "spec": ["holderIdentity": "n1"]]
                try await node.request("POST", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", json: otherLease).expectFailure(403, "Forbidden")
                try await node.request("GET", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n2", json: nil).expectFailure(403, "Forbidden")
                // Nothing else, whatever RBAC would say.
                try await node.request("GET", "/api/v1/namespaces/default/configmaps", json: nil).expectFailure(403, "Forbidden")
                try await node.request("GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles", json: nil).expectFailure(403, "Forbidden")
            }
        }
    }

    @Test func aPodUsesWhatItsVolumesEnvironmentAndPullSecretsName() {
        let pod: JSONValue = [
            "spec": [
                "imagePullSecrets": [["name": "registry"]], "serviceAccountName": "builder",
                "volumes": [
                    ["name": "a", "secret": ["secretName": "tls"]], ["name": "b", "configMap": ["name": "settings"]],
                    ["name": "c", "persistentVolumeClaim": ["claimName": "data"]],
                    ["name": "d", "projected": ["sources": [["secret": ["name": "projected-secret"]], ["configMap": ["name": "projected-map"]]]]],
                ],
                "initContainers": [["name": "init", "envFrom": [["secretRef": ["name": "init-env"]], ["configMapRef": ["name": "init-map"]]]]],
                "containers": [["name": "app", "env": [["name": "X", "valueFrom": ["configMapKeyRef": ["name": "app-map", "key": "x"]]]]]],
            ],
        ]
        let references = PodReferences(pod)
        #expect(references.secrets == ["registry", "tls", "projected-secret", "init-env"])
        #expect(references.configMaps == ["settings", "projected-map", "init-map", "app-map"])
        #expect(references.claims == ["data"] && references.serviceAccounts == ["builder"])
        #expect(PodReferences(["spec": .emptyObject]).serviceAccounts == ["default"])
    }
}
