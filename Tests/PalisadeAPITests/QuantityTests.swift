import Foundation
import PalisadeAPI
import Testing

@Suite struct QuantityTests {
    @Test(arguments: [
        ("100m", "0.1"), ("1", "1"), ("1.5", "1.5"), ("2k", "2000"), ("128Mi", "134217728"), ("1Gi", "1073741824"),
        ("1e3", "1000"), ("5E-3", "0.005"), ("250u", "0.00025"), ("3n", "0.000000003"), ("+4", "4"), ("-2", "-2"), (".5", "0.5"),
    ])
    func parsesKubernetesNotation(text: String, value: String) throws {
        #expect(try #require(Quantity(text)).value == Decimal(string: value)!)
    }

    @Test(arguments: ["", "m", "1.2.3", "1 Gi", "1gi", "1Kib", "abc", "1e", "1e3.5", "--1", "1mm"])
    func refusesWhatKubernetesRefuses(text: String) {
        #expect(Quantity(text) == nil)
    }

    @Test(arguments: [
        ("1536Mi", "1536Mi"), ("2048Mi", "2Gi"), ("0.5", "500m"), ("1000m", "1"), ("1500m", "1500m"), ("2000", "2k"),
        ("1e6", "1M"), ("1024", "1024"), ("1Ki", "1Ki"), ("0", "0"), ("-100m", "-100m"),
    ])
    func printsCanonically(text: String, canonical: String) throws {
        #expect(try #require(Quantity(text)).description == canonical)
    }

    @Test func comparesAndAddsExactly() throws {
        let tenth = try #require(Quantity("100m"))
        let fifth = try #require(Quantity("0.2"))
        #expect(tenth + fifth == Quantity("300m"))
        let gibibyte = try #require(Quantity("1Gi"))
        let gigabyte = try #require(Quantity("1G"))
        #expect(gibibyte > gigabyte)
        let mebibyte = try #require(Quantity("1Mi"))
        #expect((Quantity.zero + mebibyte).description == "1Mi")
    }
}

@Suite struct LimitRangeValidationTests {
    static let definition = ServedResources.lookup(group: "", version: "v1", resource: "limitranges")!

    static func limitRange(_ items: JSONValue) -> JSONValue {
        ["apiVersion": "v1", "kind": "LimitRange", "metadata": ["name": "limits", "namespace": "default"], "spec": ["limits": items]]
    }

    @Test func contradictionsAndBadQuantitiesNameTheirFields() {
        let causes = Self.definition.validate(Self.limitRange([
            ["type": "Container", "min": ["cpu": "2"], "max": ["cpu": "1", "memory": "lots"], "maxLimitRequestRatio": ["cpu": "500m"]],
            ["type": "Pod", "default": ["cpu": "1"]],
            ["type": "Node"],
        ]))
        #expect(causes.map(\.field) == [
            "spec.limits[0].max[memory]", "spec.limits[0].min[cpu]", "spec.limits[0].maxLimitRequestRatio[cpu]",
            "spec.limits[1].default", "spec.limits[2].type",
        ])
        #expect(causes[1].message == #"Invalid value: "2": min value 2 is greater than max value 1"#)
    }

    @Test func aConsistentLimitRangeIsValid() {
        #expect(Self.definition.validate(Self.limitRange([
            ["type": "Container", "min": ["cpu": "100m"], "defaultRequest": ["cpu": "200m"], "default": ["cpu": "500m"], "max": ["cpu": "1"]],
        ])).isEmpty)
    }
}
