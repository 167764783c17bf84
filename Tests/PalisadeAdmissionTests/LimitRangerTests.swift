import PalisadeAPI
import PalisadeAdmission
import Testing

@Suite("LimitRanger")
struct LimitRangerTests {
    static func limitRange(_ items: JSONValue) -> JSONValue {
        ["apiVersion": "v1", "kind": "LimitRange", "metadata": ["name": "limits"], "spec": ["limits": items]]
    }

    static func pod(_ containers: [JSONValue], initContainers: [JSONValue] = []) -> JSONValue {
        var spec: JSONValue = ["containers": .array(containers)]
        if !initContainers.isEmpty { spec["initContainers"] = .array(initContainers) }
        return ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p"], "spec": spec]
    }

    static func container(_ name: String, requests: [String: String] = [:], limits: [String: String] = [:]) -> JSONValue {
        var resources: JSONValue = .emptyObject
        if !requests.isEmpty { resources["requests"] = .object(requests.mapValues(JSONValue.string)) }
        if !limits.isEmpty { resources["limits"] = .object(limits.mapValues(JSONValue.string)) }
        return ["name": .string(name), "image": "nginx", "resources": resources]
    }

    let defaults = limitRange([["type": "Container", "default": ["cpu": "500m", "memory": "256Mi"], "defaultRequest": ["cpu": "100m"]]])

    @Test func defaultsFillOnlyWhatIsMissing() {
        var pod = Self.pod([Self.container("a"), Self.container("b", requests: ["cpu": "50m"], limits: ["memory": "1Gi"])])
        #expect(LimitRanger.applyDefaults([defaults], to: &pod))
        let containers = pod[path: ["spec", "containers"]]?.arrayValue ?? []
        #expect(containers[0][path: ["resources", "limits"]] == ["cpu": "500m", "memory": "256Mi"])
        #expect(containers[0][path: ["resources", "requests"]] == ["cpu": "100m"])
        #expect(containers[1][path: ["resources", "limits"]] == ["cpu": "500m", "memory": "1Gi"])
        #expect(containers[1][path: ["resources", "requests"]] == ["cpu": "50m"])
        var unchanged = pod
        #expect(!LimitRanger.applyDefaults([defaults], to: &unchanged))
        #expect(!LimitRanger.applyDefaults([], to: &unchanged))
    }

    @Test func containerBoundsAreCheckedWithKubernetesWording() {
        let bounds = Self.limitRange([["type": "Container", "min": ["cpu": "100m"], "max": ["memory": "1Gi"], "maxLimitRequestRatio": ["cpu": "2"]]])
        let pod = Self.pod([
            Self.container("small", requests: ["cpu": "50m"], limits: ["cpu": "400m", "memory": "2Gi"]),
            Self.container("bare"),
        ])
        #expect(LimitRanger.violations([bounds], pod: pod) == [
            "minimum cpu usage per Container is 100m, but request is 50m",
            "maximum memory usage per Container is 1Gi, but limit is 2Gi",
            "cpu max limit to request ratio per Container is 2, but provided ratio is 8.000000",
            "minimum cpu usage per Container is 100m.  No request is specified",
            "maximum memory usage per Container is 1Gi.  No limit is specified",
            "cpu max limit to request ratio per Container is 2, but no request is specified or request is 0",
        ])
        let fitting = Self.pod([Self.container("ok", requests: ["cpu": "200m"], limits: ["cpu": "400m", "memory": "512Mi"])])
        #expect(LimitRanger.violations([bounds], pod: fitting).isEmpty)
    }

    @Test func claimStorageIsBoundedByPersistentVolumeClaimItems() {
        let bounds = Self.limitRange([
            ["type": "PersistentVolumeClaim", "min": ["storage": "1Gi"], "max": ["storage": "10Gi"]],
            ["type": "Container", "max": ["cpu": "1"]],
        ])
        func claim(_ storage: String?) -> JSONValue {
            var claim: JSONValue = ["apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": ["name": "data"], "spec": ["accessModes": ["ReadWriteOnce"]]]
            if let storage { claim[path: ["spec", "resources", "requests", "storage"]] = .string(storage) }
            return claim
        }
        #expect(LimitRanger.violations([bounds], claim: claim("5Gi")).isEmpty)
        #expect(LimitRanger.violations([bounds], claim: claim("500Mi")) == ["minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi"])
        #expect(LimitRanger.violations([bounds], claim: claim("20Gi")) == ["maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi"])
        #expect(LimitRanger.violations([bounds], claim: claim(nil)) == [
            "minimum storage usage per PersistentVolumeClaim is 1Gi.  No request is specified",
            "maximum storage usage per PersistentVolumeClaim is 10Gi.  No request is specified",
        ])
    }

    @Test func podBoundsSumContainersAndCountTheLargestInitContainer() {
        let bounds = Self.limitRange([["type": "Pod", "max": ["cpu": "1"]]])
        let twoHalves = Self.pod([
            Self.container("a", requests: ["cpu": "500m"], limits: ["cpu": "500m"]),
            Self.container("b", requests: ["cpu": "600m"], limits: ["cpu": "600m"]),
        ])
        #expect(LimitRanger.violations([bounds], pod: twoHalves) == ["maximum cpu usage per Pod is 1, but limit is 1100m", "maximum cpu usage per Pod is 1, but request is 1100m"])
        let bigInit = Self.pod([Self.container("a", limits: ["cpu": "200m"])], initContainers: [Self.container("setup", limits: ["cpu": "2"])])
        #expect(LimitRanger.violations([bounds], pod: bigInit) == ["maximum cpu usage per Pod is 1, but limit is 2"])
    }
}
