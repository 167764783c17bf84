"""End-to-end: the official Kubernetes Python client against a running Palisade server.

Run through python_client.sh, which starts the server and sets KUBECONFIG. Plain script:
each check is counted, a failing check does not stop the others, and the last line is
"N passed, M failed" (exit code 1 when a check failed).
"""

import json
import sys
import threading
import time
import traceback
import uuid

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException

PASSED = 0
FAILED = 0


def check(condition, description, detail=None):
    global PASSED, FAILED
    if condition:
        PASSED += 1
        print(f"ok   - {description}")
    else:
        FAILED += 1
        print(f"FAIL - {description}" + (f": {detail}" if detail is not None else ""), file=sys.stderr)
    return condition


def expect_api_error(call, status, reason, description):
    """The call must raise ApiException with this HTTP status and Status reason."""
    try:
        call()
    except ApiException as e:
        body = {}
        try:
            body = json.loads(e.body or "{}")
        except ValueError:
            pass
        check(e.status == status and body.get("reason") == reason, description,
              f"got HTTP {e.status}, body {e.body!r}")
        return body
    check(False, description, "no error raised")
    return {}


config.load_kube_config()
v1 = client.CoreV1Api()
apps = client.AppsV1Api()
NS = "py-" + uuid.uuid4().hex[:8]


def test_namespace():
    ns = v1.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=NS, labels={"suite": "python"})))
    check(isinstance(ns, client.V1Namespace) and ns.metadata.name == NS, "create_namespace returns the namespace")
    check(ns.metadata.uid and ns.metadata.resource_version, "namespace has uid and resourceVersion")
    got = v1.read_namespace(NS)
    check(got.status.phase == "Active", "namespace phase Active", got.status.phase)
    check(got.metadata.labels.get("suite") == "python", "namespace label stored", got.metadata.labels)


def configmap(name, labels, data):
    return client.V1ConfigMap(metadata=client.V1ObjectMeta(name=name, labels=labels), data=data)


def test_configmaps():
    created = v1.create_namespaced_config_map(NS, configmap("cm-a", {"app": "a"}, {"k": "v", "multi": "line1\nline2\n"}))
    check(created.metadata.name == "cm-a" and created.data["k"] == "v", "create_namespaced_config_map")
    v1.create_namespaced_config_map(NS, configmap("cm-b", {"app": "b"}, {"k": "other"}))
    v1.create_namespaced_config_map(NS, configmap("cm-a2", {"app": "a", "tier": "x"}, {"k": "v2"}))

    listed = v1.list_namespaced_config_map(NS, label_selector="app=a")
    names = sorted(item.metadata.name for item in listed.items)
    check(names == ["cm-a", "cm-a2"], "list with label_selector app=a", names)
    listed = v1.list_namespaced_config_map(NS, label_selector="app=a,tier!=x")
    check([i.metadata.name for i in listed.items] == ["cm-a"], "list with label_selector app=a,tier!=x",
          [i.metadata.name for i in listed.items])
    listed = v1.list_namespaced_config_map(NS, label_selector="app in (a,b)")
    check(len(listed.items) == 3, "list with set-based selector app in (a,b)", len(listed.items))
    check(bool(listed.metadata.resource_version), "list carries a resourceVersion")

    read = v1.read_namespaced_config_map("cm-a", NS)
    check(read.data == {"k": "v", "multi": "line1\nline2\n"}, "read_namespaced_config_map returns the data", read.data)
    check(read.metadata.labels == {"app": "a"}, "read returns the labels", read.metadata.labels)

    rv_before = read.metadata.resource_version
    patched = v1.patch_namespaced_config_map("cm-a", NS, {"data": {"k": "patched", "new": "1"},
                                                            "metadata": {"labels": {"patched": "yes"}}})
    check(patched.data == {"k": "patched", "new": "1", "multi": "line1\nline2\n"},
          "patch_namespaced_config_map merges data", patched.data)
    check(patched.metadata.labels == {"app": "a", "patched": "yes"}, "patch merges labels", patched.metadata.labels)
    check(patched.metadata.resource_version != rv_before, "patch changes resourceVersion")
    check(v1.read_namespaced_config_map("cm-a", NS).data["k"] == "patched", "patched value is stored")

    expect_api_error(lambda: v1.create_namespaced_config_map(NS, configmap("cm-b", {}, {})),
                     409, "AlreadyExists", "creating an existing configmap gives 409 AlreadyExists")

    # The client types this call's answer as a plain object (a dict), unlike pod deletion.
    status = v1.delete_namespaced_config_map("cm-b", NS)
    answer = status if isinstance(status, dict) else status.to_dict()
    check(answer.get("kind") == "Status" and answer.get("status") == "Success"
          and answer.get("details", {}).get("name") == "cm-b",
          "delete_namespaced_config_map returns a Success Status", status)
    expect_api_error(lambda: v1.read_namespaced_config_map("cm-b", NS), 404, "NotFound",
                     "deleted configmap reads as 404 NotFound")


def test_pods():
    pod = client.V1Pod(
        metadata=client.V1ObjectMeta(name="py-pod", labels={"app": "py"}),
        spec=client.V1PodSpec(containers=[client.V1Container(name="main", image="busybox:1.36",
                                                             command=["sleep", "3600"])]),
    )
    created = v1.create_namespaced_pod(NS, pod)
    check(isinstance(created, client.V1Pod) and created.metadata.name == "py-pod", "create_namespaced_pod")
    check(created.status is not None and created.status.phase == "Pending", "new pod is Pending",
          created.status and created.status.phase)
    check(created.spec.restart_policy == "Always", "pod defaults applied (restartPolicy Always)",
          created.spec.restart_policy)

    deleted = v1.delete_namespaced_pod("py-pod", NS)
    check(isinstance(deleted, client.V1Pod), "delete_namespaced_pod returns a V1Pod", type(deleted).__name__)
    check(deleted.kind == "Pod" and deleted.metadata.name == "py-pod",
          "the returned object is the deleted pod", (deleted.kind, deleted.metadata and deleted.metadata.name))

    def pod_gone():
        try:
            v1.read_namespaced_pod("py-pod", NS)
            return False
        except ApiException as e:
            return e.status == 404
    deadline = time.monotonic() + 30
    while not pod_gone() and time.monotonic() < deadline:
        time.sleep(0.2)
    check(pod_gone(), "deleted pod is gone")

    bad = client.V1Pod(metadata=client.V1ObjectMeta(name="bad"), spec=client.V1PodSpec(containers=[]))
    body = expect_api_error(lambda: v1.create_namespaced_pod(NS, bad), 422, "Invalid",
                            "pod without containers gives 422 Invalid")
    fields = [c.get("field") for c in body.get("details", {}).get("causes", [])]
    check("spec.containers" in fields, "422 cause names spec.containers", fields)


def test_deployment():
    dep = client.V1Deployment(
        metadata=client.V1ObjectMeta(name="py-web"),
        spec=client.V1DeploymentSpec(
            replicas=2,
            selector=client.V1LabelSelector(match_labels={"app": "py-web"}),
            template=client.V1PodTemplateSpec(
                metadata=client.V1ObjectMeta(labels={"app": "py-web"}),
                spec=client.V1PodSpec(containers=[client.V1Container(
                    name="web", image="nginx:1.27", ports=[client.V1ContainerPort(container_port=80)])]),
            ),
        ),
    )
    created = apps.create_namespaced_deployment(NS, dep)
    check(isinstance(created, client.V1Deployment) and created.metadata.name == "py-web",
          "AppsV1Api.create_namespaced_deployment")
    check(created.metadata.generation == 1, "new deployment has generation 1", created.metadata.generation)
    check(created.spec.strategy is not None and created.spec.strategy.type == "RollingUpdate",
          "deployment strategy defaulted to RollingUpdate", created.spec.strategy)
    read = apps.read_namespaced_deployment("py-web", NS)
    check(read.spec.replicas == 2 and read.spec.template.spec.containers[0].ports[0].container_port == 80,
          "deployment reads back", read.spec)
    scaled = apps.patch_namespaced_deployment_scale("py-web", NS, {"spec": {"replicas": 4}})
    check(scaled.spec.replicas == 4, "scale subresource patch", scaled.spec)
    check(apps.read_namespaced_deployment("py-web", NS).spec.replicas == 4, "scale is stored")


def test_watch():
    """Changes made from a thread show up as ADDED, MODIFIED, DELETED on a watch."""
    errors = []

    def writer():
        try:
            time.sleep(1.0)
            v1.create_namespaced_config_map(NS, configmap("watched", {"w": "1"}, {"step": "1"}))
            v1.patch_namespaced_config_map("watched", NS, {"data": {"step": "2"}})
            v1.delete_namespaced_config_map("watched", NS)
        except Exception as e:  # reported below
            errors.append(e)

    thread = threading.Thread(target=writer, daemon=True)
    w = watch.Watch()
    seen = []
    started = time.monotonic()
    thread.start()
    for event in w.stream(v1.list_namespaced_config_map, namespace=NS, timeout_seconds=5):
        obj = event["object"]
        if obj.metadata.name != "watched":
            continue
        seen.append((event["type"], obj.data.get("step") if obj.data else None))
        if event["type"] == "DELETED":
            w.stop()
    thread.join(timeout=10)
    check(not errors, "writer thread succeeded", errors)
    types = [t for t, _ in seen]
    check(types == ["ADDED", "MODIFIED", "DELETED"], "watch sees ADDED, MODIFIED, DELETED in order", seen)
    check(("MODIFIED", "2") in seen, "MODIFIED event carries the new data", seen)
    check(time.monotonic() - started < 5.5, "watch delivered the events before its timeout")

    # A quiet watch ends by itself after timeout_seconds.
    started = time.monotonic()
    quiet = list(watch.Watch().stream(v1.list_namespaced_config_map, namespace=NS,
                                      label_selector="nothing=matches", timeout_seconds=2))
    elapsed = time.monotonic() - started
    check(quiet == [] and 1.5 <= elapsed < 10, "quiet watch ends after timeout_seconds=2",
          f"{len(quiet)} events, {elapsed:.1f} s")


def test_delete_namespace():
    v1.delete_namespace(NS)
    deadline = time.monotonic() + 30
    gone = False
    while time.monotonic() < deadline and not gone:
        try:
            v1.read_namespace(NS)
            time.sleep(0.2)
        except ApiException as e:
            gone = e.status == 404
    check(gone, "namespace is gone after delete_namespace")
    check(v1.list_namespaced_config_map(NS).items == [], "its configmaps are gone")
    check(apps.list_namespaced_deployment(NS).items == [], "its deployments are gone")


for test in (test_namespace, test_configmaps, test_pods, test_deployment, test_watch, test_delete_namespace):
    try:
        test()
    except Exception:
        check(False, f"{test.__name__} raised", traceback.format_exc())

print(f"{PASSED} passed, {FAILED} failed")
sys.exit(1 if FAILED else 0)
