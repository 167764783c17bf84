/// Strategic merge patch (`application/strategic-merge-patch+json`), the format of `kubectl apply`,
/// `kubectl set image` and `kubectl rollout restart`.
///
/// Like a JSON merge patch, objects merge recursively and `null` deletes a member; unlike it,
/// lists follow their schema strategy (merged by key, merged as a set, or replaced), and the
/// patch may carry directives: `$patch` (`replace`/`delete`), `$retainKeys`,
/// `$setElementOrder/<field>` and `$deleteFromPrimitiveList/<field>`.
///
/// Where the schema says nothing (no schema, undeclared fields) objects still merge with
/// directives and lists are replaced; `.any` fields (free-form JSON) take a plain JSON merge patch.
public enum StrategicMergePatch {
    /// Applies `patch` to `document`, using `schema` for list strategies and merge keys.
    ///
    /// - Throws: `400 BadRequest` for a malformed patch: not an object, an unknown directive,
    ///   a list given where the schema has an object or the reverse, a merge-keyed element
    ///   without its key, `$retainKeys` not covering the patched fields.
    public static func apply(
        _ patch: JSONValue, to document: JSONValue, schema: ObjectSchema?
    ) throws(APIError) -> JSONValue {
        guard case .object(let members) = patch else {
            throw .badRequest("a strategic merge patch must be a JSON object, got \(patch.typeName)")
        }
        let merged = try mergeObject(document.objectValue ?? [:], members, type: schema.map(FieldType.object), path: FieldPath())
        return merged.map(JSONValue.object) ?? .emptyObject
    }
}

extension StrategicMergePatch {
    /// Merges one patch value into the original (absent when `nil`); `nil` means the field goes away.
    static func mergeValue(
        _ original: JSONValue?, _ patch: JSONValue, type: FieldType?, path: FieldPath
    ) throws(APIError) -> JSONValue? {
        if patch.isNull { return nil }
        switch type {
        case .any?:
            return JSONMergePatch.apply(patch, to: original ?? .null)
        case .list(let element, let strategy)?:
            guard case .array(let items) = patch else {
                throw malformed("expected a list, got \(patch.typeName)", at: path)
            }
            return .array(try mergeList(original?.arrayValue ?? [], items, element: element, strategy: strategy, path: path))
        case .object?, .map?:
            guard case .object(let members) = patch else {
                throw malformed("expected an object, got \(patch.typeName)", at: path)
            }
            return try mergeObject(original?.objectValue ?? [:], members, type: type, path: path).map(JSONValue.object)
        default:
            switch patch {
            case .object(let members):
                return try mergeObject(original?.objectValue ?? [:], members, type: nil, path: path).map(JSONValue.object)
            case .array(let items):
                return .array(try mergeList(original?.arrayValue ?? [], items, element: nil, strategy: .atomic, path: path))
            default:
                return patch
            }
        }
    }

    /// Merges a patch object into an original object; `nil` when the patch says `$patch: delete`.
    static func mergeObject(
        _ original: [String: JSONValue], _ members: [String: JSONValue], type: FieldType?, path: FieldPath
    ) throws(APIError) -> [String: JSONValue]? {
        let patch = try ObjectPatch(parsing: members, type: type, path: path)
        switch patch.directive {
        case .delete?: return nil
        case .replace?: return try merge(patch, into: [:], type: type, path: path)
        case nil: return try merge(patch, into: original, type: type, path: path)
        }
    }

    /// Applies a parsed object patch: retained keys first, then primitive-list deletions,
    /// then the fields, then the element orders.
    private static func merge(
        _ patch: ObjectPatch, into original: [String: JSONValue], type: FieldType?, path: FieldPath
    ) throws(APIError) -> [String: JSONValue] {
        var result = original
        if let retained = patch.retainKeys {
            let unlisted = patch.fields.filter { !$0.value.isNull && !retained.contains($0.key) }.keys
            if let key = unlisted.min() {
                throw malformed("field \"\(key)\" is patched but not listed in $retainKeys", at: path)
            }
            result = result.filter { retained.contains($0.key) }
        }
        for (field, values) in patch.deletions {
            guard case .array(let items)? = result[field] else { continue }
            let kept = items.filter { item in !values.contains { $0.semanticallyEquals(item) } }
            result[field] = kept.isEmpty ? nil : .array(kept)
        }
        for (key, value) in patch.fields.sorted(by: { $0.key < $1.key }) {
            let current = result.removeValue(forKey: key)
            result[key] = try mergeValue(current, value, type: memberType(of: type, key), path: member(path, key, of: type))
        }
        for (field, order) in patch.orders {
            guard case .array(let items)? = result[field] else { continue }
            result[field] = .array(ordered(items, by: order, mergeKey: mergeKey(of: memberType(of: type, field))))
        }
        return result
    }

    /// The type of member `name` of a value of type `type`, `nil` when unknown. Undeclared members
    /// of an object that preserves unknown fields are free-form data, `.any`.
    static func memberType(of type: FieldType?, _ name: String) -> FieldType? {
        switch type {
        case .object(let schema)?: return schema[name]?.type ?? (schema.preservesUnknownFields ? .any : nil)
        case .map(let valueType)?: return valueType
        default: return nil
        }
    }

    /// Whether `key` is data rather than a directive: a field `type` declares, or any key
    /// that is not a directive in an object that preserves unknown fields.
    static func isField(_ key: String, of type: FieldType?, knownDirective: Bool) -> Bool {
        guard case .object(let schema)? = type else { return false }
        return schema[key] != nil || (schema.preservesUnknownFields && !knownDirective)
    }

    private static func member(_ path: FieldPath, _ name: String, of type: FieldType?) -> FieldPath {
        if case .map? = type { return path.key(name) }
        return path.child(name)
    }

    private static func mergeKey(of type: FieldType?) -> String? {
        if case .list(_, .merge(let key))? = type { return key }
        return nil
    }
}
