/// JSON Merge Patch (RFC 7386, `application/merge-patch+json`).
///
/// An object patch merges into the target member by member, recursively; a `null` member
/// deletes; any other patch value (array, scalar, `null` at the top) replaces the target.
public enum JSONMergePatch {
    /// Applies `patch` to `document`. Every JSON value is a valid merge patch, so this never fails.
    public static func apply(_ patch: JSONValue, to document: JSONValue) -> JSONValue {
        guard case .object(let patchMembers) = patch else { return patch }
        var target: [String: JSONValue]
        if case .object(let members) = document { target = members } else { target = [:] }
        for (key, value) in patchMembers {
            let current = target.removeValue(forKey: key)
            if !value.isNull {
                target[key] = apply(value, to: current ?? .null)
            }
        }
        return .object(target)
    }
}
