import Foundation

/// Writes an EncryptionConfiguration as YAML that ``ConfigurationDecoder`` (and Kubernetes)
/// reads back. Strings are quoted: `*.*` would otherwise read as a YAML alias.
enum ConfigurationEncoder {
    static func encode(_ configuration: EncryptionConfiguration) -> String {
        var lines = [
            "# Encryption at rest for Palisade. It holds keys: keep it mode 0600 and out of backups of the data.",
            "apiVersion: \(ConfigurationDecoder.apiVersion)",
            "kind: \(ConfigurationDecoder.kind)",
            "resources:",
        ]
        for rule in configuration.rules {
            lines.append("- resources:")
            lines += rule.resources.map { "  - \(quoted($0))" }
            lines.append("  providers:")
            for provider in rule.providers {
                guard !provider.keys.isEmpty else {
                    lines.append("  - \(provider.name): {}")
                    continue
                }
                lines.append("  - \(provider.name):")
                lines.append("      keys:")
                for key in provider.keys {
                    lines.append("      - name: \(quoted(key.name))")
                    lines.append("        secret: \(Data(key.secret).base64EncodedString())")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
