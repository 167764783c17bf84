/// What a request is about, read from its method, path and query before anything else
/// runs: authorization, audit and the handlers all work from it.
public struct RequestInfo: Sendable, Equatable {
    /// False for paths outside `/api/<v>/…` and `/apis/<g>/<v>/…` resources (discovery, health, version).
    public var isResourceRequest: Bool
    public var path: String
    /// Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection;
    /// for non-resource requests, the lower-cased method.
    public var verb: String
    public var apiGroup = ""
    public var apiVersion = ""
    public var namespace = ""
    public var resource = ""
    public var subresource = ""
    public var name = ""
    /// The `fieldSelector` of a list or watch, as sent.
    public var fieldSelector = ""

    public init(isResourceRequest: Bool, path: String, verb: String) {
        self.isResourceRequest = isResourceRequest
        self.path = path
        self.verb = verb
    }
}

/// Reads a ``RequestInfo`` from a request line, following kube-apiserver's rules.
public enum RequestInfoResolver {
    /// Subresources of a namespace object: `/api/v1/namespaces/<name>/<subresource>`.
    static let namespaceSubresources: Set<String> = ["status", "finalize"]

    public static func resolve(method: String, path: String, query: QueryParameters) -> RequestInfo {
        let methodVerb = method.lowercased()
        var info = RequestInfo(isResourceRequest: false, path: path, verb: methodVerb)
        var parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let prefix = parts.first, prefix == "api" || prefix == "apis" else { return info }
        parts.removeFirst()
        if prefix == "apis" {
            guard parts.count >= 3 else { return info }
            info.apiGroup = parts.removeFirst()
        } else {
            guard parts.count >= 2 else { return info }
        }
        info.apiVersion = parts.removeFirst()
        if parts.first == "namespaces", parts.count > 1 {
            info.namespace = parts[1]
            if parts.count > 2, !namespaceSubresources.contains(parts[2]) { parts.removeFirst(2) }
        }
        guard !parts.isEmpty else { return info }
        info.isResourceRequest = true
        info.resource = parts[0]
        if parts.count > 1 { info.name = parts[1] }
        if parts.count > 2 { info.subresource = parts[2] }
        switch methodVerb {
        case "get", "head":
            info.verb = info.name.isEmpty ? (query.flag("watch") ? "watch" : "list") : "get"
        case "post": info.verb = "create"
        case "put": info.verb = "update"
        case "patch": info.verb = "patch"
        case "delete": info.verb = info.name.isEmpty ? "deletecollection" : "delete"
        default: info.verb = methodVerb
        }
        if info.verb == "list" || info.verb == "watch" { info.fieldSelector = query["fieldSelector"] ?? "" }
        return info
    }
}
