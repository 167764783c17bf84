import PalisadeAPI
import PalisadeAdmission

/// Pods built in code for the evaluator tests (fixture files cover the checks one by one).
enum PodSecurityTestPods {
    /// A pod with one container named "app" and nothing set: the kubectl-run default.
    static let bare: JSONValue = [
        "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "app"],
        "spec": ["containers": [["name": "app", "image": "registry.example/app:1"]]],
    ]

    /// A pod that passes restricted at every version.
    static let restricted: JSONValue = [
        "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "app"],
        "spec": [
            "securityContext": ["runAsNonRoot": true, "seccompProfile": ["type": "RuntimeDefault"]],
            "containers": [
                [
                    "name": "app", "image": "registry.example/app:1",
                    "securityContext": ["allowPrivilegeEscalation": false, "capabilities": ["drop": ["ALL"]]],
                ]
            ],
        ],
    ]

    /// A pod that breaks nearly every check at once.
    static let hostile: JSONValue = [
        "apiVersion": "v1", "kind": "Pod",
        "metadata": ["name": "hostile", "annotations": ["container.apparmor.security.beta.kubernetes.io/app": "unconfined"]],
        "spec": [
            "hostNetwork": true,
            "securityContext": ["runAsUser": 0, "sysctls": [["name": "kernel.msgmax", "value": "1"]], "seLinuxOptions": ["user": "root"]],
            "volumes": [["name": "root", "hostPath": ["path": "/"]]],
            "containers": [
                [
                    "name": "app", "image": "registry.example/app:1",
                    "ports": [["containerPort": 22, "hostPort": 22]],
                    "livenessProbe": ["tcpSocket": ["host": "10.0.0.1", "port": 22]],
                    "securityContext": [
                        "privileged": true, "procMount": "Unmasked", "capabilities": ["add": ["SYS_ADMIN"]],
                        "seccompProfile": ["type": "Unconfined"], "windowsOptions": ["hostProcess": true],
                    ],
                ]
            ],
        ],
    ]

    /// `pod` with `edit` applied to its spec.
    static func pod(_ pod: JSONValue = restricted, spec edit: (inout JSONValue) -> Void) -> JSONValue {
        var copy = pod
        var spec = copy["spec"] ?? .emptyObject
        edit(&spec)
        copy["spec"] = spec
        return copy
    }
}
