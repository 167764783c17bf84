import PalisadeAPI
import Testing

@testable import PalisadeAdmission

@Suite("Pod Security messages")
struct PodSecurityMessageTests {
    let results = [
        PodSecurityCheckResult(id: "hostNamespaces", reason: "host namespaces", detail: "hostNetwork=true"),
        PodSecurityCheckResult(id: "custom", reason: "no detail", detail: ""),
        PodSecurityCheckResult(id: "privileged", reason: "privileged", detail: #"container "app" must not set securityContext.privileged=true"#),
    ]

    @Test("details put each detail in parentheses after its reason, and leave out empty ones")
    func details() {
        #expect(PodSecurityMessage.details(results) == #"host namespaces (hostNetwork=true), no detail, privileged (container "app" must not set securityContext.privileged=true)"#)
        #expect(PodSecurityMessage.reasons(results) == "host namespaces, no detail, privileged")
        #expect(PodSecurityMessage.details([]) == "")
    }

    @Test("enforce, warn and audit texts quote the policy as declared")
    func statements() {
        let one = Array(results.prefix(1))
        #expect(PodSecurityMessage.violates(PodSecurityLevelVersion(.baseline, .v1(22)), one)
            == #"violates PodSecurity "baseline:v1.22": host namespaces (hostNetwork=true)"#)
        #expect(PodSecurityMessage.wouldViolate(PodSecurityLevelVersion(.restricted), one)
            == #"would violate PodSecurity "restricted:latest": host namespaces (hostNetwork=true)"#)
    }

    @Test("Go-style quoting escapes what %q escapes and keeps printable text")
    func goQuoting() {
        #expect(Phrase.goQuoted("unconfined") == #""unconfined""#)
        #expect(Phrase.goQuoted("a\"b\\c\n\t\u{01}\u{7F}") == #""a\"b\\c\n\t\x01\x7f""#)
        #expect(Phrase.goQuoted("café profile") == #""café profile""#)
        #expect(Phrase.goQuoted("zero\u{200B}width") == #""zero\u200bwidth""#)
    }

    @Test("lists sort by bytes, as Go sorts strings")
    func bytewiseSorting() {
        #expect(["seccompProfile", "seLinuxOptions", "Zeta", "alpha"].sortedBytewise() == ["Zeta", "alpha", "seLinuxOptions", "seccompProfile"])
        #expect(["9", "8080", "10", "9"].uniqueSortedBytewise() == ["10", "8080", "9"])
    }
}
