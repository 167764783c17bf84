import Foundation
import PalisadeAPI

/// The objects of a tenant, from the template (`policies/tenant.yaml`): `${TENANT}` and
/// `${OWNER}` replaced (both are checked DNS names, so the YAML keeps its shape), the quota
/// overrides applied to the template's ResourceQuota.
struct TenantTemplate {
    static let defaultPath = "policies/tenant.yaml"
    static let tenantLabel = "palisade.dev/tenant"
    static let ownerAnnotation = "palisade.dev/tenant-owner"

    let path: String
    let text: String

    init(path: String) throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw KauthError("cannot read the tenant template \(path)") }
        self.path = path
        self.text = text
    }

    /// Each object with the served resource it is created as, in template order. The first
    /// must be the tenant's Namespace.
    func objects(tenant: String, owner: String, quota: [String: String]) throws -> [(definition: ResourceDefinition, object: JSONValue)] {
        let rendered = text.replacingOccurrences(of: "${TENANT}", with: tenant).replacingOccurrences(of: "${OWNER}", with: owner)
        let documents: [JSONValue]
        do {
            documents = try YAMLDecoding.parseAll(rendered)
        } catch {
            throw KauthError("\(path): \(error.message)")
        }
        var objects: [(ResourceDefinition, JSONValue)] = []
        var quotaApplied = false
        for (index, var object) in documents.enumerated() {
            let apiVersion = object["apiVersion"]?.stringValue ?? ""
            let kind = object["kind"]?.stringValue ?? ""
            let parts = apiVersion.split(separator: "/").map(String.init)
            guard let definition = ServedResources.lookup(
                group: parts.count == 2 ? parts[0] : "", version: parts.last ?? "", kind: kind
            ) else { throw KauthError("\(path): document \(index + 1): the server does not serve \(kind) in \(apiVersion)") }
            if index == 0, definition.kind != "Namespace" || object.name != tenant {
                throw KauthError("\(path): the first document must be the Namespace ${TENANT}")
            }
            if definition.kind == "ResourceQuota" && !quotaApplied {
                for (key, value) in quota { object[path: ["spec", "hard", key]] = .string(value) }
                quotaApplied = true
            }
            objects.append((definition, object))
        }
        if !quota.isEmpty && !quotaApplied { throw KauthError("\(path) has no ResourceQuota for --quota") }
        return objects
    }

    /// `cpu=4,memory=8Gi,pods=50`, each key a resource name and each value a quantity.
    static func quota(_ text: String?) throws -> [String: String] {
        guard let text else { return [:] }
        var quota: [String: String] = [:]
        for entry in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pair = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, NameRules.qualifiedNameErrors(pair[0]).isEmpty, Quantity(pair[1]) != nil else {
                throw KauthError("invalid --quota entry \"\(entry)\": write RESOURCE=QUANTITY, e.g. cpu=4,memory=8Gi,pods=50")
            }
            quota[pair[0]] = pair[1]
        }
        return quota
    }
}
