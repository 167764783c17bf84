import PalisadeAPI

/// Kubernetes' DefaultTolerationSeconds: a new pod that does not already tolerate the
/// `not-ready` and `unreachable` NoExecute taints gets tolerations for them bounded to
/// five minutes, so a node that misses a few heartbeats does not have its pods evicted at
/// once, while a node that is really gone has them moved elsewhere.
struct DefaultTolerationSeconds: MutatingAdmission {
    static let seconds: Int64 = 300
    static let taints = ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]

    func mutate(_ request: AdmissionRequest) async throws(APIError) -> JSONValue {
        guard request.definition.isCore("pods") else { return request.object }
        var pod = request.object
        var tolerations = pod[path: ["spec", "tolerations"]]?.arrayValue ?? []
        for key in Self.taints where !tolerations.contains(where: { Self.tolerates($0, noExecute: key) }) {
            tolerations.append(["key": .string(key), "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": .int(Self.seconds)])
        }
        pod[path: ["spec", "tolerations"]] = .array(tolerations)
        return pod
    }

    /// Whether `toleration` already covers the NoExecute taint `key` (any value).
    private static func tolerates(_ toleration: JSONValue, noExecute key: String) -> Bool {
        let effect = toleration["effect"]?.stringValue ?? ""
        guard effect.isEmpty || effect == "NoExecute" else { return false }
        let tolerated = toleration["key"]?.stringValue ?? ""
        return toleration["operator"]?.stringValue == "Exists" ? tolerated.isEmpty || tolerated == key : tolerated == key
    }
}
