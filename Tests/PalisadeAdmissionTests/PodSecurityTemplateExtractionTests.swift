import PalisadeAPI
import PalisadeAdmission
import Testing

@Suite("Pod Security template extraction")
struct PodSecurityTemplateExtractionTests {
    static let metadata: JSONValue = ["labels": ["app": "web"], "annotations": ["seccomp.security.alpha.kubernetes.io/pod": "unconfined"]]
    static let spec: JSONValue = ["containers": [["name": "web", "image": "registry.example/web:1"]]]
    static let template: JSONValue = ["metadata": metadata, "spec": spec]

    static func object(_ apiVersion: String, _ kind: String, _ body: [String: JSONValue]) -> JSONValue {
        var object: JSONValue = ["apiVersion": .string(apiVersion), "kind": .string(kind), "metadata": ["name": "x"]]
        for (key, value) in body { object[key] = value }
        return object
    }

    static let workloads: [(String, JSONValue)] = [
        ("PodTemplate", object("v1", "PodTemplate", ["template": template])),
        ("ReplicationController", object("v1", "ReplicationController", ["spec": ["replicas": 1, "template": template]])),
        ("ReplicaSet", object("apps/v1", "ReplicaSet", ["spec": ["template": template]])),
        ("Deployment", object("apps/v1", "Deployment", ["spec": ["template": template]])),
        ("StatefulSet", object("apps/v1", "StatefulSet", ["spec": ["template": template]])),
        ("DaemonSet", object("apps/v1", "DaemonSet", ["spec": ["template": template]])),
        ("Job", object("batch/v1", "Job", ["spec": ["template": template]])),
        ("CronJob", object("batch/v1", "CronJob", ["spec": ["schedule": "* * * * *", "jobTemplate": ["spec": ["template": template]]]])),
    ]

    @Test("a Pod is its own pod")
    func pod() {
        let pod = Self.object("v1", "Pod", ["metadata": Self.metadata, "spec": Self.spec])
        #expect(PodTemplateExtraction.pod(in: pod) == PodSecurityPod(metadata: Self.metadata, spec: Self.spec))
        #expect(!PodTemplateExtraction.isWorkload(pod))
    }

    @Test("workloads give their pod template", arguments: workloads.map(\.1))
    func workload(_ object: JSONValue) {
        #expect(PodTemplateExtraction.pod(in: object) == PodSecurityPod(metadata: Self.metadata, spec: Self.spec))
        #expect(PodTemplateExtraction.isWorkload(object))
        // The template's annotations count: the v1.0 seccomp rule reads them.
        let results = PodSecurityEvaluator.standard.evaluate(PodSecurityLevelVersion(.baseline, .v1(18)), object: object)
        #expect(results.map(\.id) == ["seccompProfile_baseline"])
    }

    @Test("objects without a pod template give none")
    func noPod() {
        let cases: [JSONValue] = [
            Self.object("v1", "Service", ["spec": ["template": Self.template]]),
            Self.object("example.com/v1", "Deployment", ["spec": ["template": Self.template]]),
            Self.object("apps/v1", "Pod", ["spec": Self.spec]),
            Self.object("apps/v1", "Deployment", ["spec": ["replicas": 1]]),
            Self.object("v1", "ReplicationController", ["spec": ["template": .null]]),
            Self.object("batch/v1", "CronJob", ["spec": ["template": Self.template]]),
            ["kind": "Pod", "spec": Self.spec],
            .null,
        ]
        for object in cases {
            #expect(PodTemplateExtraction.pod(in: object) == nil, "\(object)")
            #expect(PodSecurityEvaluator.standard.evaluate(PodSecurityLevelVersion(.restricted), object: object).isEmpty)
        }
    }

    @Test("the request's group and resource find the pod even when the body has no kind")
    func byResource() {
        let expected = PodSecurityPod(metadata: Self.metadata, spec: Self.spec)
        let bare: JSONValue = ["metadata": Self.metadata, "spec": Self.spec]
        #expect(PodTemplateExtraction.pod(in: bare, group: "", resource: "pods") == expected)
        #expect(PodTemplateExtraction.pod(in: ["spec": ["template": Self.template]], group: "apps", resource: "deployments") == expected)
        let cronJob: JSONValue = ["spec": ["jobTemplate": ["spec": ["template": Self.template]]]]
        #expect(PodTemplateExtraction.pod(in: cronJob, group: "batch", resource: "cronjobs") == expected)
        #expect(PodTemplateExtraction.pod(in: bare, group: "apps", resource: "pods") == nil)
        #expect(PodTemplateExtraction.pod(in: bare, group: "", resource: "services") == nil)
    }

    @Test("a template without metadata or spec is evaluated as empty")
    func emptyTemplate() {
        let deployment = Self.object("apps/v1", "Deployment", ["spec": ["template": .emptyObject]])
        #expect(PodTemplateExtraction.pod(in: deployment) == PodSecurityPod(metadata: .emptyObject, spec: .emptyObject))
    }
}
