import Testing
@testable import PalisadeAPI

/// Bodies captured from kubectl 1.32 and bodies built the way it writes them.
struct ProtobufDecoderTests {
    static let capturedBodies: [(name: String, hex: String, expected: String)] = [
        (
            "namespace",
            "6b3873000a0f0a02763112094e616d657370616365121e0a160a067465616d2d6112001a0022002a003200380042001200"
                + "1a020a001a002200",
            #"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team-a"}}"#
        ),
        (
            "secret",
            "6b3873000a0c0a027631120653656372657412390a180a02646212001a067465616d2d6122002a0032003800420012"
                + "0c0a0270771206733363723374120d0a0475736572120561646d696e1a001a002200",
            #"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"db","namespace":"team-a"},"#
                + #""data":{"pw":"czNjcjN0","user":"YWRtaW4="}}"#
        ),
        (
            "role",
            "6b3873000a240a1c726261632e617574686f72697a6174696f6e2e6b38732e696f2f76311204526f6c65123e0a200a0a"
                + "706f642d72656164657212001a067465616d2d6122002a00320038004200121a0a036765740a046c6973740a0577"
                + "6174636812001a04706f64731a002200",
            #"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","#
                + #""metadata":{"name":"pod-reader","namespace":"team-a"},"#
                + #""rules":[{"verbs":["get","list","watch"],"apiGroups":[""],"resources":["pods"]}]}"#
        ),
        (
            "self subject rules review",
            "6b3873000a310a17617574686f72697a6174696f6e2e6b38732e696f2f7631121653656c665375626a65637452756c"
                + "657352657669657712230a100a0012001a0022002a0032003800420012090a0764656661756c741a04180022001a"
                + "002200",
            #"{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview","metadata":{},"#
                + #""spec":{"namespace":"default"}}"#
        ),
        (
            "self subject review",
            "6b3873000a2d0a1861757468656e7469636174696f6e2e6b38732e696f2f7631121153656c665375626a6563745265"
                + "76696577121a0a100a0012001a0022002a0032003800420012060a040a0012001a002200",
            #"{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview","metadata":{}}"#
        ),
        (
            "cluster role binding",
            "6b3873000a320a1c726261632e617574686f72697a6174696f6e2e6b38732e696f2f76311212436c7573746572526f"
                + "6c6542696e64696e67126f0a140a046372623112001a0022002a0032003800420012280a04557365721219726261"
                + "632e617574686f72697a6174696f6e2e6b38732e696f1a03626f6222001a2d0a19726261632e617574686f72697a"
                + "6174696f6e2e6b38732e696f120b436c7573746572526f6c651a036372311a002200",
            #"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"crb1"},"#
                + #""subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"bob"}],"#
                + #""roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"cr1"}}"#
        ),
        (
            "self subject access review",
            "6b3873000a320a17617574686f72697a6174696f6e2e6b38732e696f2f76311217 53656c665375626a656374416363"
                + "65737352657669657 7 123c0a100a0012001a0022002a00320038004200121e0a1c0a0764656661756c74120367"
                + "65741a0022002a04706f647332003a001a080800120 01a002000 1a002200",
            #"{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","metadata":{},"#
                + #""spec":{"resourceAttributes":{"namespace":"default","verb":"get","resource":"pods"}}}"#
        ),
    ]

    @Test(arguments: capturedBodies)
    func decodesCapturedKubectlBody(_ body: (name: String, hex: String, expected: String)) throws {
        let decoded = try KubernetesProtobuf.decode(SchemaFixture.hex(body.hex))
        #expect(decoded == SchemaFixture.json(body.expected), "\(body.name)")
    }

    @Test func decodesDeploymentAsCreatedByKubectl() throws {
        let body = ProtobufTestEncoder.body(apiVersion: "apps/v1", kind: "Deployment") { raw in
            raw.message(1) { meta in
                meta.string(1, "web")
                meta.string(2, "")
                meta.string(3, "")
                meta.int(7, 0)
                meta.message(8)
                meta.entry(11, "app", "web")
            }
            raw.message(2) { spec in
                spec.int(1, 2)
                spec.message(2) { $0.entry(1, "app", "web") }
                spec.message(3) { template in
                    template.message(1) { meta in
                        meta.string(1, "")
                        meta.message(8)
                        meta.entry(11, "app", "web")
                    }
                    template.message(2) { pod in
                        pod.message(2) { container in
                            container.string(1, "nginx")
                            container.string(2, "nginx")
                            container.message(8)
                            container.string(13, "")
                            container.string(14, "")
                            container.bool(16, false)
                        }
                        pod.string(3, "")
                        pod.string(6, "")
                        pod.message(14)
                    }
                }
                spec.message(4)
                spec.int(5, 0)
            }
            raw.message(3) { status in
                status.int(1, 0)
                status.int(2, 0)
            }
        }
        let expected = SchemaFixture.json(#"""
            {"apiVersion":"apps/v1","kind":"Deployment",
             "metadata":{"name":"web","labels":{"app":"web"}},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
                     "template":{"metadata":{"labels":{"app":"web"}},
                                 "spec":{"containers":[{"name":"nginx","image":"nginx"}]}}}}
            """#)
        #expect(try KubernetesProtobuf.decode(body) == expected)
    }

    @Test func decodesIntOrStringAsIntegerOrString() throws {
        let body = ProtobufTestEncoder.body(apiVersion: "apps/v1", kind: "Deployment") { raw in
            raw.message(1) { $0.string(1, "web") }
            raw.message(2) { spec in
                spec.message(4) { strategy in
                    strategy.string(1, "RollingUpdate")
                    strategy.message(2) { rolling in
                        rolling.message(1) { zero in
                            zero.int(1, 0)
                            zero.int(2, 0)
                            zero.string(3, "")
                        }
                        rolling.message(2) { percent in
                            percent.int(1, 1)
                            percent.int(2, 0)
                            percent.string(3, "25%")
                        }
                    }
                }
            }
        }
        let decoded = try KubernetesProtobuf.decode(body)
        #expect(decoded[path: ["spec", "strategy"]] == SchemaFixture.json(#"""
            {"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":0,"maxSurge":"25%"}}
            """#))
    }

    @Test func omitsEmptyIntOrString() throws {
        let body = ProtobufTestEncoder.body(apiVersion: "v1", kind: "Service") { raw in
            raw.message(1) { $0.string(1, "web") }
            raw.message(2) { spec in
                spec.message(1) { port in
                    port.string(1, "")
                    port.int(3, 80)
                    port.message(4)
                }
            }
        }
        let decoded = try KubernetesProtobuf.decode(body)
        #expect(decoded[path: ["spec", "ports"]] == SchemaFixture.json(#"[{"port":80}]"#))
    }

    @Test(arguments: [
        (Int64(1_795_827_503), Int64(0), "2026-11-28T00:58:23Z"),
        (1_709_208_000, 999_999_999, "2024-02-29T12:00:00Z"),
        (-1, 0, "1969-12-31T23:59:59Z"),
        (-62_135_596_800, 0, "0001-01-01T00:00:00Z"),
        (253_402_300_799, 0, "9999-12-31T23:59:59Z"),
    ])
    func decodesTimeAsRFC3339(_ seconds: Int64, _ nanos: Int64, _ expected: String) throws {
        let body = ProtobufTestEncoder.body(apiVersion: "v1", kind: "Namespace") { raw in
            raw.message(1) { meta in
                meta.string(1, "team-a")
                meta.message(8) {
                    $0.int(1, seconds)
                    $0.int(2, nanos)
                }
            }
        }
        let decoded = try KubernetesProtobuf.decode(body)
        #expect(decoded[path: ["metadata", "creationTimestamp"]] == .string(expected))
    }

    @Test func decodesMicroTimeWithMicroseconds() throws {
        let body = ProtobufTestEncoder.body(apiVersion: "coordination.k8s.io/v1", kind: "Lease") { raw in
            raw.message(1) { $0.string(1, "leader") }
            raw.message(2) { spec in
                spec.string(1, "node-1")
                spec.int(2, 15)
                spec.message(3)
                spec.message(4) {
                    $0.int(1, 1_795_827_503)
                    $0.int(2, 123_456_789)
                }
            }
        }
        let decoded = try KubernetesProtobuf.decode(body)
        #expect(decoded["spec"] == SchemaFixture.json(#"""
            {"holderIdentity":"node-1","leaseDurationSeconds":15,"renewTime":"2026-11-28T00:58:23.123456Z"}
            """#))
    }

    @Test func flattensEmbeddedStructsAndKeepsMeaningfulEmptyMessages() throws {
        let body = ProtobufTestEncoder.body(apiVersion: "v1", kind: "Pod") { raw in
            raw.message(1) { $0.string(1, "web") }
            raw.message(2) { spec in
                spec.message(1) { volume in
                    volume.string(1, "cache")
                    volume.message(2) { $0.message(2) }
                }
                spec.message(1) { volume in
                    volume.string(1, "config")
                    volume.message(2) { source in
                        source.message(19) { configMap in
                            configMap.message(1) { $0.string(1, "web-config") }
                            configMap.bool(4, true)
                        }
                    }
                }
                spec.message(2) { container in
                    container.string(1, "web")
                    container.message(11) { probe in
                        probe.message(1) { handler in
                            handler.message(2) { get in
                                get.string(1, "/healthz")
                                get.message(2) { port in
                                    port.int(1, 1)
                                    port.string(3, "http")
                                }
                            }
                        }
                        probe.int(4, 5)
                    }
                }
                spec.message(18) { affinity in
                    affinity.message(2) { podAffinity in
                        podAffinity.message(1) { term in
                            term.message(1)
                            term.string(3, "kubernetes.io/hostname")
                        }
                    }
                }
            }
        }
        let decoded = try KubernetesProtobuf.decode(body)
        #expect(decoded["spec"] == SchemaFixture.json(#"""
            {"volumes":[{"name":"cache","emptyDir":{}},
                        {"name":"config","configMap":{"name":"web-config","optional":true}}],
             "containers":[{"name":"web","readinessProbe":{"httpGet":{"path":"/healthz","port":"http"},"periodSeconds":5}}],
             "affinity":{"podAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[
                 {"labelSelector":{},"topologyKey":"kubernetes.io/hostname"}]}}}
            """#))
    }

    @Test func decodesBytesMapsListsAndExtraValues() throws {
        let body = ProtobufTestEncoder.body(apiVersion: "certificates.k8s.io/v1", kind: "CertificateSigningRequest") { raw in
            raw.message(1) { $0.string(1, "csr") }
            raw.message(2) { spec in
                spec.bytes(1, Array("PEM".utf8))
                spec.string(5, "client auth")
                spec.string(5, "")
                spec.message(6) { entry in
                    entry.string(1, "scopes")
                    entry.message(2) {
                        $0.string(1, "a")
                        $0.string(1, "b")
                    }
                }
                spec.message(6) { $0.string(1, "empty") }
                spec.string(7, "kubernetes.io/kube-apiserver-client")
            }
        }
        let decoded = try KubernetesProtobuf.decode(body)
        #expect(decoded["spec"] == SchemaFixture.json(#"""
            {"request":"UEVN","usages":["client auth",""],"extra":{"scopes":["a","b"],"empty":[]},
             "signerName":"kubernetes.io/kube-apiserver-client"}
            """#))
    }

    @Test func skipsUnknownFieldNumbersOfEveryWireType() throws {
        let body = ProtobufTestEncoder.body(apiVersion: "v1", kind: "ConfigMap") { raw in
            raw.message(1) { meta in
                meta.string(1, "settings")
                meta.int(900, 7)
                meta.string(901, "ignored")
            }
            raw.tag(77, wireType: 1)
            raw.append([UInt8](repeating: 0xff, count: 8))
            raw.tag(78, wireType: 5)
            raw.append([1, 2, 3, 4])
            raw.entry(2, "mode", "")
        }
        #expect(try KubernetesProtobuf.decode(body) == SchemaFixture.json(#"""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings"},"data":{"mode":""}}
            """#))
    }

    @Test func decodesManagedFieldsRawJSON() throws {
        let body = ProtobufTestEncoder.body(apiVersion: "v1", kind: "ConfigMap") { raw in
            raw.message(1) { meta in
                meta.string(1, "settings")
                meta.message(17) { entry in
                    entry.string(1, "kubectl")
                    entry.string(2, "Update")
                    entry.message(7) { $0.bytes(1, Array(#"{"f:data":{".":{}}}"#.utf8)) }
                }
            }
        }
        let decoded = try KubernetesProtobuf.decode(body)
        #expect(decoded[path: ["metadata", "managedFields"]] == SchemaFixture.json(#"""
            [{"manager":"kubectl","operation":"Update","fieldsV1":{"f:data":{".":{}}}}]
            """#))
    }
}
