import PalisadeAPI
import PalisadeAdmission
import Testing

@Suite("Offline manifest check")
struct ManifestCheckTests {
    static let manifests = """
        # web tier
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          template:
            spec:
              hostNetwork: true
              containers: [{name: app, image: nginx}]
        ---

        # a list, as kubectl get -o yaml writes it
        apiVersion: v1
        kind: List
        items:
        - {apiVersion: v1, kind: Pod, metadata: {name: a}, spec: {containers: [{name: app, image: nginx}]}}
        - {apiVersion: batch/v1, kind: CronJob, metadata: {name: nightly}, spec: {jobTemplate: {spec: {template: {spec: {containers: [{name: job, image: busybox, securityContext: {privileged: true}}]}}}}}}
        """

    @Test func judgesPodsAndTemplatesWithTheirLines() throws {
        let findings = try ManifestCheck(policy: PodSecurityLevelVersion(.baseline)).check(Self.manifests)
        #expect(findings.map { "\($0.line) \($0.kind) \($0.name)" } == ["6 Deployment web", "17 Pod a", "17 CronJob nightly"])
        #expect(findings.map { $0.violations.map(\.id) } == [["hostNamespaces"], [], ["privileged"]])
    }

    @Test func theLevelAndVersionDecide() throws {
        let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: app, image: nginx}]}\n"
        #expect(try ManifestCheck(policy: PodSecurityLevelVersion(.privileged)).check(pod).first?.violations.isEmpty == true)
        let restricted = try ManifestCheck(policy: PodSecurityLevelVersion(.restricted, .v1(0))).check(pod)
        #expect(restricted.first?.violations.map(\.id) == ["runAsNonRoot"])
    }

    @Test func syntaxErrorsCarryTheFileLine() {
        let text = "apiVersion: v1\nkind: Pod\n---\napiVersion: v1\nmetadata: [\n"
        #expect {
            _ = try ManifestCheck(policy: PodSecurityLevelVersion(.baseline)).check(text)
        } throws: { error in
            guard let error = error as? YAMLFieldError, let line = error.line else { return false }
            return line >= 5 && error.problem.hasPrefix("not valid YAML")
        }
        #expect(throws: YAMLFieldError.self) { _ = try ManifestCheck(policy: PodSecurityLevelVersion(.baseline)).check("- just\n- a list\n") }
    }
}
