import PalisadeAPI
import PalisadeAdmission
import Testing

@Suite("Pod Security admission decisions")
struct PodSecurityAdmissionTests {
    let admission = PodSecurityAdmission()

    private func write(
        _ object: JSONValue, old: JSONValue? = nil, labels: [String: String], group: String = "", resource: String = "pods",
        namespace: String = "team", username: String = "alice", using admission: PodSecurityAdmission? = nil
    ) -> PodSecurityAdmission.Decision {
        (admission ?? self.admission).admit(
            .init(
                group: group, resource: resource, namespace: namespace, namespaceLabels: labels, object: object, old: old,
                username: username
            )
        )
    }

    private static func labels(_ pairs: [String: String]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: pairs.map { ("pod-security.kubernetes.io/\($0.key)", $0.value) })
    }

    private static let privileged = PodSecurityTestPods.pod(PodSecurityTestPods.bare) { spec in
        spec["containers"] = [["name": "app", "image": "registry.example/app:1", "securityContext": ["privileged": true]]]
    }

    @Test func enforceRefusesWithKubernetesReasons() {
        let decision = write(Self.privileged, labels: Self.labels(["enforce": "baseline"]))
        #expect(decision.denial == #"violates PodSecurity "baseline:latest": privileged (container "app" must not set securityContext.privileged=true)"#)
        #expect(decision.warnings.isEmpty)
        #expect(decision.auditAnnotations["pod-security.kubernetes.io/enforce-policy"] == "baseline:latest")
    }

    @Test func warnAndAuditReportWhatEnforceAdmits() throws {
        let decision = write(PodSecurityTestPods.bare, labels: Self.labels(["enforce": "baseline", "warn": "restricted", "audit": "restricted:"]))
        #expect(decision.denial == nil)
        let warning = try #require(decision.warnings.first)
        #expect(warning.hasPrefix(#"would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false"#))
        // The malformed audit label falls back to privileged, so nothing is audited, and the error is recorded.
        #expect(decision.auditAnnotations["pod-security.kubernetes.io/audit-violations"] == nil)
        #expect(decision.auditAnnotations["pod-security.kubernetes.io/error"]?.contains("pod-security.kubernetes.io/audit") == true)
    }

    @Test func auditRecordsViolations() {
        let decision = write(PodSecurityTestPods.bare, labels: Self.labels(["audit": "restricted", "audit-version": "v1.24"]))
        #expect(decision.denial == nil && decision.warnings.isEmpty)
        #expect(decision.auditAnnotations["pod-security.kubernetes.io/audit-violations"]?.hasPrefix(#"would violate PodSecurity "restricted:v1.24": "#) == true)
    }

    @Test func versionLabelSelectsTheRulesOfThatRelease() {
        // capabilities_restricted arrived in v1.22: a pod not dropping ALL passes restricted:v1.21.
        let pod = PodSecurityTestPods.pod { spec in
            spec["containers"] = [["name": "app", "image": "a", "securityContext": ["allowPrivilegeEscalation": false]]]
        }
        #expect(write(pod, labels: Self.labels(["enforce": "restricted", "enforce-version": "v1.21"])).denial == nil)
        #expect(write(pod, labels: Self.labels(["enforce": "restricted", "enforce-version": "v1.22"])).denial?.contains("unrestricted capabilities") == true)
    }

    @Test func workloadsAreWarnedAboutNeverRefused() {
        let deployment: JSONValue = [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web"],
            "spec": ["template": ["metadata": [:], "spec": Self.privileged["spec"]!]],
        ]
        let decision = write(deployment, labels: Self.labels(["enforce": "restricted"]), group: "apps", resource: "deployments")
        #expect(decision.denial == nil)
        #expect(decision.warnings.first?.hasPrefix(#"would violate PodSecurity "restricted:latest": privileged"#) == true)
        #expect(decision.auditAnnotations["pod-security.kubernetes.io/enforce-policy"] == nil)
    }

    @Test func otherKindsPass() {
        let configMap: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "c"]]
        #expect(write(configMap, labels: Self.labels(["enforce": "restricted"]), resource: "configmaps") == .init())
    }

    @Test func exemptionsSkipEvaluationAndSayWhy() {
        let exempt = PodSecurityAdmission(
            configuration: .init(exemptions: .init(usernames: ["ci-bot"], runtimeClasses: ["kata"], namespaces: ["kube-system"]))
        )
        let labels = Self.labels(["enforce": "restricted"])
        let annotation = { (decision: PodSecurityAdmission.Decision) in decision.auditAnnotations["pod-security.kubernetes.io/exempt"] }
        #expect(annotation(write(Self.privileged, labels: labels, namespace: "kube-system", using: exempt)) == "namespace")
        #expect(annotation(write(Self.privileged, labels: labels, username: "ci-bot", using: exempt)) == "user")
        let kata = PodSecurityTestPods.pod(Self.privileged) { $0["runtimeClassName"] = "kata" }
        #expect(annotation(write(kata, labels: labels, using: exempt)) == "runtimeClass")
        #expect(write(Self.privileged, labels: labels, using: exempt).denial != nil)
    }

    @Test func clusterDefaultsApplyToUnlabelledNamespaces() {
        let strict = PodSecurityAdmission(configuration: .init(defaults: .init(
            enforce: .init(.baseline), audit: .init(.privileged), warn: .init(.privileged))))
        #expect(write(Self.privileged, labels: [:], using: strict).denial != nil)
        #expect(write(Self.privileged, labels: Self.labels(["enforce": "privileged"]), using: strict).denial == nil)
    }

    @Test func metadataOnlyUpdatesAreNotRejudged() {
        let labels = Self.labels(["enforce": "restricted"])
        var relabelled = Self.privileged
        relabelled[path: ["metadata", "labels"]] = ["tier": "web"]
        #expect(write(relabelled, old: Self.privileged, labels: labels) == .init())
        var newImage = Self.privileged
        newImage[path: ["spec", "containers"]] = [["name": "app", "image": "registry.example/app:2", "securityContext": ["privileged": true]]]
        #expect(write(newImage, old: Self.privileged, labels: labels).denial != nil)
        var debugged = Self.privileged
        debugged[path: ["spec", "ephemeralContainers"]] = [["name": "debug", "image": "busybox"]]
        #expect(PodSecurityAdmission.isSignificantPodUpdate(old: Self.privileged, new: debugged))
    }

    @Test func namespaceLabelsAreValidated() {
        let errors = admission.labelErrors(Self.labels(["enforce": "strict", "warn-version": "1.25", "audit": "baseline"]))
        #expect(Set(errors.map(\.label)) == ["pod-security.kubernetes.io/enforce", "pod-security.kubernetes.io/warn-version"])
    }

    @Test func tighteningEnforceWarnsAboutExistingPods() {
        let old = Self.labels(["enforce": "privileged"])
        let new = Self.labels(["enforce": "baseline"])
        #expect(admission.enforceChanged(namespace: "team", old: old, new: new))
        #expect(!admission.enforceChanged(namespace: "team", old: new, new: new))
        #expect(!admission.enforceChanged(namespace: "team", old: new, new: old))
        func named(_ name: String, _ pod: JSONValue) -> JSONValue {
            var copy = pod
            copy[path: ["metadata", "name"]] = .string(name)
            return copy
        }
        let pods = [named("a", Self.privileged), named("b", PodSecurityTestPods.bare), named("c", Self.privileged), named("d", Self.privileged)]
        #expect(admission.existingPodWarnings(namespace: "team", labels: new, pods: pods) == [
            #"existing pods in namespace "team" violate the new PodSecurity enforce level "baseline:latest""#,
            "a (and 2 other pods): privileged",
        ])
        #expect(admission.existingPodWarnings(namespace: "team", labels: new, pods: [pods[1]]).isEmpty)
    }
}
