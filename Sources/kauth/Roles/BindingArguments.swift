import ArgumentParser
import PalisadeAuth

/// `ROLE --user U | --group G | --serviceaccount NS:NAME [-n NS | --cluster]`, shared by
/// `kauth bind` and `kauth unbind`.
struct BindingArguments: ParsableArguments {
    @Argument(help: "The Role or ClusterRole.")
    var role: String

    @OptionGroup var subjects: SubjectOptions
    @OptionGroup var scope: ScopeOptions

    /// The role name, the subject and the namespace (nil: cluster-wide), all checked.
    func resolved() throws -> (role: String, subject: RBACPolicy.Subject, namespace: String?) {
        (try Names.requireSubdomain(role, "role name"), try subjects.subject(), try scope.resolvedNamespace())
    }
}
