/// What the audit policy matches a request on.
public struct AuditAttributes: Sendable {
    public var user: String
    public var groups: [String]
    public var verb: String
    public var isResourceRequest: Bool
    public var apiGroup: String
    public var resource: String
    public var subresource: String
    public var namespace: String
    public var name: String
    /// The URL path, for non-resource requests.
    public var path: String

    public init(
        user: String, groups: [String], verb: String, isResourceRequest: Bool, apiGroup: String = "", resource: String = "",
        subresource: String = "", namespace: String = "", name: String = "", path: String = ""
    ) {
        self.user = user
        self.groups = groups
        self.verb = verb
        self.isResourceRequest = isResourceRequest
        self.apiGroup = apiGroup
        self.resource = resource
        self.subresource = subresource
        self.namespace = namespace
        self.name = name
        self.path = path
    }
}
