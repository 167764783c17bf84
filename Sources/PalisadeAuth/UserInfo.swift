/// Who made a request, as Kubernetes' `user.Info`: a name, groups and extra attributes.
public struct UserInfo: Sendable, Hashable {
    public var name: String
    public var uid: String
    public var groups: [String]
    public var extra: [String: [String]]

    public init(name: String, uid: String = "", groups: [String] = [], extra: [String: [String]] = [:]) {
        self.name = name
        self.uid = uid
        self.groups = groups
        self.extra = extra
    }

    /// The group every authenticated user belongs to.
    public static let authenticatedGroup = "system:authenticated"
    /// The group whose members may do anything (bootstrap superusers).
    public static let mastersGroup = "system:masters"
}
