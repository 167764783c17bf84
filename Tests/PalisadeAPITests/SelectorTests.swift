import Testing

@testable import PalisadeAPI

@Suite struct LabelSelectorTests {
    static let labels = ["app": "web", "tier": "front", "version": "3"]

    @Test(arguments: [
        ("app=web", true), ("app==web", true), ("app=db", false), ("app!=db", true), ("app!=web", false),
        ("tier in (front,back)", true), ("tier in (back)", false), ("tier notin (back)", true), ("tier notin (front, back)", false),
        ("app", true), ("missing", false), ("!missing", true), ("!app", false),
        ("version>2", true), ("version<3", false), ("app=web,tier in (front),!legacy", true), ("app=web,tier=back", false),
        ("", true),
    ])
    func matches(selector: String, expected: Bool) throws {
        #expect(try LabelSelector.parse(selector).matches(Self.labels) == expected)
    }

    @Test(arguments: ["app=(x", "tier in front", "bad key!=x", "app=-bad-", "version>x"])
    func refusesMalformedSelectors(selector: String) {
        #expect(throws: APIError.self) { try LabelSelector.parse(selector) }
    }

    @Test func buildsFromAMetaV1LabelSelectorObject() throws {
        let object: JSONValue = [
            "matchLabels": ["app": "web"],
            "matchExpressions": [["key": "tier", "operator": "In", "values": ["front", "back"]], ["key": "legacy", "operator": "DoesNotExist"]],
        ]
        let selector = try LabelSelector(object: object)
        #expect(selector.matches(Self.labels))
        #expect(!selector.matches(["app": "web", "tier": "db"]))
        #expect(selector.description == "app=web,tier in (back,front),!legacy")
        #expect(throws: APIError.self) { try LabelSelector(object: ["matchExpressions": [["key": "a", "operator": "Near"]]]) }
    }
}

@Suite struct FieldSelectorTests {
    @Test func matchesEqualityAndInequality() throws {
        let selector = try FieldSelector.parse("metadata.name=web,status.phase!=Running")
        let fields = ["metadata.name": "web", "status.phase": "Pending"]
        #expect(selector.matches { fields[$0] })
        #expect(!selector.matches { ["metadata.name": "web", "status.phase": "Running"][$0] })
        #expect(selector.requiredValue(of: "metadata.name") == "web")
        #expect(selector.requiredValue(of: "status.phase") == nil)
    }

    @Test func refusesAFieldWithoutOperator() {
        #expect(throws: APIError.self) { try FieldSelector.parse("metadata.name") }
    }
}

@Suite struct NameRulesTests {
    @Test(arguments: [("web", true), ("web-1", true), ("a.b", false), ("-web", false), ("Web", false), (String(repeating: "a", count: 64), false)])
    func dnsLabels(name: String, valid: Bool) {
        #expect(NameRules.dns1123LabelErrors(name).isEmpty == valid)
    }

    @Test(arguments: [("web.example.com", true), ("web..x", false), ("", false), ("a_b", false)])
    func dnsSubdomains(name: String, valid: Bool) {
        #expect(NameRules.dns1123SubdomainErrors(name).isEmpty == valid)
    }

    @Test(arguments: [("app", true), ("example.com/app", true), ("/app", false), ("a/b/c", false), ("app_x.y-z", true), ("-app", false)])
    func qualifiedNames(name: String, valid: Bool) {
        #expect(NameRules.qualifiedNameErrors(name).isEmpty == valid)
    }
}
