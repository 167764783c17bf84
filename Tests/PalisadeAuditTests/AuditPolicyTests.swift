import Foundation
import PalisadeAPI
import PalisadeAuth
import Testing

@testable import PalisadeAudit

@Suite struct AuditPolicyTests {
    static let repositoryPolicy = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("policies/audit-policy.yaml").path

    static func request(
        user: String = "alice", groups: [String] = ["dev"], verb: String = "get", group: String = "", resource: String = "pods",
        subresource: String = "", namespace: String = "team-a", name: String = "web"
    ) -> AuthorizationAttributes {
        AuthorizationAttributes(
            user: UserInfo(name: user, groups: groups), verb: verb, isResourceRequest: true, apiGroup: group, resource: resource,
            subresource: subresource, namespace: namespace, name: name
        )
    }

    static func path(_ path: String, verb: String = "get") -> AuthorizationAttributes {
        AuthorizationAttributes(user: UserInfo(name: "alice"), verb: verb, isResourceRequest: false, path: path)
    }

    @Test func defaultPolicyRecordsSecretsAtMetadataRBACWritesInFullAndEverythingElse() throws {
        let policy = try AuditPolicy.load(path: Self.repositoryPolicy)
        #expect(policy.omitStages == [.requestReceived])
        #expect(policy.decide(Self.request(verb: "create", resource: "secrets")).level == .metadata)
        #expect(policy.decide(Self.request(verb: "create", group: "rbac.authorization.k8s.io", resource: "rolebindings")).level == .requestResponse)
        #expect(policy.decide(Self.request(verb: "get", group: "rbac.authorization.k8s.io", resource: "roles")).level == .metadata)
        #expect(policy.decide(Self.request(verb: "update", group: "certificates.k8s.io", resource: "certificatesigningrequests", subresource: "approval")).level == .requestResponse)
        #expect(policy.decide(Self.request()).level == .metadata)
        #expect(policy.decide(Self.path("/healthz")).level == .metadata)
        #expect(!policy.decide(Self.request()).records(.requestReceived))
        #expect(policy.decide(Self.request()).records(.responseComplete))
    }

    @Test func firstMatchingRuleWinsAndUnmatchedRequestsAreNotRecorded() throws {
        let policy = try AuditPolicy.decode("""
            apiVersion: audit.k8s.io/v1
            kind: Policy
            rules:
            - level: None
              users: [system:kube-proxy]
            - level: RequestResponse
              userGroups: [auditors, dev]
              verbs: [create]
            - level: Request
              namespaces: [""]
            """)
        #expect(policy.decide(Self.request(user: "system:kube-proxy", verb: "create")).level == .none)
        #expect(policy.decide(Self.request(verb: "create")).level == .requestResponse)
        #expect(policy.decide(Self.request(groups: ["other"], verb: "create", namespace: "")).level == .request)
        #expect(policy.decide(Self.request(groups: ["other"], verb: "create")).level == .none)
        #expect(!policy.decide(Self.request(groups: ["other"])).records(.responseComplete))
    }

    @Test func resourcePatternsFollowAuditNotRBAC() throws {
        let policy = try AuditPolicy.decode("""
            apiVersion: audit.k8s.io/v1
            kind: Policy
            rules:
            - level: RequestResponse
              resources: [{group: "", resources: ["pods/*"]}]
            - level: Request
              resources: [{group: "*", resources: ["*/scale"]}]
            - level: Metadata
              resources: [{group: apps, resources: [deployments], resourceNames: [web]}]
            - level: None
            """)
        #expect(policy.decide(Self.request(resource: "pods")).level == .requestResponse)
        #expect(policy.decide(Self.request(resource: "pods", subresource: "log")).level == .requestResponse)
        #expect(policy.decide(Self.request(group: "apps", resource: "deployments", subresource: "scale")).level == .request)
        #expect(policy.decide(Self.request(group: "apps", resource: "deployments")).level == .metadata)
        #expect(policy.decide(Self.request(group: "apps", resource: "deployments", name: "db")).level == .none)
        #expect(policy.decide(Self.request(group: "apps", resource: "pods")).level == .none)
    }

    @Test func nonResourceRulesMatchOnlyPathsAndResourceRulesOnlyResources() throws {
        let policy = try AuditPolicy.decode("""
            apiVersion: audit.k8s.io/v1
            kind: Policy
            omitStages: [RequestReceived]
            rules:
            - level: None
              nonResourceURLs: ["/healthz*", /version]
            - level: Request
              namespaces: [team-a]
              omitStages: [ResponseStarted]
            - level: Metadata
            """)
        #expect(policy.decide(Self.path("/healthz")).level == .none)
        #expect(policy.decide(Self.path("/healthz/etcd")).level == .none)
        #expect(policy.decide(Self.path("/version")).level == .none)
        #expect(policy.decide(Self.path("/versions")).level == .metadata)
        #expect(policy.decide(Self.request()).omitStages == [.requestReceived, .responseStarted])
        #expect(policy.decide(Self.path("/api")).level == .metadata)
    }

    @Test(arguments: [
        ("rules:\n- level: Loud", "2", "rules[0].level", "unknown level"),
        ("rules:\n- level: None\n  nonResourceURLs: [/a]\n  namespaces: [x]", "3", "rules[0].nonResourceURLs", "may not be combined"),
        ("rules:\n- level: None\n  nonResourceURLs: [\"a*b\"]", "3", "rules[0].nonResourceURLs[0]", "must start with /"),
        ("rules:\n- level: None\n  resources: [{resourceNames: [x]}]", "3", "rules[0].resources[0].resourceNames", "needs resources"),
        ("omitStages: [Sometimes]\nrules:\n- level: None", "1", "omitStages[0]", "unknown stage"),
        ("rules: []", "1", "rules", "must not be empty"),
        ("rules:\n- level: None\n  verb: [get]", "3", "rules[0].verb", "unknown field"),
    ])
    func badPoliciesNameLineAndField(body: String, line: String, field: String, problem: String) {
        let text = "apiVersion: audit.k8s.io/v1\nkind: Policy\n" + body
        #expect {
            _ = try AuditPolicy.decode(text)
        } throws: { error in
            guard let error = error as? YAMLFieldError else { return false }
            return error.field == field && error.problem.contains(problem) && error.line.map { String($0 - 2) } == line
        }
    }
}
