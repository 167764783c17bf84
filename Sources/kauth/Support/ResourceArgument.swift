import PalisadeAPI
import PalisadeAuth

/// A resource as kubectl users write it — `pods`, `po`, `pod`, `deployments.apps`,
/// `pods/exec`, `*` — resolved to its API group and plural name.
struct ResourceArgument {
    let group: String
    /// `plural` or `plural/subresource`.
    let resource: String

    /// Resolves `text`; `apiGroup` (from `--api-group`) wins over what the name implies and
    /// lets a resource this server does not serve be named.
    init(_ text: String, apiGroup: String? = nil) throws {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard let head = parts.first, !head.isEmpty, parts.allSatisfy({ !$0.isEmpty }) else {
            throw KauthError("invalid resource \"\(text)\"")
        }
        let subresource = parts.count > 1 ? "/" + parts[1] : ""
        if head == PolicyRule.all {
            self.init(group: apiGroup ?? PolicyRule.all, resource: head + subresource)
            return
        }
        let dot = head.firstIndex(of: ".")
        let name = dot.map { String(head[..<$0]) } ?? head
        let impliedGroup = dot.map { String(head[head.index(after: $0)...]) }
        let candidates = ServedResources.all.filter { definition in
            (definition.plural == name || definition.singular == name || definition.shortNames.contains(name))
                && (impliedGroup ?? apiGroup).map { $0 == definition.group } ?? true
        }
        if let definition = candidates.first {
            self.init(group: definition.group, resource: definition.plural + subresource)
        } else if let group = apiGroup ?? impliedGroup {
            self.init(group: group, resource: name + subresource)
        } else {
            throw KauthError("unknown resource \"\(text)\" (give --api-group for a resource this server does not serve)")
        }
    }

    private init(group: String, resource: String) {
        self.group = group
        self.resource = resource
    }

    /// `resource` split for SubjectAccessReview.
    var plural: String { String(resource.split(separator: "/").first ?? "") }
    var subresource: String { resource.split(separator: "/", maxSplits: 1).dropFirst().first.map(String.init) ?? "" }
}
