/// What a request wants to do, as the authorizers see it (Kubernetes' `authorizer.Attributes`).
public struct AuthorizationAttributes: Sendable, Hashable {
    public var user: UserInfo
    /// `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection`,
    /// or for non-resource paths the lower-cased HTTP method.
    public var verb: String
    public var isResourceRequest: Bool
    public var apiGroup: String
    public var apiVersion: String
    public var resource: String
    public var subresource: String
    public var namespace: String
    public var name: String
    /// The URL path, for non-resource requests (`/healthz`, `/version`).
    public var path: String
    /// A list's or watch's `fieldSelector` (the Node authorizer lets a node list only its pods).
    public var fieldSelector: String

    public init(
        user: UserInfo, verb: String, isResourceRequest: Bool, apiGroup: String = "", apiVersion: String = "",
        resource: String = "", subresource: String = "", namespace: String = "", name: String = "", path: String = "",
        fieldSelector: String = ""
    ) {
        self.user = user
        self.verb = verb
        self.isResourceRequest = isResourceRequest
        self.apiGroup = apiGroup
        self.apiVersion = apiVersion
        self.resource = resource
        self.subresource = subresource
        self.namespace = namespace
        self.name = name
        self.path = path
        self.fieldSelector = fieldSelector
    }
}
