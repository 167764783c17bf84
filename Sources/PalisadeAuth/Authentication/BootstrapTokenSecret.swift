import Foundation
import PalisadeAPI

/// The Secret that holds a bootstrap token, in Kubernetes' layout: `bootstrap-token-<id>` in
/// `kube-system`, type `bootstrap.kubernetes.io/token`, with `token-id`, `token-secret`,
/// `expiration` (RFC 3339), `usage-bootstrap-authentication`, `description` and optionally
/// `auth-extra-groups` (comma-separated, each `system:bootstrappers:…`).
public enum BootstrapTokenSecret {
    public static let namespace = "kube-system"
    public static let namePrefix = "bootstrap-token-"
    public static let type = "bootstrap.kubernetes.io/token"
    public static let userPrefix = "system:bootstrap:"
    public static let group = "system:bootstrappers"

    public enum Key {
        public static let tokenID = "token-id"
        public static let tokenSecret = "token-secret"
        public static let expiration = "expiration"
        public static let usageAuthentication = "usage-bootstrap-authentication"
        public static let description = "description"
        public static let extraGroups = "auth-extra-groups"
    }

    /// The name of the Secret of the token with `id`.
    public static func name(id: String) -> String { namePrefix + id }

    /// Whether `group` may be given to a token: `system:bootstrappers:` and a name.
    public static func isExtraGroup(_ group: String) -> Bool {
        group.hasPrefix(Self.group + ":") && group.count > Self.group.count + 1 && !group.contains(",")
    }

    /// The `data` (decoded) of the Secret for `token`.
    public static func data(for token: BootstrapToken, expiration: Date, description: String, extraGroups: [String] = []) -> [String: String] {
        var data = [
            Key.tokenID: token.id,
            Key.tokenSecret: token.secret,
            Key.expiration: Timestamp.format(expiration),
            Key.usageAuthentication: "true",
            Key.description: description,
        ]
        if !extraGroups.isEmpty { data[Key.extraGroups] = extraGroups.joined(separator: ",") }
        return data
    }

    /// The user `token` authenticates as, given the Secret stored under its id (`type` and
    /// decoded `data`); nil when the Secret does not accept it: wrong type or id, another
    /// secret, not for authentication, or expired. A token without a readable expiration is
    /// refused too (Kubernetes would let it live forever). Callers answer every nil the same
    /// way, so nothing tells which check failed.
    public static func user(presenting token: BootstrapToken, type: String?, data: [String: String], now: Date = Date()) -> UserInfo? {
        let secretMatches = token.hasSecret(data[Key.tokenSecret] ?? "")
        guard type == Self.type, data[Key.tokenID] == token.id, secretMatches,
              data[Key.usageAuthentication] == "true",
              let expiration = data[Key.expiration].flatMap(Timestamp.parse), expiration > now
        else { return nil }
        let extra = (data[Key.extraGroups] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter(isExtraGroup)
        return UserInfo(name: userPrefix + token.id, groups: [group] + extra + [UserInfo.authenticatedGroup])
    }
}
