import Foundation
import PalisadeAPI
import PalisadeAgent
import Testing

/// Container environments as the kubelet builds them: order, overrides, `$(VAR)` expansion,
/// ConfigMap and Secret references, the downward API, and errors that name the field.
@Suite struct EnvironmentTests {
    static let objects: [JSONValue] = [
        ["kind": "ConfigMap", "metadata": ["namespace": "shop", "name": "settings"], "data": ["A": "from-configmap", "B": "b", "bad=key": "x"]],
        [
            "kind": "Secret", "metadata": ["namespace": "shop", "name": "creds"],
            "data": ["password": .string(Data("hunter2".utf8).base64EncodedString())],
        ],
        ["kind": "Secret", "metadata": ["namespace": "other", "name": "foreign"], "data": ["k": "dg=="]],
    ]

    static func pod(env: JSONValue = [], envFrom: JSONValue = [], resources: JSONValue = [:], initContainers: JSONValue = []) -> JSONValue {
        [
            "metadata": [
                "name": "web-1", "namespace": "shop", "uid": "1234", "labels": ["app": "web"], "annotations": ["team": "payments"],
            ],
            "spec": [
                "nodeName": "node-a", "serviceAccountName": "web",
                "initContainers": initContainers,
                "containers": [
                    ["name": "app", "image": "web", "env": env, "envFrom": envFrom, "resources": resources],
                    ["name": "sidecar", "image": "proxy", "resources": ["limits": ["memory": "128Mi"]]],
                ],
            ],
            "status": ["podIP": "10.1.0.7", "hostIP": "192.168.1.5"],
        ]
    }

    static func variables(_ pod: JSONValue, image: [String] = [], facts: ContainerEnvironment.PodFacts? = nil) async throws -> [String] {
        let container = try #require(PodContainer.appContainers(of: pod).first)
        return try await ContainerEnvironment(lookup: .objects(objects)).variables(for: container, in: pod, imageEnvironment: image, facts: facts)
    }

    static func failure(_ pod: JSONValue) async throws -> PodConfigError {
        try await podConfigError { _ = try await variables(pod) }
    }

    @Test func imageThenEnvFromThenEnvAndLaterDefinitionsReplaceInPlace() async throws {
        let pod = Self.pod(
            env: [["name": "C", "value": "$(B)-c"], ["name": "A", "value": "from-env"], ["name": "EMPTY"]],
            envFrom: [["configMapRef": ["name": "settings"]]])
        let result = try await Self.variables(pod, image: ["PATH=/usr/bin", "A=from-image"])
        #expect(result == ["PATH=/usr/bin", "A=from-env", "B=b", "C=b-c", "EMPTY="])
    }

    @Test func envFromPrefixesSecretsAreDecodedAndInvalidNamesSkipped() async throws {
        let pod = Self.pod(envFrom: [["configMapRef": ["name": "settings"], "prefix": "CFG_"], ["secretRef": ["name": "creds"]]])
        let result = try await Self.variables(pod)
        #expect(result == ["CFG_A=from-configmap", "CFG_B=b", "password=hunter2"])
    }

    @Test(arguments: [
        ("$(B)", "b"), ("$$(B)", "$(B)"), ("$(MISSING)", "$(MISSING)"), ("$(B", "$(B"), ("a$b", "a$b"), ("$", "$"),
        ("x$$", "x$"), ("$(B)$(B)", "bb"), ("$(PATH)", "$(PATH)"), ("ü$(B)ü", "übü"),
    ])
    func valuesExpandLikeTheKubelet(input: String, expected: String) async throws {
        let pod = Self.pod(env: [["name": "B", "value": "b"], ["name": "OUT", "value": .string(input)]])
        let result = try await Self.variables(pod, image: ["PATH=/bin"])
        #expect(result.last == "OUT=\(expected)")
    }

    @Test func aReferenceToALaterVariableStaysUnexpanded() async throws {
        let pod = Self.pod(env: [["name": "FIRST", "value": "$(SECOND)"], ["name": "SECOND", "value": "2"]])
        #expect(try await Self.variables(pod) == ["FIRST=$(SECOND)", "SECOND=2"])
    }

    @Test func keyReferencesResolveAndOptionalOnesMayBeMissing() async throws {
        let pod = Self.pod(env: [
            ["name": "PASSWORD", "valueFrom": ["secretKeyRef": ["name": "creds", "key": "password"]]],
            ["name": "SETTING", "valueFrom": ["configMapKeyRef": ["name": "settings", "key": "B"]]],
            ["name": "GONE", "valueFrom": ["secretKeyRef": ["name": "nope", "key": "k", "optional": true]]],
            ["name": "NOKEY", "valueFrom": ["configMapKeyRef": ["name": "settings", "key": "zzz", "optional": true]]],
        ])
        #expect(try await Self.variables(pod) == ["PASSWORD=hunter2", "SETTING=b"])
    }

    @Test func aMissingSecretNamesTheFieldAndIsAConfigError() async throws {
        let pod = Self.pod(env: [
            ["name": "A", "value": "1"], ["name": "B", "value": "2"],
            ["name": "C", "valueFrom": ["secretKeyRef": ["name": "x", "key": "k"]]],
        ])
        let error = try await Self.failure(pod)
        #expect(error.message == "spec.containers[0].env[2].valueFrom.secretKeyRef: secret \"x\" not found")
        #expect(error.code == .missingReference && error.reason == "CreateContainerConfigError")
    }

    @Test func aMissingKeyNamesTheObjectButNeverItsValues() async throws {
        let pod = Self.pod(env: [["name": "C", "valueFrom": ["secretKeyRef": ["name": "creds", "key": "token"]]]])
        let error = try await Self.failure(pod)
        #expect(error.message == "spec.containers[0].env[0].valueFrom.secretKeyRef: couldn't find key token in Secret shop/creds")
        #expect(!error.message.contains("hunter2"))
    }

    @Test func secretsOfOtherNamespacesAreNotVisible() async throws {
        let pod = Self.pod(envFrom: [["configMapRef": ["name": "settings"]], ["secretRef": ["name": "foreign"]]])
        let error = try await Self.failure(pod)
        #expect(error.message == "spec.containers[0].envFrom[1].secretRef: secret \"foreign\" not found")
        let optional = Self.pod(envFrom: [["secretRef": ["name": "foreign", "optional": true]]])
        #expect(try await Self.variables(optional) == [])
    }

    @Test func initContainerErrorsNameTheInitContainerField() async throws {
        let pod = Self.pod(initContainers: [
            ["name": "setup", "env": [["name": "X", "valueFrom": ["configMapKeyRef": ["name": "none", "key": "k"]]]]]
        ])
        let container = try #require(PodContainer.initContainers(of: pod).first)
        let error = try await podConfigError { _ = try await ContainerEnvironment(lookup: .objects(Self.objects)).variables(for: container, in: pod) }
        #expect(error.message == "spec.initContainers[0].env[0].valueFrom.configMapKeyRef: configmap \"none\" not found")
    }

    @Test(arguments: [
        ("metadata.name", "web-1"), ("metadata.namespace", "shop"), ("metadata.uid", "1234"), ("metadata.labels['app']", "web"),
        ("metadata.labels['missing']", ""), ("metadata.annotations['team']", "payments"), ("spec.nodeName", "node-a"),
        ("spec.serviceAccountName", "web"), ("status.podIP", "10.1.0.7"), ("status.hostIP", "192.168.1.5"),
    ])
    func fieldReferencesExposeThePod(fieldPath: String, expected: String) async throws {
        let pod = Self.pod(env: [["name": "V", "valueFrom": ["fieldRef": ["fieldPath": .string(fieldPath)]]]])
        #expect(try await Self.variables(pod) == ["V=\(expected)"])
    }

    @Test func factsOverrideTheStatusIPs() async throws {
        let pod = Self.pod(env: [["name": "IP", "valueFrom": ["fieldRef": ["fieldPath": "status.podIP"]]]])
        let facts = ContainerEnvironment.PodFacts(podIPs: ["10.9.9.9"], hostIPs: [])
        #expect(try await Self.variables(pod, facts: facts) == ["IP=10.9.9.9"])
    }

    @Test func anUnknownFieldPathIsUnsupported() async throws {
        let error = try await Self.failure(Self.pod(env: [["name": "V", "valueFrom": ["fieldRef": ["fieldPath": "spec.hostname"]]]]))
        #expect(error.code == .unsupported)
        #expect(error.message.hasPrefix("spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: "))
    }

    @Test(
        arguments: [
            ("limits.cpu", nil, "1"), ("limits.cpu", "1m", "500"), ("requests.cpu", "1m", "250"), ("limits.memory", nil, "67108864"),
            ("limits.memory", "1Mi", "64"), ("requests.memory", "1Mi", "0"), ("limits.ephemeral-storage", "1Gi", "10"),
        ] as [(String, String?, String)])
    func resourceReferencesDivideAndRoundUp(resource: String, divisor: String?, expected: String) async throws {
        var reference: JSONValue = ["resource": .string(resource)]
        if let divisor { reference["divisor"] = .string(divisor) }
        let pod = Self.pod(
            env: [["name": "V", "valueFrom": ["resourceFieldRef": reference]]],
            resources: ["limits": ["cpu": "500m", "memory": "64Mi"], "requests": ["cpu": "250m"]])
        let facts = ContainerEnvironment.PodFacts(nodeAllocatable: ["cpu": "4", "memory": "8Gi", "ephemeral-storage": "10Gi"])
        #expect(try await Self.variables(pod, facts: facts) == ["V=\(expected)"])
    }

    @Test func resourceReferencesMayNameAnotherContainer() async throws {
        let pod = Self.pod(env: [
            ["name": "V", "valueFrom": ["resourceFieldRef": ["containerName": "sidecar", "resource": "limits.memory", "divisor": "1Mi"]]]
        ])
        #expect(try await Self.variables(pod) == ["V=128"])
        let unknown = Self.pod(env: [["name": "V", "valueFrom": ["resourceFieldRef": ["resource": "limits.gpu"]]]])
        #expect(try await Self.failure(unknown).code == .unsupported)
    }

    @Test func undecodableSecretDataNamesTheKeyOnly() async throws {
        let objects: [JSONValue] = [
            ["kind": "Secret", "metadata": ["namespace": "shop", "name": "broken"], "data": ["token": "not base64 s3cr3t!"]]
        ]
        let pod = Self.pod(envFrom: [["secretRef": ["name": "broken"]]])
        let container = try #require(PodContainer.appContainers(of: pod).first)
        let error = try await podConfigError { _ = try await ContainerEnvironment(lookup: .objects(objects)).variables(for: container, in: pod) }
        #expect(error.message.contains("token") && !error.message.contains("s3cr3t"))
    }

    @Test func aFailingLookupIsReportedWithTheField() async throws {
        struct Unreachable: Error, CustomStringConvertible { var description: String { "connection refused" } }
        let failing = PodObjectLookup(configMap: { _, _ in throw Unreachable() }, secret: { _, _ in nil }, persistentVolumeClaim: { _, _ in nil })
        let pod = Self.pod(envFrom: [["configMapRef": ["name": "settings"]]])
        let container = try #require(PodContainer.appContainers(of: pod).first)
        let error = try await podConfigError { _ = try await ContainerEnvironment(lookup: failing).variables(for: container, in: pod) }
        #expect(error.code == .lookupFailed)
        #expect(error.message == "spec.containers[0].envFrom[0].configMapRef: getting configmap \"settings\": connection refused")
    }
}
