import PalisadeAPI

/// The Kubernetes Pod Security Standards checks.
public enum PodSecurityStandardChecks {
    public static let all: [any PodSecurityCheck] = [
        // baseline
        AppArmorProfileCheck(),
        CapabilitiesBaselineCheck(),
        HostNamespacesCheck(),
        HostPathVolumesCheck(),
        HostPortsCheck(),
        HostProbesAndHostLifecycleCheck(),
        PrivilegedCheck(),
        ProcMountBaselineCheck(),
        SELinuxOptionsCheck(),
        SeccompProfileBaselineCheck(),
        SysctlsCheck(),
        WindowsHostProcessCheck(),
        // restricted
        AllowPrivilegeEscalationCheck(),
        CapabilitiesRestrictedCheck(),
        ProcMountRestrictedCheck(),
        RestrictedVolumesCheck(),
        RunAsNonRootCheck(),
        RunAsUserCheck(),
        SeccompProfileRestrictedCheck(),
    ]
}
