import PalisadeAPI
import PalisadeAdmission
import Testing

@Suite("Pod Security evaluator")
struct PodSecurityEvaluatorTests {
    let evaluator = PodSecurityEvaluator.standard

    private func lv(_ text: String) -> PodSecurityLevelVersion { PodSecurityLevelVersion(text)! }

    private static let baselineIDs = [
        "appArmorProfile", "capabilities_baseline", "hostNamespaces", "hostPathVolumes", "hostPorts", "hostProbesAndHostLifecycle",
        "privileged", "procMount", "seLinuxOptions", "seccompProfile_baseline", "sysctls", "windowsHostProcess",
    ]

    @Test("the check table is Kubernetes' 19 checks with their levels, revisions and overrides")
    func checkTable() {
        let table = evaluator.checks.map { "\($0.id) \($0.level.rawValue) \($0.revisions) \($0.overrides)" }
        #expect(table == [
            "appArmorProfile baseline [0] []",
            "capabilities_baseline baseline [0] []",
            "hostNamespaces baseline [0] []",
            "hostPathVolumes baseline [0] []",
            "hostPorts baseline [0] []",
            "hostProbesAndHostLifecycle baseline [34] []",
            "privileged baseline [0] []",
            "procMount baseline [0, 35] []",
            "seLinuxOptions baseline [0, 31] []",
            "seccompProfile_baseline baseline [0, 19] []",
            "sysctls baseline [0, 27, 29, 32, 37] []",
            "windowsHostProcess baseline [0] []",
            "allowPrivilegeEscalation restricted [8, 25] []",
            "capabilities_restricted restricted [22, 25] [\"capabilities_baseline\"]",
            "procMount_restricted restricted [35] [\"procMount\"]",
            "restrictedVolumes restricted [0] [\"hostPathVolumes\"]",
            "runAsNonRoot restricted [0, 35] []",
            "runAsUser restricted [23, 35] []",
            "seccompProfile_restricted restricted [19, 25] [\"seccompProfile_baseline\"]",
        ])
    }

    @Test("latest is the newest revision of any check; newer versions clamp to it")
    func clamping() {
        #expect(evaluator.newestMinor == 37)
        #expect(evaluator.minor(for: .latest) == 37)
        #expect(evaluator.minor(for: .v1(99)) == 37)
        #expect(evaluator.minor(for: .v1(37)) == 37)
        #expect(evaluator.minor(for: .v1(21)) == 21)
        for level in [PodSecurityLevel.baseline, .restricted] {
            for pod in [PodSecurityTestPods.bare, PodSecurityTestPods.hostile] {
                let latest = evaluator.evaluate(PodSecurityLevelVersion(level, .latest), object: pod)
                #expect(evaluator.evaluate(PodSecurityLevelVersion(level, .v1(99)), object: pod) == latest)
                #expect(evaluator.evaluate(PodSecurityLevelVersion(level, .v1(37)), object: pod) == latest)
            }
        }
    }

    @Test("the 1.37 sysctls are allowed at latest and beyond, not at 1.36")
    func latestIncludesNewestRevision() {
        let pod = PodSecurityTestPods.pod { $0["securityContext"]?["sysctls"] = [["name": "net.ipv4.tcp_notsent_lowat", "value": "1"]] }
        #expect(evaluator.evaluate(lv("baseline:latest"), object: pod).isEmpty)
        #expect(evaluator.evaluate(lv("baseline:v1.40"), object: pod).isEmpty)
        #expect(evaluator.evaluate(lv("baseline:v1.36"), object: pod).map(\.id) == ["sysctls"])
    }

    @Test("privileged allows everything at every version")
    func privilegedAllowsAll() {
        for version in [PodSecurityVersion.v1(0), .v1(25), .latest] {
            let policy = PodSecurityLevelVersion(.privileged, version)
            #expect(evaluator.checkIDs(for: policy).isEmpty)
            #expect(evaluator.evaluate(policy, object: PodSecurityTestPods.hostile).isEmpty)
        }
    }

    @Test("baseline runs only baseline checks, each from its first revision")
    func baselineChecks() {
        #expect(evaluator.checkIDs(for: lv("baseline:latest")) == Self.baselineIDs)
        #expect(evaluator.checkIDs(for: lv("baseline:v1.33")) == Self.baselineIDs.filter { $0 != "hostProbesAndHostLifecycle" })
        #expect(evaluator.checkIDs(for: lv("baseline:v1.0")) == evaluator.checkIDs(for: lv("baseline:v1.33")))
    }

    @Test("restricted overrides a baseline check only where the overriding check exists")
    func overridesFollowVersions() {
        #expect(evaluator.checkIDs(for: lv("restricted:v1.0")) == [
            "appArmorProfile", "capabilities_baseline", "hostNamespaces", "hostPorts", "privileged", "procMount", "seLinuxOptions",
            "seccompProfile_baseline", "sysctls", "windowsHostProcess", "restrictedVolumes", "runAsNonRoot",
        ])
        #expect(evaluator.checkIDs(for: lv("restricted:v1.21")) == [
            "appArmorProfile", "capabilities_baseline", "hostNamespaces", "hostPorts", "privileged", "procMount", "seLinuxOptions",
            "sysctls", "windowsHostProcess", "allowPrivilegeEscalation", "restrictedVolumes", "runAsNonRoot", "seccompProfile_restricted",
        ])
        #expect(evaluator.checkIDs(for: lv("restricted:v1.22")) == [
            "appArmorProfile", "hostNamespaces", "hostPorts", "privileged", "procMount", "seLinuxOptions", "sysctls",
            "windowsHostProcess", "allowPrivilegeEscalation", "capabilities_restricted", "restrictedVolumes", "runAsNonRoot",
            "seccompProfile_restricted",
        ])
        #expect(evaluator.checkIDs(for: lv("restricted:latest")) == [
            "appArmorProfile", "hostNamespaces", "hostPorts", "hostProbesAndHostLifecycle", "privileged", "seLinuxOptions", "sysctls",
            "windowsHostProcess", "allowPrivilegeEscalation", "capabilities_restricted", "procMount_restricted", "restrictedVolumes",
            "runAsNonRoot", "runAsUser", "seccompProfile_restricted",
        ])
    }

    @Test("at restricted v1.21 capabilities_baseline still refuses added capabilities")
    func capabilitiesBaselineAtRestricted121() {
        let pod = PodSecurityTestPods.pod { $0["containers"] = [["name": "app", "securityContext": ["allowPrivilegeEscalation": false, "capabilities": ["add": ["NET_RAW"]]]]] }
        let at121 = evaluator.evaluate(lv("restricted:v1.21"), object: pod)
        #expect(at121.map(\.id) == ["capabilities_baseline"])
        #expect(at121.first?.detail == #"container "app" must not include "NET_RAW" in securityContext.capabilities.add"#)
        let at122 = evaluator.evaluate(lv("restricted:v1.22"), object: pod)
        #expect(at122.map(\.id) == ["capabilities_restricted"])
        #expect(at122.first?.detail == #"container "app" must set securityContext.capabilities.drop=["ALL"]; container "app" must not include "NET_RAW" in securityContext.capabilities.add"#)
    }

    @Test("results come baseline IDs first, then restricted IDs, each sorted")
    func resultOrder() {
        let ids = evaluator.evaluate(lv("restricted:latest"), object: PodSecurityTestPods.hostile).map(\.id)
        #expect(ids == [
            "appArmorProfile", "hostNamespaces", "hostPorts", "hostProbesAndHostLifecycle", "privileged", "seLinuxOptions", "sysctls",
            "windowsHostProcess", "allowPrivilegeEscalation", "capabilities_restricted", "procMount_restricted", "restrictedVolumes",
            "runAsNonRoot", "runAsUser", "seccompProfile_restricted",
        ])
        let baseline = evaluator.evaluate(lv("baseline:latest"), object: PodSecurityTestPods.hostile).map(\.id)
        #expect(baseline == Self.baselineIDs)
    }

    @Test("the denial of a bare pod reads as Kubernetes' does")
    func bareRestrictedMessage() {
        let policy = lv("restricted:latest")
        let message = PodSecurityMessage.violates(policy, evaluator.evaluate(policy, object: PodSecurityTestPods.bare))
        #expect(message == """
            violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "app" must set \
            securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "app" must set \
            securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "app" must set \
            securityContext.runAsNonRoot=true), seccompProfile (pod or container "app" must set \
            securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")
            """)
        #expect(evaluator.evaluate(lv("baseline:latest"), object: PodSecurityTestPods.bare).isEmpty)
    }

    @Test("a pod meeting restricted passes every level at every version")
    func restrictedPodPassesEverywhere() {
        for minor in 0...40 {
            for level in PodSecurityLevel.allCases {
                let policy = PodSecurityLevelVersion(level, .v1(minor))
                #expect(evaluator.evaluate(policy, object: PodSecurityTestPods.restricted).isEmpty, "\(policy)")
            }
        }
    }

    @Test("overrides name existing baseline checks")
    func overridesAreBaseline() {
        let baseline = Set(evaluator.checks.filter { $0.level == .baseline }.map(\.id))
        for check in evaluator.checks {
            #expect(check.overrides.allSatisfy(baseline.contains), "\(check.id)")
        }
    }

    @Test("a workload's template is evaluated like a pod; other objects are not evaluated")
    func workloadObjects() {
        let pod = PodSecurityPod(metadata: PodSecurityTestPods.bare["metadata"]!, spec: PodSecurityTestPods.bare["spec"]!)
        let deployment: JSONValue = [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web"],
            "spec": ["template": ["metadata": PodSecurityTestPods.bare["metadata"]!, "spec": PodSecurityTestPods.bare["spec"]!]],
        ]
        let policy = lv("restricted:latest")
        #expect(evaluator.evaluate(policy, object: deployment) == evaluator.evaluate(policy, pod: pod))
        #expect(!evaluator.evaluate(policy, object: deployment).isEmpty)
        let service: JSONValue = ["apiVersion": "v1", "kind": "Service", "spec": PodSecurityTestPods.bare["spec"]!]
        #expect(evaluator.evaluate(policy, object: service).isEmpty)
    }

    @Test("containers, init containers and ephemeral containers are all visited, in that order")
    func containerKinds() {
        let pod = PodSecurityTestPods.pod { spec in
            let privileged: JSONValue = ["privileged": true, "allowPrivilegeEscalation": false, "capabilities": ["drop": ["ALL"]]]
            spec["ephemeralContainers"] = [["name": "debug", "securityContext": privileged]]
            spec["containers"] = [["name": "app", "securityContext": privileged]]
            spec["initContainers"] = [["name": "init", "securityContext": privileged]]
        }
        let results = evaluator.evaluate(lv("baseline:v1.0"), object: pod)
        #expect(results.map(\.detail) == [#"containers "init", "app", "debug" must not set securityContext.privileged=true"#])
    }
}
