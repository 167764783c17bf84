import PalisadeAPI
import PalisadeAdmission
import Testing

struct NamespaceLabelCase: Sendable, CustomTestStringConvertible {
    let label: String
    let labels: [String: String]
    let enforce: String
    let warn: String
    let audit: String
    let errors: Int
    var testDescription: String { label }
}

@Suite("Pod Security namespace labels")
struct PodSecurityNamespacePolicyTests {
    private static func labels(_ pairs: [String: String]) -> [String: String] {
        var labels = ["other-label": "foo-bar"]
        for (key, value) in pairs { labels["pod-security.kubernetes.io/" + key] = value }
        return labels
    }

    // Kubernetes' TestPolicyToEvaluate cases, with privileged:latest defaults.
    static let cases: [NamespaceLabelCase] = [
        .init(label: "no labels", labels: [:], enforce: "privileged:latest", warn: "privileged:latest", audit: "privileged:latest", errors: 0),
        .init(label: "simple enforce", labels: labels(["enforce": "baseline"]),
              enforce: "baseline:latest", warn: "baseline:latest", audit: "privileged:latest", errors: 0),
        .init(label: "simple warn", labels: labels(["warn": "restricted"]),
              enforce: "privileged:latest", warn: "restricted:latest", audit: "privileged:latest", errors: 0),
        .init(label: "simple audit", labels: labels(["audit": "baseline"]),
              enforce: "privileged:latest", warn: "privileged:latest", audit: "baseline:latest", errors: 0),
        .init(label: "enforce & warn", labels: labels(["enforce": "baseline", "warn": "restricted"]),
              enforce: "baseline:latest", warn: "restricted:latest", audit: "privileged:latest", errors: 0),
        .init(label: "enforce version", labels: labels(["enforce": "baseline", "enforce-version": "v1.22"]),
              enforce: "baseline:v1.22", warn: "baseline:v1.22", audit: "privileged:latest", errors: 0),
        .init(label: "enforce version & warn-version", labels: labels(["enforce": "baseline", "enforce-version": "v1.22", "warn-version": "latest"]),
              enforce: "baseline:v1.22", warn: "baseline:latest", audit: "privileged:latest", errors: 0),
        .init(label: "enforce & warn-version", labels: labels(["enforce": "baseline", "warn-version": "v1.23"]),
              enforce: "baseline:latest", warn: "baseline:v1.23", audit: "privileged:latest", errors: 0),
        .init(label: "fully specified", labels: labels([
                  "enforce": "baseline", "enforce-version": "v1.20", "warn": "restricted", "warn-version": "v1.21",
                  "audit": "restricted", "audit-version": "v1.22",
              ]), enforce: "baseline:v1.20", warn: "restricted:v1.21", audit: "restricted:v1.22", errors: 0),
        .init(label: "enforce, warn explicitly privileged", labels: labels(["enforce": "baseline", "warn": "privileged"]),
              enforce: "baseline:latest", warn: "privileged:latest", audit: "privileged:latest", errors: 0),
        .init(label: "bad warn level fails open", labels: labels(["enforce": "baseline", "warn": "foo"]),
              enforce: "baseline:latest", warn: "privileged:latest", audit: "privileged:latest", errors: 1),
        .init(label: "bad enforce level fails closed and does not set warn", labels: labels(["enforce": "foo"]),
              enforce: "restricted:latest", warn: "privileged:latest", audit: "privileged:latest", errors: 1),
        .init(label: "bad audit level fails open", labels: labels(["audit": "Restricted"]),
              enforce: "privileged:latest", warn: "privileged:latest", audit: "privileged:latest", errors: 1),
        .init(label: "bad versions become latest", labels: labels([
                  "enforce": "restricted", "enforce-version": "v1.022", "audit": "baseline", "audit-version": "1.22",
              ]), enforce: "restricted:latest", warn: "restricted:latest", audit: "baseline:latest", errors: 2),
        .init(label: "only a version", labels: labels(["enforce-version": "v1.25"]),
              enforce: "privileged:v1.25", warn: "privileged:latest", audit: "privileged:latest", errors: 0),
    ]

    @Test("labels resolve as in Kubernetes", arguments: cases)
    func resolve(_ testCase: NamespaceLabelCase) {
        let parsed = NamespacePolicy.parse(labels: testCase.labels)
        #expect(parsed.policy.enforce.description == testCase.enforce)
        #expect(parsed.policy.warn.description == testCase.warn)
        #expect(parsed.policy.audit.description == testCase.audit)
        #expect(parsed.errors.count == testCase.errors, "\(parsed.errors)")
    }

    @Test("errors name the label and value in Kubernetes' words, in label order")
    func errorText() {
        let parsed = NamespacePolicy.parse(labels: Self.labels(["enforce": "foo", "warn-version": "v2.0"]))
        #expect(parsed.errors.map(\.description) == [
            #"metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "foo": must be one of privileged, baseline, restricted"#,
            #"metadata.labels[pod-security.kubernetes.io/warn-version]: Invalid value: "v2.0": must be "latest" or "v1.x""#,
        ])
    }

    @Test("modes without labels keep the configured defaults")
    func customDefaults() {
        let defaults = PodSecurityPolicy(
            enforce: PodSecurityLevelVersion(.baseline, .v1(30)), audit: PodSecurityLevelVersion(.restricted),
            warn: PodSecurityLevelVersion(.restricted))
        #expect(NamespacePolicy.parse(labels: [:], defaults: defaults).policy == defaults)
        // enforce=baseline is not stricter than the default warn=restricted, so warn stays.
        let parsed = NamespacePolicy.parse(labels: Self.labels(["enforce": "baseline"]), defaults: defaults).policy
        #expect(parsed.enforce == PodSecurityLevelVersion(.baseline, .v1(30)))
        #expect(parsed.warn == PodSecurityLevelVersion(.restricted))
        #expect(parsed.audit == PodSecurityLevelVersion(.restricted))
    }

    @Test("a Namespace object's string labels are read")
    func namespaceObject() {
        let namespace: JSONValue = [
            "apiVersion": "v1", "kind": "Namespace",
            "metadata": ["name": "team", "labels": [
                "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "v1.24",
                "pod-security.kubernetes.io/audit": 3,
            ]],
        ]
        let parsed = NamespacePolicy.parse(namespace: namespace)
        #expect(parsed.errors.isEmpty)
        #expect(parsed.policy.enforce.description == "restricted:v1.24")
        #expect(parsed.policy.warn.description == "restricted:v1.24")
        #expect(parsed.policy.audit.description == "privileged:latest")
        #expect(NamespacePolicy.parse(namespace: ["metadata": ["name": "plain"]]).policy.isFullyPrivileged)
    }

    @Test("modes name their labels and fall back by mode")
    func modes() {
        #expect(PodSecurityMode.enforce.levelLabel == "pod-security.kubernetes.io/enforce")
        #expect(PodSecurityMode.audit.versionLabel == "pod-security.kubernetes.io/audit-version")
        #expect(PodSecurityMode.allCases.map(\.fallbackLevel) == [.restricted, .privileged, .privileged])
    }

    @Test("versions parse as v1.N without leading zeros, or latest", arguments: [
        ("latest", "latest"), ("v1.0", "v1.0"), ("v1.9", "v1.9"), ("v1.22", "v1.22"), ("v1.100", "v1.100"),
        ("v1.01", nil), ("v1.", nil), ("v1", nil), ("1.22", nil), ("v2.0", nil), ("v1.-1", nil), ("v1.2a", nil),
        ("V1.22", nil), ("Latest", nil), ("", nil), (" v1.22", nil), ("v1.99999999999999999999", nil), ("v1.٣", nil),
    ] as [(String, String?)])
    func versions(_ text: String, _ expected: String?) {
        #expect(PodSecurityVersion(text)?.description == expected)
    }

    @Test("versions order with latest after every numbered one, levels by strictness")
    func ordering() {
        #expect(PodSecurityVersion.v1(9) < .v1(10))
        #expect(PodSecurityVersion.v1(1000) < .latest)
        #expect(!(PodSecurityVersion.latest < .v1(1000)))
        #expect(PodSecurityLevel.privileged < .baseline && PodSecurityLevel.baseline < .restricted)
        #expect(PodSecurityLevelVersion("restricted:v1.22") == PodSecurityLevelVersion(.restricted, .v1(22)))
        #expect(PodSecurityLevelVersion("restricted") == nil)
        #expect(PodSecurityLevelVersion("strict:latest") == nil)
    }
}
