import PalisadeAPI
import PalisadeAdmission
import Testing

@Suite("Pod Security fixtures")
struct PodSecurityFixtureTests {
    let evaluator = PodSecurityEvaluator.standard

    @Test("fixtures are present")
    func fixturesPresent() {
        #expect(PodSecurityFixture.all.count >= 2 * evaluator.checks.count)
    }

    @Test("fixture", arguments: PodSecurityFixture.all)
    func fixture(_ fixture: PodSecurityFixture) {
        #expect(fixture.problems.isEmpty, "\(fixture.problems)")
        #expect(evaluator.checks.contains { $0.id == fixture.check }, "unknown check \(fixture.check)")
        #expect(PodTemplateExtraction.pod(in: fixture.object) != nil)

        for policy in fixture.deny {
            let result = evaluator.evaluate(policy, object: fixture.object).first { $0.id == fixture.check }
            #expect(result != nil, "\(fixture.check) allowed the pod at \(policy)")
            #expect(result?.reason == fixture.reason, "at \(policy)")
            #expect(result?.detail == fixture.detail, "at \(policy)")
        }
        for policy in fixture.allow {
            let result = evaluator.evaluate(policy, object: fixture.object).first { $0.id == fixture.check }
            #expect(result == nil, "\(fixture.check) refused the pod at \(policy): \(result?.description ?? "")")
        }
        for policy in fixture.clean {
            let results = evaluator.evaluate(policy, object: fixture.object)
            #expect(results.isEmpty, "not clean at \(policy): \(PodSecurityMessage.details(results))")
        }
    }

    /// Every revision of every check has a fixture it refuses and one it allows while that
    /// revision is the one running, so no version change goes untested.
    @Test("every check revision has a passing and a failing fixture", arguments: PodSecurityEvaluator.standard.checks.map(\.id))
    func revisionCoverage(_ id: String) throws {
        let check = try #require(evaluator.checks.first { $0.id == id })
        let fixtures = PodSecurityFixture.all.filter { $0.check == id }
        func revisions(_ policies: (PodSecurityFixture) -> [PodSecurityLevelVersion]) -> Set<Int> {
            Set(fixtures.flatMap(policies).compactMap { policy in
                evaluator.checkIDs(for: policy).contains(id) ? check.revision(at: evaluator.minor(for: policy.version)) : nil
            })
        }
        let refused = revisions(\.deny)
        let allowed = revisions(\.allow)
        for revision in check.revisions {
            #expect(refused.contains(revision), "no fixture refused by \(id) at its v1.\(revision) revision")
            #expect(allowed.contains(revision), "no fixture allowed by \(id) at its v1.\(revision) revision")
        }
    }
}
