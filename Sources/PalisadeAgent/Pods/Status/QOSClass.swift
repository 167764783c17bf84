import PalisadeAPI

/// A pod's quality-of-service class, as Kubernetes computes it from its containers' (init
/// containers included) CPU and memory: `Guaranteed` when every container limits both and
/// requests what it limits, `BestEffort` when none requests or limits anything, else `Burstable`.
/// A request left out is taken to equal the limit, as API defaulting sets it.
public enum QOSClass {
    public static func of(_ pod: JSONValue) -> String {
        let containers = PodContainer.all(of: pod)
        var anySet = false
        var guaranteed = !containers.isEmpty
        for container in containers {
            let limits = nonZero(container.spec[path: ["resources", "limits"]])
            let requests = limits.merging(nonZero(container.spec[path: ["resources", "requests"]])) { _, request in request }
            anySet = anySet || !requests.isEmpty || !limits.isEmpty
            let complete = limits["cpu"] != nil && limits["memory"] != nil
            guaranteed = guaranteed && complete && requests.allSatisfy { limits[$0.key] == $0.value }
        }
        if !anySet { return "BestEffort" }
        return guaranteed ? "Guaranteed" : "Burstable"
    }

    /// The CPU and memory amounts of a resource list that are above zero.
    private static func nonZero(_ list: JSONValue?) -> [String: Quantity] {
        Quantity.list(list).filter { ($0.key == "cpu" || $0.key == "memory") && $0.value > .zero }
    }
}
