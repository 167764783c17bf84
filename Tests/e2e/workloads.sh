#!/usr/bin/env bash
# End-to-end workloads with the real kubectl, on hollow nodes (palisade-bench hollow: nodes
# that mark their pods Running without processes): the scheduler places pods and says why it
# cannot; Deployments roll out (rollout status, history, set image, undo, pause, resume,
# scale); a ReplicaSet heals; Services get addresses and Endpoints/EndpointSlices; a
# blue-green switch; a StatefulSet with ordered pods and claims; a DaemonSet on every node;
# Jobs that complete and fail; the controllers act under their own names in the audit log.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

e2e_init
cd "$REPO_ROOT"
BENCH="${PALISADE_BENCH_BIN:-$REPO_ROOT/.build/debug/palisade-bench}"
start_server "$E2E_TMP/data" "$(free_port)"
"$BENCH" hollow --kubeconfig "$KUBECONFIG" --nodes 3 >"$E2E_TMP/hollow.log" 2>&1 &
track_pid $!
nodes_ready() { [[ "$(kc get nodes --no-headers 2>/dev/null | grep -c ' Ready ')" == 3 ]]; }
wait_until 30 nodes_ready || true

test_scheduling() {
    run kc get nodes
    assert_matches "$OUT" "hollow-0 +Ready" "three hollow nodes are Ready"
    kc run solo --image=busybox --restart=Never >/dev/null
    placed() { [[ -n "$(kc get pod solo -o jsonpath='{.spec.nodeName}')" ]]; }
    wait_until 15 placed && pass "a pod is bound to a node" || fail "the pod was not scheduled"
    run kc get pod solo -o jsonpath='{.status.phase}'
    assert_eq "$OUT" "Running" "and reported Running by its node"
    kc run greedy --image=busybox --restart=Never --overrides='{"spec":{"containers":[{"name":"greedy","image":"busybox","resources":{"requests":{"cpu":"64"}}}]}}' >/dev/null
    told() { kc get events --field-selector involvedObject.name=greedy -o jsonpath='{.items[*].message}' | grep -q "Insufficient cpu"; }
    wait_until 15 told || true
    run kc describe pod greedy
    assert_contains "$OUT" "0/3 nodes are available: 3 Insufficient cpu." "an unschedulable pod's event names the reason"
    assert_contains "$OUT" "FailedScheduling" "as a FailedScheduling event"
}

test_rollout() {
    kc create deployment web --image=nginx:1.26 --replicas=3 >/dev/null
    run kc rollout status deployment/web --timeout=60s
    assert_contains "$OUT" 'deployment "web" successfully rolled out' "kubectl rollout status waits for the rollout"
    kc annotate deployment web kubernetes.io/change-cause="nginx 1.27" >/dev/null
    kc set image deployment/web nginx=nginx:1.27 >/dev/null
    run kc rollout status deployment/web --timeout=60s
    assert_contains "$OUT" "successfully rolled out" "a new image rolls out"
    run kc get pods -l app=web -o jsonpath='{.items[*].spec.containers[0].image}'
    assert_eq "$OUT" "nginx:1.27 nginx:1.27 nginx:1.27" "every pod runs the new image"
    run kc rollout history deployment/web
    assert_matches "$OUT" "^1 " "rollout history lists revision 1"
    assert_matches "$OUT" "^2 +nginx 1.27" "and revision 2 with its change cause"
    run kc rollout undo deployment/web
    assert_contains "$OUT" "rolled back" "kubectl rollout undo"
    kc rollout status deployment/web --timeout=60s >/dev/null
    run kc get pods -l app=web -o jsonpath='{.items[*].spec.containers[0].image}'
    assert_eq "$OUT" "nginx:1.26 nginx:1.26 nginx:1.26" "undo returns to the first image"
    run kc scale deployment web --replicas=5
    assert_contains "$OUT" "scaled" "kubectl scale"
    run kc rollout status deployment/web --timeout=60s
    run kc get deployment web -o jsonpath='{.status.readyReplicas}'
    assert_eq "$OUT" "5" "five replicas are ready"
    kc rollout pause deployment/web >/dev/null
    kc set image deployment/web nginx=nginx:1.28 >/dev/null
    sleep 1
    run kc get pods -l app=web -o jsonpath='{.items[*].spec.containers[0].image}'
    assert_not_contains "$OUT" "1.28" "a paused deployment does not roll"
    kc rollout resume deployment/web >/dev/null
    run kc rollout status deployment/web --timeout=60s
    assert_contains "$OUT" "successfully rolled out" "and rolls once resumed"
}

test_replicaset_heals() {
    local pod
    pod="$(kc get pods -l app=web -o jsonpath='{.items[0].metadata.name}')"
    kc delete pod "$pod" --wait=false >/dev/null
    healed() { [[ "$(kc get deployment web -o jsonpath='{.status.readyReplicas}')" == 5 ]] && ! kc get pod "$pod" >/dev/null 2>&1; }
    wait_until 30 healed && pass "a deleted pod is replaced" || fail "the deployment did not heal"
}

test_controllers_are_audited() {
    run kauth_events
    assert_contains "$OUT" "system:kube-scheduler binding" "bindings are made by system:kube-scheduler"
    assert_contains "$OUT" "system:serviceaccount:kube-system:replicaset-controller create pods" "pods are created by the replicaset controller's account"
    assert_contains "$OUT" "system:serviceaccount:kube-system:deployment-controller create replicasets" "replicasets by the deployment controller's"
}

test_services() {
    run kc expose deployment web --port=80 --target-port=80 --type=NodePort
    assert_contains "$OUT" "service/web exposed" "kubectl expose"
    run kc get service web -o jsonpath='{.spec.clusterIP} {.spec.ports[0].nodePort}'
    assert_matches "$OUT" "^10\.96\.[0-9]+\.[0-9]+ 3[0-9]{4}$" "the Service gets a cluster IP and a node port from their ranges"
    local ip="${OUT%% *}"
    run kc create service clusterip copy --tcp=80 --clusterip="$ip"
    assert_contains "$OUT" "provided IP is already allocated" "an address in use is refused"
    five() { [[ "$(kc get endpoints web -o jsonpath='{.subsets[0].addresses[*].ip}' | wc -w)" == 5 ]]; }
    wait_until 30 five && pass "Endpoints list the five ready pods" || fail "Endpoints: $(kc get endpoints web -o yaml)"
    run kc get endpointslices -l kubernetes.io/service-name=web
    assert_matches "$OUT" "web-[a-z0-9]+ +IPv4 +80 +" "kubectl get endpointslices shows the Service's slice"
    run kc get endpointslices -l kubernetes.io/service-name=web -o jsonpath='{.items[0].endpoints[*].conditions.ready}'
    assert_eq "$OUT" "true true true true true" "each endpoint is ready"
}

test_blue_green() {
    kc create deployment blue --image=shop:blue --replicas=2 >/dev/null
    kc create deployment green --image=shop:green --replicas=2 >/dev/null
    kc rollout status deployment/blue --timeout=60s >/dev/null
    kc rollout status deployment/green --timeout=60s >/dev/null
    kc create service clusterip shop --tcp=80 >/dev/null
    kc patch service shop -p '{"spec":{"selector":{"app":"blue"}}}' >/dev/null
    ips_of() { kc get pods -l "app=$1" -o jsonpath='{.items[*].status.podIP}' | tr ' ' '\n' | sort | xargs; }
    serving() { kc get endpoints shop -o jsonpath='{.subsets[*].addresses[*].ip}' | tr ' ' '\n' | sort | xargs; }
    on_blue() { [[ "$(serving)" == "$(ips_of blue)" ]]; }
    wait_until 30 on_blue && pass "blue-green: the Service sends traffic to blue" || fail "blue-green: $(serving) vs $(ips_of blue)"
    kc patch service shop -p '{"spec":{"selector":{"app":"green"}}}' >/dev/null
    on_green() { [[ "$(serving)" == "$(ips_of green)" ]]; }
    wait_until 30 on_green && pass "blue-green: switching the selector moves it all to green" || fail "blue-green: $(serving) vs $(ips_of green)"
}

test_statefulset() {
    kc apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Service
metadata: {name: db}
spec: {clusterIP: None, selector: {app: db}, ports: [{port: 5432}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 3
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: "postgres:16", volumeMounts: [{name: data, mountPath: /data}]}]}
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
YAML
    run kc rollout status statefulset/db --timeout=60s
    assert_contains "$OUT" "partitioned roll out complete: 3 new pods have been updated" "kubectl rollout status statefulset waits for all three"
    run kc get pods -l app=db -o jsonpath='{.items[*].metadata.name}'
    assert_eq "$(tr ' ' '\n' <<<"$OUT" | sort | xargs)" "db-0 db-1 db-2" "pods have stable ordinal names"
    run kc get pvc -o jsonpath='{.items[*].metadata.name}'
    assert_contains "$OUT" "data-db-0" "each pod has its claim from the template"
    assert_contains "$OUT" "data-db-2" "down to the last ordinal"
    run created_names pods
    assert_eq "$(grep '^db-' <<<"$OUT" | xargs)" "db-0 db-1 db-2" "db-0 is created before db-1, db-1 before db-2 (audit log order)"
}

test_daemonset() {
    kc apply -f - >/dev/null <<'YAML'
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: agent, image: "agent:1"}]}
YAML
    run kc rollout status daemonset/agent --timeout=60s
    assert_contains "$OUT" 'daemon set "agent" successfully rolled out' "kubectl rollout status daemonset"
    run kc get pods -l app=agent -o jsonpath='{.items[*].spec.nodeName}'
    assert_eq "$(tr ' ' '\n' <<<"$OUT" | sort | xargs)" "hollow-0 hollow-1 hollow-2" "one daemon pod on each node"
}

test_jobs() {
    kc apply -f - >/dev/null <<'YAML'
apiVersion: batch/v1
kind: Job
metadata: {name: batch}
spec:
  completions: 3
  parallelism: 2
  template:
    metadata: {annotations: {hollow.palisade.dev/exit-code: "0"}}
    spec: {restartPolicy: Never, containers: [{name: work, image: busybox}]}
---
apiVersion: batch/v1
kind: Job
metadata: {name: broken}
spec:
  backoffLimit: 1
  template:
    metadata: {annotations: {hollow.palisade.dev/exit-code: "3"}}
    spec: {restartPolicy: Never, containers: [{name: work, image: busybox}]}
YAML
    run kc wait --for=condition=complete job/batch --timeout=60s
    assert_contains "$OUT" "job.batch/batch condition met" "kubectl wait --for=condition=complete job"
    run kc get job batch -o jsonpath='{.status.succeeded}'
    assert_eq "$OUT" "3" "three completions succeeded"
    run kc wait --for=condition=failed job/broken --timeout=90s
    assert_contains "$OUT" "job.batch/broken condition met" "a failing job ends Failed"
    run kc get job broken -o jsonpath='{.status.failed} {.status.conditions[?(@.type=="Failed")].reason}'
    assert_eq "$OUT" "2 BackoffLimitExceeded" "after backoffLimit + 1 failures"
}

# "USER VERB RESOURCE" of every completed request in the audit log.
kauth_events() {
    python3 - "$SERVER_DATA/audit/audit.log" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e.get("stage") != "ResponseComplete" or "objectRef" not in e:
        continue
    ref = e["objectRef"]
    print(e["user"]["username"], ref.get("subresource") or e["verb"], ref.get("resource"))
PY
}

# Names of the `resource` objects created, in the order the audit log recorded them.
created_names() {
    python3 - "$SERVER_DATA/audit/audit.log" "$1" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    ref = e.get("objectRef") or {}
    if e.get("stage") == "ResponseComplete" and e.get("verb") == "create" and ref.get("resource") == sys.argv[2] \
            and not ref.get("subresource") and (e.get("responseStatus") or {}).get("code") == 201:
        print(ref.get("name", ""))
PY
}

test_scheduling
test_rollout
test_replicaset_heals
test_services
test_blue_green
test_statefulset
test_daemonset
test_jobs
test_controllers_are_audited
finish
