import PalisadeAPI

/// What kube-apiserver does for a Service replaced without its addresses (`kubectl
/// replace` of a manifest that never had them): the cluster IP and the node ports given at
/// creation are kept rather than dropped, a node port matched to its port by number and
/// protocol.
enum ServiceAddressCarryOver {
    static func apply(to new: inout JSONValue, from old: JSONValue) {
        if (new[path: ["spec", "clusterIP"]]?.stringValue ?? "").isEmpty, let ip = old[path: ["spec", "clusterIP"]], ip != "" {
            new[path: ["spec", "clusterIP"]] = ip
            for field in ["clusterIPs", "ipFamilies", "ipFamilyPolicy"] where new[path: ["spec", field]] == nil {
                new[path: ["spec", field]] = old[path: ["spec", field]]
            }
        }
        guard ["NodePort", "LoadBalancer"].contains(new[path: ["spec", "type"]]?.stringValue ?? ""),
            var ports = new[path: ["spec", "ports"]]?.arrayValue
        else { return }
        let oldPorts = old[path: ["spec", "ports"]]?.arrayValue ?? []
        for index in ports.indices where (ports[index]["nodePort"]?.intValue ?? 0) <= 0 {
            let protocolName = ports[index]["protocol"]?.stringValue ?? "TCP"
            let match = oldPorts.first { $0["port"] == ports[index]["port"] && ($0["protocol"]?.stringValue ?? "TCP") == protocolName }
            if let nodePort = match?["nodePort"] { ports[index]["nodePort"] = nodePort }
        }
        new[path: ["spec", "ports"]] = .array(ports)
    }
}
