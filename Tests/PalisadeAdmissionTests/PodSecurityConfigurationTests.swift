import PalisadeAPI
import PalisadeAdmission
import Testing

@Suite("PodSecurityConfiguration file")
struct PodSecurityConfigurationTests {
    static let header = """
        apiVersion: pod-security.admission.config.k8s.io/v1
        kind: PodSecurityConfiguration

        """

    @Test func readsDefaultsAndExemptions() throws {
        let configuration = try PodSecurityConfiguration.decode(Self.header + """
            defaults:
              enforce: baseline
              enforce-version: v1.24
              warn: restricted
            exemptions:
              usernames: [system:serviceaccount:kube-system:ci]
              runtimeClasses: [kata]
              namespaces: [kube-system, monitoring]
            """)
        #expect(configuration.defaults.enforce.description == "baseline:v1.24")
        #expect(configuration.defaults.warn.description == "restricted:latest")
        #expect(configuration.defaults.audit.description == "privileged:latest")
        #expect(configuration.exemptions.usernames == ["system:serviceaccount:kube-system:ci"])
        #expect(configuration.exemptions.runtimeClasses == ["kata"])
        #expect(configuration.exemptions.namespaces == ["kube-system", "monitoring"])
    }

    @Test func onlyTheHeaderMeansKubernetesDefaults() throws {
        #expect(try PodSecurityConfiguration.decode(Self.header) == PodSecurityConfiguration())
    }

    @Test(arguments: [
        ("defaults:\n  enforce: strict\n", 4, "defaults.enforce", "must be one of privileged, baseline, restricted"),
        ("defaults:\n  audit-version: 1.25\n", 4, "defaults.audit-version", #"must be "latest" or "v1.x""#),
        ("defaults:\n  enforce: [baseline]\n", 4, "defaults.enforce", "must be a string"),
        ("defaults:\n  enfoce: baseline\n", 4, "defaults.enfoce", "unknown field"),
        ("exemptions:\n  namespaces: [Kube_System]\n", 4, "exemptions.namespaces[0]", "must be a DNS label"),
        ("exemptions:\n  usernames: [alice, alice]\n", 4, "exemptions.usernames[1]", "duplicate entry \"alice\""),
        ("exemptions:\n  usernames: alice\n", 4, "exemptions.usernames", "must be a list"),
        ("exemption: {}\n", 3, "exemption", "unknown field"),
    ])
    func refusesWithLineAndField(body: String, line: Int, field: String, problem: String) {
        #expect {
            _ = try PodSecurityConfiguration.decode(Self.header + body)
        } throws: { error in
            guard let error = error as? YAMLFieldError else { return false }
            return error.line == line && error.field == field && error.problem.contains(problem)
        }
    }

    @Test func refusesOtherKindsAndVersions() {
        #expect(throws: YAMLFieldError.self) {
            _ = try PodSecurityConfiguration.decode("apiVersion: v1\nkind: PodSecurityConfiguration\n")
        }
        #expect(throws: YAMLFieldError.self) {
            _ = try PodSecurityConfiguration.decode("apiVersion: pod-security.admission.config.k8s.io/v1\nkind: AdmissionConfiguration\n")
        }
    }

    @Test func fileErrorsNameTheFile() {
        #expect {
            _ = try PodSecurityConfiguration.load(path: "/nonexistent/pod-security.yaml")
        } throws: { error in
            (error as? ConfigFileError)?.description == "/nonexistent/pod-security.yaml: cannot read the file"
        }
    }
}
