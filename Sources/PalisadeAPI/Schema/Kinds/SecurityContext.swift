/// core/v1 container and pod security settings.
extension Schemas {
    static let securityContext = ObjectSchema("SecurityContext", [
        .object("capabilities", 1, capabilities),
        .boolean("privileged", 2),
        .object("seLinuxOptions", 3, seLinuxOptions),
        .object("windowsOptions", 10, windowsSecurityContextOptions),
        .integer("runAsUser", 4),
        .integer("runAsGroup", 8),
        .boolean("runAsNonRoot", 5),
        .boolean("readOnlyRootFilesystem", 6),
        .boolean("allowPrivilegeEscalation", 7),
        .string("procMount", 9),
        .object("seccompProfile", 11, seccompProfile),
        .object("appArmorProfile", 12, appArmorProfile),
        .list("ulimits", 13, ulimit),
    ])

    static let podSecurityContext = ObjectSchema("PodSecurityContext", [
        .object("seLinuxOptions", 1, seLinuxOptions),
        .object("windowsOptions", 8, windowsSecurityContextOptions),
        .integer("runAsUser", 2),
        .integer("runAsGroup", 6),
        .boolean("runAsNonRoot", 3),
        .integers("supplementalGroups", 4),
        .string("supplementalGroupsPolicy", 12),
        .integer("fsGroup", 5),
        .list("sysctls", 7, sysctl),
        .string("fsGroupChangePolicy", 9),
        .object("seccompProfile", 10, seccompProfile),
        .object("appArmorProfile", 11, appArmorProfile),
        .string("seLinuxChangePolicy", 13),
    ])

    static let capabilities = ObjectSchema("Capabilities", [.strings("add", 1), .strings("drop", 2)])

    static let seLinuxOptions = ObjectSchema("SELinuxOptions", [
        .string("user", 1),
        .string("role", 2),
        .string("type", 3),
        .string("level", 4),
    ])

    static let windowsSecurityContextOptions = ObjectSchema("WindowsSecurityContextOptions", [
        .string("gmsaCredentialSpecName", 1),
        .string("gmsaCredentialSpec", 2),
        .string("runAsUserName", 3),
        .boolean("hostProcess", 4),
    ])

    static let seccompProfile = profile("SeccompProfile")

    static let appArmorProfile = profile("AppArmorProfile")

    static let sysctl = ObjectSchema("Sysctl", [.string("name", 1), .string("value", 2)])

    static let ulimit = ObjectSchema("Ulimit", [.string("name", 1), .integer("hard", 2), .integer("soft", 3)])
}
