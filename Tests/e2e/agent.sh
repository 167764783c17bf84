#!/usr/bin/env bash
# End-to-end node agent with the real kubectl, as root: `palisade agent` joins with a
# bootstrap token (Node Ready, its Lease renewed, its CSR approved, a wrong token refused,
# its key kept 0600) and runs busybox pods in confined containers: logs (also followed),
# seccomp (unshare, mount, keyctl refused and logged), /proc/kcore hidden, a pid namespace
# of its own, no descriptor of the agent's inherited, the memory limit (OOMKilled), the pids limit (a fork bomb stops), a read-only
# root filesystem, runAsNonRoot refused for a root image, a Deployment healing after its
# container is killed on the host, the Node authorizer keeping one node out of another's
# Secrets, graceful deletion, and a clean shutdown (no container, cgroup or mount left).
#
# Needs root (skipped otherwise), busybox-static and umoci (for the image fixture); cc for
# the keyctl probe (that one check is skipped without a compiler).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [[ "$(id -u)" != 0 ]]; then
    echo "skip: Tests/e2e/agent.sh runs containers and needs root (it runs as uid $(id -u))"
    exit 0
fi

e2e_init
cd "$REPO_ROOT"
KAUTH="${KAUTH_BIN:-$REPO_ROOT/.build/debug/kauth}"
BOOTSTRAP_PORT="$(free_port)"
start_server "$E2E_TMP/data" "$(free_port)" --bootstrap-listen "127.0.0.1:$BOOTSTRAP_PORT"
echo "server on 127.0.0.1:$SERVER_PORT (bootstrap $BOOTSTRAP_PORT), data in $SERVER_DATA"
D="$SERVER_DATA"
IMAGE="busybox:latest"
PIDS_LIMIT=64
# A string of this run only, for finding its processes on the host.
MARK="$$$RANDOM"

ka() { KUBECONFIG="$D/admin.kubeconfig" timeout "$E2E_CALL_TIMEOUT" "$KAUTH" "$@"; }

# ---------------------------------------------------------------- agents

declare -A AGENT_PID=() AGENT_LOG=()

# start_agent NAME TOKEN [AGENT_FLAGS...] — starts `palisade agent` for node NAME in the
# background (data in $D/agent/NAME, log in $E2E_TMP/agent-NAME.log) and waits up to 60 s
# for its endpoint to listen. Returns non-zero when the agent exits first or is not ready in time.
start_agent() {
    local name="$1" token="$2" port i
    shift 2
    local log="$E2E_TMP/agent-$name.log"
    port="$(free_port)"
    AGENT_LOG[$name]="$log"
    PALISADE_BOOTSTRAP_TOKEN="$token" "$PALISADE_BIN" agent \
        --server "https://127.0.0.1:$SERVER_PORT" --bootstrap-server "https://127.0.0.1:$BOOTSTRAP_PORT" \
        --certificate-authority "$D/pki/ca.crt" --name "$name" --data-dir "$D/agent/$name" \
        --images "$D/images" --seccomp-profiles "$REPO_ROOT/policies/seccomp" --port "$port" "$@" \
        >"$log" 2>&1 &
    AGENT_PID[$name]=$!
    for ((i = 0; i < 600; i++)); do
        # (Its "agent endpoint ready" line goes to a buffered stdout: the log line is read instead.)
        grep -qF "Server started and listening on 127.0.0.1:$port" "$log" 2>/dev/null && return 0
        if ! kill -0 "${AGENT_PID[$name]}" 2>/dev/null; then
            wait "${AGENT_PID[$name]}" 2>/dev/null || true
            unset "AGENT_PID[$name]"
            echo "agent $name exited before it was ready; its log:" >&2
            show "$(cat "$log")"
            return 1
        fi
        sleep 0.1
    done
    echo "agent $name not ready within 60 s; its log:" >&2
    show "$(tail -n 30 "$log")"
    return 1
}

# stop_agent NAME — SIGTERM, up to 45 s for the agent to stop its pods and exit, SIGKILL
# after that. Sets STOP_RC (the agent's exit code, or "killed").
stop_agent() {
    local name="$1" pid i
    STOP_RC=""
    pid="${AGENT_PID[$name]:-}"
    [[ -n "$pid" ]] || return 0
    unset "AGENT_PID[$name]"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 450; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        echo "agent $name (pid $pid) still running 45 s after SIGTERM; killing it" >&2
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        STOP_RC=killed
        return 0
    fi
    STOP_RC=0
    wait "$pid" 2>/dev/null || STOP_RC=$?
}

# The cgroup directories of node NAME, in every hierarchy (v1 controllers, or v2).
node_cgroups() {
    local dir
    for dir in /sys/fs/cgroup/palisade/"$1" /sys/fs/cgroup/*/palisade/"$1"; do
        [[ -d "$dir" ]] && echo "$dir"
    done
    return 0
}

# Processes still in node NAME's cgroups, one pid a line.
node_processes() {
    local dir
    while read -r dir; do
        find "$dir" -name cgroup.procs -exec cat {} + 2>/dev/null
    done < <(node_cgroups "$1") | sort -u
}

# Pod cgroups left under node NAME (directories below palisade/NAME).
node_pod_cgroups() {
    local dir
    while read -r dir; do
        find "$dir" -mindepth 1 -type d
    done < <(node_cgroups "$1")
}

# Mounts of the host's mount table below the test's temp dir.
leftover_mounts() {
    awk -v dir="$E2E_TMP/" 'index($5, dir) == 1 { print $5 }' /proc/self/mountinfo
}

# Last resort when an agent left something behind: its processes killed, its pod cgroups and
# mounts removed, so that nothing outlives the test.
scrub_node() {
    local name="$1" pid dir
    for pid in $(node_processes "$name"); do
        kill -KILL "$pid" 2>/dev/null || true
    done
    sleep 0.5
    node_pod_cgroups "$name" | sort -r | while read -r dir; do rmdir "$dir" 2>/dev/null || true; done
    leftover_mounts | sort -r | while read -r dir; do umount -l "$dir" 2>/dev/null || true; done
}

stop_all_agents() {
    local name
    for name in "${!AGENT_PID[@]}"; do
        stop_agent "$name"
        [[ -n "$(node_processes "$name")$(node_pod_cgroups "$name")" ]] && scrub_node "$name"
    done
    return 0
}

# The agents go before the server (lib.sh's teardown), also when the script is aborted.
eval "lib_$(declare -f e2e_teardown)"
e2e_teardown() {
    stop_all_agents
    if [[ $E2E_FAILED -gt 0 ]]; then
        local name
        for name in "${!AGENT_LOG[@]}"; do
            [[ -f "${AGENT_LOG[$name]}" ]] || continue
            echo "---- last lines of the agent log of $name ----" >&2
            tail -n 20 "${AGENT_LOG[$name]}" >&2
        done
        AGENT_LOG=()
    fi
    lib_e2e_teardown
}

# ---------------------------------------------------------------- helpers

# apply_quiet — kubectl apply -f - of stdin; the restricted warnings are dropped.
apply_quiet() {
    kc apply -f - >/dev/null 2>"$E2E_TMP/apply.err" || { cat "$E2E_TMP/apply.err" >&2; return 1; }
}

# pod_field NAME JSONPATH [NAMESPACE]
pod_field() {
    kc get pod "$1" -n "${3:-default}" -o jsonpath="$2" 2>/dev/null
}

# wait_pod_done NAME SECONDS [NAMESPACE] — until the pod's phase is Succeeded or Failed.
wait_pod_done() {
    local name="$1" seconds="$2" ns="${3:-default}"
    pod_done() { [[ "$(pod_field "$name" '{.status.phase}' "$ns")" =~ ^(Succeeded|Failed)$ ]]; }
    wait_until "$seconds" pod_done
}

# wait_pod_running NAME SECONDS [NAMESPACE] — until the pod's first container is running.
wait_pod_running() {
    local name="$1" seconds="$2" ns="${3:-default}"
    pod_running() { [[ -n "$(pod_field "$name" '{.status.containerStatuses[0].state.running.startedAt}' "$ns")" ]]; }
    wait_until "$seconds" pod_running
}

# A one-container busybox pod with restartPolicy Never running `sh -c SCRIPT`.
# shell_pod NAME SCRIPT [CONTAINER_SECURITY_CONTEXT_JSON] [RESOURCES_JSON]
shell_pod() {
    python3 - "$1" "$2" "${3:-}" "${4:-}" "$IMAGE" <<'PY' | apply_quiet
import json, sys
name, script, security, resources, image = sys.argv[1:]
container = {"name": name, "image": image, "command": ["sh", "-c", script]}
if security:
    container["securityContext"] = json.loads(security)
if resources:
    container["resources"] = json.loads(resources)
print(json.dumps({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
                  "spec": {"restartPolicy": "Never", "containers": [container]}}))
PY
}

# Seccomp denial lines of an agent log for one pod and system call.
denials() {
    grep -F "seccomp denied a system call" "${AGENT_LOG[$1]}" | grep -F "pod=$2" | grep -E "(^| )syscall=$3( |$)" || true
}

# ---------------------------------------------------------------- 1. joining

test_join() {
    run ka token create --ttl 1h --description "e2e agent node-a"
    TOKEN_A="$(tail -n 1 <<<"$OUT")"
    [[ "$TOKEN_A" =~ ^[a-z0-9]{6}\.[a-z0-9]{16}$ ]] || { fail "kauth token create: $OUT"; return 1; }
    mkdir -p "$E2E_TMP/image"
    bash "$E2E_DIR/fixtures/busybox-image.sh" "$E2E_TMP/image/busybox" "$IMAGE" >/dev/null
    run "$PALISADE_BIN" image import "$E2E_TMP/image/busybox" --store "$D/images"
    assert_contains "$OUT" "imported $IMAGE" "the busybox image is imported into the store"

    start_agent node-a "$TOKEN_A" --pod-pids-limit "$PIDS_LIMIT"
    assert_contains "$(cat "${AGENT_LOG[node-a]}")" "joined the cluster" "node-a joins with the bootstrap token"
    node_ready() { [[ "$(kc get node "$1" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" == True ]]; }
    wait_until 30 node_ready node-a && pass "Node node-a becomes Ready" || fail "node-a is not Ready: $(kc get node node-a -o yaml 2>&1 | tail -n 30)"

    run kc get lease node-a -n kube-node-lease -o jsonpath='{.spec.holderIdentity} {.spec.renewTime}'
    assert_matches "$OUT" "^node-a [0-9T:.-]+Z$" "a Lease node-a in kube-node-lease is held by node-a"
    local first="${OUT#* }"
    renewed() { [[ "$(kc get lease node-a -n kube-node-lease -o jsonpath='{.spec.renewTime}')" != "$first" ]]; }
    wait_until 45 renewed && pass "the Lease's renewTime advances ($first -> $(kc get lease node-a -n kube-node-lease -o jsonpath='{.spec.renewTime}'))" \
        || fail "the Lease's renewTime stayed at $first for 45 s"

    local id="${TOKEN_A%%.*}"
    run kc get csr -o jsonpath='{range .items[?(@.spec.signerName=="kubernetes.io/kube-apiserver-client-kubelet")]}{.spec.username} {.status.conditions[?(@.type=="Approved")].status} {.metadata.name}{"\n"}{end}'
    assert_matches "$OUT" "^system:bootstrap:$id True node-csr-node-a" "a kube-apiserver-client-kubelet CSR from the token's identity exists, Approved"
    local csr
    csr="$(awk -v u="system:bootstrap:$id" '$1 == u { print $3; exit }' <<<"$OUT")"
    run kc get csr "$csr" -o jsonpath='{.status.certificate}'
    [[ -n "$OUT" ]] && pass "and it carries the issued certificate" || fail "CSR $csr has no certificate"

    local key="$D/agent/node-a/credentials/node.key"
    if [[ -f "$key" ]]; then
        assert_eq "$(stat -c %a "$key")" "600" "the node's private key $key has mode 0600"
        assert_eq "$(stat -c %a "$D/agent/node-a/credentials")" "700" "in a credentials directory of mode 0700"
    else
        fail "no key at $key: $(ls -la "$D/agent/node-a/credentials" 2>&1)"
    fi

    # A wrong secret for the same token id: refused, a clear error, no Node.
    local bad="$E2E_TMP/agent-node-bad.log" rc=0
    PALISADE_BOOTSTRAP_TOKEN="$id.0123456789abcdef" timeout 60 "$PALISADE_BIN" agent \
        --server "https://127.0.0.1:$SERVER_PORT" --bootstrap-server "https://127.0.0.1:$BOOTSTRAP_PORT" \
        --certificate-authority "$D/pki/ca.crt" --name node-bad --data-dir "$D/agent/node-bad" \
        --images "$D/images" --seccomp-profiles "$REPO_ROOT/policies/seccomp" --port "$(free_port)" >"$bad" 2>&1 || rc=$?
    if [[ $rc -ne 0 && $rc -ne 124 ]]; then pass "an agent with a wrong token exits with an error (exit code $rc)"
    else fail "an agent with a wrong token: exit code $rc (124: still running after 60 s)"; show "$(cat "$bad")"; fi
    assert_contains "$(cat "$bad")" "bootstrap token refused by https://127.0.0.1:$BOOTSTRAP_PORT" "and says that the bootstrap token was refused"
    assert_not_contains "$(cat "$bad")" "0123456789abcdef" "without printing the token's secret"
    run kc get node node-bad
    assert_contains "$OUT" 'nodes "node-bad" not found' "no Node appears for it"
    [[ ! -e "$D/agent/node-bad/credentials/node.crt" ]] && pass "and it holds no certificate" || fail "node-bad got a certificate"
}

# ---------------------------------------------------------------- 2. logs

test_logs() {
    shell_pod hello 'echo hello'
    wait_pod_done hello 60 || true
    run pod_field hello '{.status.phase} {.status.containerStatuses[0].state.terminated.reason} {.spec.nodeName}'
    assert_eq "$OUT" "Succeeded Completed node-a" "a busybox pod 'echo hello' runs on node-a and ends Completed"
    run kc get pod hello --no-headers
    assert_matches "$OUT" "^hello +0/1 +Completed +0 " "kubectl get pod shows it Completed"
    run kc logs hello
    assert_eq "$OUT" "hello" "kubectl logs prints hello"

    shell_pod ticker 'sleep 2; for i in 1 2 3 4 5; do echo tick $i; sleep 1; done'
    wait_pod_running ticker 60 || true
    local out="$E2E_TMP/ticker.out" rc=0 start=$SECONDS
    # Each line stamped on arrival: a stream shows its lines as they come, not all at the end.
    timeout 60 kubectl logs -f ticker 2>&1 | while IFS= read -r line; do echo "$(date +%s.%N) $line"; done >"$out" || rc=$?
    local took=$((SECONDS - start))
    if [[ $rc -eq 0 && $took -lt 55 ]]; then pass "kubectl logs -f ends when the container exits (after ${took} s)"
    else fail "kubectl logs -f: exit code $rc after ${took} s"; fi
    assert_eq "$(cut -d' ' -f2- "$out" | xargs)" "tick 1 tick 2 tick 3 tick 4 tick 5" "kubectl logs -f prints every tick"
    local t1 t5
    t1="$(awk '$2 " " $3 == "tick 1" { print $1 }' "$out")"
    t5="$(awk '$2 " " $3 == "tick 5" { print $1 }' "$out")"
    if [[ -n "$t1" && -n "$t5" ]] && awk -v a="$t1" -v b="$t5" 'BEGIN { exit !(b - a >= 2.5) }'; then
        pass "the lines are streamed as they are written (tick 1 arrived $(awk -v a="$t1" -v b="$t5" 'BEGIN { printf "%.1f", b - a }') s before tick 5)"
    else
        fail "kubectl logs -f did not stream: arrival times $(cat "$out" | xargs)"
    fi
}

# ---------------------------------------------------------------- 3. seccomp and /proc

test_confinement() {
    shell_pod confined 'unshare -U true; echo "unshare-rc=$?"; mount -t tmpfs x /mnt; echo "mount-rc=$?"; echo "kcore-bytes=$(head -c 64 /proc/kcore 2>/dev/null | wc -c)"'
    wait_pod_done confined 60 || true
    run kc logs confined
    local logs="$OUT"
    assert_contains "$logs" "unshare-rc=1" "unshare -U true fails in a default pod"
    assert_contains "$logs" "unshare(0x10000000): Operation not permitted" "with Operation not permitted"
    assert_contains "$logs" "mount-rc=1" "mount -t tmpfs x /mnt fails"
    # busybox mount reports EPERM as "permission denied (are you root?)".
    assert_matches "$logs" "mount: (permission denied|.*Operation not permitted)" "with a permission error"
    assert_contains "$logs" "kcore-bytes=0" "/proc/kcore cannot be read (nothing comes back)"
    run denials node-a default/confined unshare
    assert_contains "$OUT" "container=confined" "the agent logs 'seccomp denied a system call' syscall=unshare for the pod"
    run denials node-a default/confined mount
    assert_contains "$OUT" "container=confined" "and syscall=mount"

    # keyctl: busybox has no applet for it; a static probe is bound in from the host.
    local cc=""
    command -v cc >/dev/null && cc=cc || { command -v clang >/dev/null && cc=clang; } || true
    local probe="$E2E_TMP/probe"
    mkdir -p "$probe"
    if [[ -z "$cc" ]] || ! "$cc" -static -O2 -o "$probe/keyctl-probe" "$E2E_DIR/fixtures/keyctl-probe.c" 2>"$E2E_TMP/cc.err"; then
        echo "skip - keyctl is refused with EPERM: no compiler that links statically (${cc:-no cc or clang}: $(head -c 300 "$E2E_TMP/cc.err" 2>/dev/null))"
        return 0
    fi
    chmod 0755 "$probe" "$probe/keyctl-probe"
    # hostPath is refused by the default baseline enforcement: a privileged namespace for the probe.
    kc create namespace probes >/dev/null
    kc label namespace probes pod-security.kubernetes.io/enforce=privileged >/dev/null
    apply_quiet <<YAML
apiVersion: v1
kind: Pod
metadata: {name: keyctl, namespace: probes}
spec:
  restartPolicy: Never
  volumes: [{name: probe, hostPath: {path: "$probe", type: Directory}}]
  containers:
    - name: keyctl
      image: $IMAGE
      command: ["/probe/keyctl-probe"]
      volumeMounts: [{name: probe, mountPath: /probe, readOnly: true}]
YAML
    wait_pod_done keyctl 60 probes || true
    run kc logs keyctl -n probes
    assert_contains "$OUT" "keyctl: errno=1 (Operation not permitted) EPERM" "keyctl(2) fails with EPERM in a pod (probe built with $cc -static)"
    run denials node-a probes/keyctl keyctl
    assert_contains "$OUT" "container=keyctl" "and the agent logs syscall=keyctl for it"
}

# ---------------------------------------------------------------- 4. pid namespace

test_pid_namespace() {
    shell_pod pids 'sleep 30 & ps -o pid,args; echo "ps-done"; kill $!'
    wait_pod_done pids 60 || true
    run kc logs pids
    local logs="$OUT"
    assert_contains "$logs" "ps-done" "ps ran in a pod"
    local rows
    rows="$(grep -Ev '^ *PID |^ps-done$' <<<"$logs" || true)"
    assert_matches "$rows" "^ +1 sh -c sleep 30 & ps" "pid 1 is the container's command"
    # The container's shell (pid 1, or a fork of it running the ps applet), its sleep and ps
    # (ps shows "{comm} args" for those busybox started through /proc/self/exe): nothing else.
    local others
    others="$(grep -Ev '^ *[0-9]+ (\{[^}]*\} )?(sh -c sleep 30 & ps|sleep 30$|ps( |$))' <<<"$rows" || true)"
    if [[ -n "$rows" && -z "$others" && "$(wc -l <<<"$rows")" -le 3 ]]; then
        pass "ps sees only the container's processes ($(wc -l <<<"$rows") of them)"
    else
        fail "ps sees other processes:"
        show "$logs"
    fi
    assert_not_contains "$logs" "palisade" "no host process (the agent, the server) is visible"

}

# ---------------------------------------------------------------- 5-8. limits and security contexts

test_limits() {
    shell_pod hog 'x=a; while true; do x=$x$x; done' '' '{"limits":{"memory":"32Mi"}}'
    shell_pod bomb 'for i in $(seq 1 2000); do sleep 100 & done; echo all-2000-started'
    shell_pod readonly 'echo data > /x; echo "write-rc=$?"' '{"readOnlyRootFilesystem":true}'
    shell_pod nonroot 'id' '{"runAsNonRoot":true}'

    wait_pod_done hog 90 || true
    run pod_field hog '{.status.containerStatuses[0].state.terminated.reason}{.status.containerStatuses[0].lastState.terminated.reason}'
    assert_eq "$OUT" "OOMKilled" "a memory hog with limits.memory 32Mi ends OOMKilled"
    run pod_field hog '{.status.containerStatuses[0].state.terminated.exitCode}'
    assert_eq "$OUT" "137" "with exit code 137 (SIGKILL)"

    wait_pod_done bomb 90 || true
    run kc logs bomb
    assert_contains "$OUT" "can't fork" "a fork bomb stops at the pids limit (--pod-pids-limit $PIDS_LIMIT): the log shows \"can't fork\""
    assert_contains "$OUT" "Resource temporarily unavailable" "with Resource temporarily unavailable (EAGAIN)"
    assert_not_contains "$OUT" "all-2000-started" "it never gets to start 2000 processes"
    local uid
    uid="$(pod_field bomb '{.metadata.uid}')"
    gone() { [[ -z "$(node_processes "node-a/$uid")" ]]; }
    wait_until 30 gone && pass "the bomb's background processes are ended with its container" \
        || fail "processes left in the bomb's cgroup: $(node_processes "node-a/$uid" | xargs)"

    wait_pod_done readonly 60 || true
    run kc logs readonly
    assert_contains "$OUT" "can't create /x: Read-only file system" "readOnlyRootFilesystem: writing /x fails with Read-only file system"
    assert_contains "$OUT" "write-rc=1" "and the write's exit code is 1"

    waiting() { [[ "$(pod_field nonroot '{.status.containerStatuses[0].state.waiting.reason}')" == CreateContainerConfigError ]]; }
    wait_until 60 waiting || true
    run pod_field nonroot '{.status.containerStatuses[0].state.waiting.reason}: {.status.containerStatuses[0].state.waiting.message}'
    assert_matches "$OUT" "^CreateContainerConfigError: .*runAsNonRoot" "runAsNonRoot on a root image: Waiting, CreateContainerConfigError, a message naming runAsNonRoot"
    run kc logs nonroot
    assert_not_contains "$OUT" "uid=0" "and the container never ran as root"
}

# ---------------------------------------------------------------- 9. a Deployment heals

test_deployment() {
    local seconds="98${MARK}"
    apply_quiet <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 2
      containers: [{name: web, image: "$IMAGE", command: ["sleep", "$seconds"]}]
YAML
    run kc rollout status deployment/web --timeout=90s
    assert_contains "$OUT" 'deployment "web" successfully rolled out' "a Deployment of 3 replicas rolls out on the agent"
    run kc get deployment web -o jsonpath='{.status.availableReplicas}/{.spec.replicas}'
    assert_eq "$OUT" "3/3" "3/3 available"

    run kc get pods -l app=web -o jsonpath='{.items[*].status.containerStatuses[0].restartCount}'
    assert_eq "$OUT" "0 0 0" "each replica's container started on its first attempt (restartCount 0)"
    local pids pid uid pod before
    pids="$(pgrep -f "^sleep $seconds\$" || true)"
    assert_eq "$(wc -w <<<"$pids")" "3" "the three containers' processes are found on the host (pgrep -f 'sleep $seconds')"
    pid="$(head -n 1 <<<"$pids")"
    [[ -n "$pid" ]] || return 0
    # Nothing of the agent's is open in a container (seen from the host, so no shell of the
    # container's own adds descriptors): only stdin, stdout and stderr.
    local fds
    fds="$(ls /proc/"$pid"/fd 2>/dev/null | sort -n | xargs)"
    if [[ "$fds" == "0 1 2" ]]; then
        pass "a container's process holds only fds 0, 1 and 2 (no descriptor of the agent is inherited)"
    else
        fail "a container's process holds descriptors besides 0, 1 and 2 ($fds):"
        show "$(ls -l /proc/"$pid"/fd 2>&1 | tail -n +2 | awk '{ print $(NF-2), $(NF-1), $NF }')"
        show "$(ss -tanpe 2>/dev/null | grep -F "pid=$pid," | awk '{ print $1, $4, $5 }')"
    fi
    uid="$(grep -oE 'palisade/node-a/[0-9a-f-]{36}' "/proc/$pid/cgroup" | head -n 1 | cut -d/ -f3 || true)"
    pod="$(kc get pods -l app=web -o jsonpath="{.items[?(@.metadata.uid==\"$uid\")].metadata.name}")"
    [[ -n "$pod" ]] && pass "the process's cgroup names its pod ($pod)" || { fail "no pod for pid $pid (cgroup uid '$uid')"; return 0; }
    before="$(pod_field "$pod" '{.status.containerStatuses[0].restartCount}')"
    kill -KILL "$pid"
    restarted() { [[ "$(pod_field "$pod" '{.status.containerStatuses[0].restartCount}')" == $((before + 1)) ]]; }
    wait_until 60 restarted && pass "killing it on the host restarts the container: restartCount $before -> $((before + 1))" \
        || fail "restartCount of $pod: $(pod_field "$pod" '{.status.containerStatuses[0].restartCount}')"
    run pod_field "$pod" '{.status.containerStatuses[0].lastState.terminated.exitCode}'
    assert_eq "$OUT" "137" "its last state records the kill (exit code 137)"
    available() { [[ "$(kc get deployment web -o jsonpath='{.status.availableReplicas}')" == 3 && "$(pod_field "$pod" '{.status.containerStatuses[0].ready}')" == true ]]; }
    wait_until 60 available && pass "the Deployment is 3/3 available again, with the same pod" \
        || fail "Deployment: $(kc get deployment web 2>&1)"
}

# ---------------------------------------------------------------- 10. node isolation

test_node_isolation() {
    run ka token create --ttl 1h --description "e2e agent node-b"
    local token_b
    token_b="$(tail -n 1 <<<"$OUT")"
    start_agent node-b "$token_b" --pod-pids-limit "$PIDS_LIMIT"
    node_ready_b() { [[ "$(kc get node node-b -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" == True ]]; }
    wait_until 30 node_ready_b && pass "a second agent joins as node-b, Ready" || fail "node-b is not Ready"

    kc create secret generic db-password --from-literal=password="s3cr3t-$MARK" >/dev/null
    apply_quiet <<YAML
apiVersion: v1
kind: Pod
metadata: {name: db-client}
spec:
  nodeName: node-a
  terminationGracePeriodSeconds: 2
  volumes: [{name: password, secret: {secretName: db-password}}]
  containers:
    - name: client
      image: $IMAGE
      command: ["sh", "-c", "cat /etc/db/password; echo; exec sleep 3600"]
      volumeMounts: [{name: password, mountPath: /etc/db, readOnly: true}]
YAML
    wait_pod_running db-client 60 || true
    run kc logs db-client
    assert_eq "$OUT" "s3cr3t-$MARK" "a pod on node-a reads the Secret from its volume"
    local kubeconfig_a="$D/agent/node-a/credentials/node.kubeconfig" kubeconfig_b="$D/agent/node-b/credentials/node.kubeconfig"
    run kc --kubeconfig "$kubeconfig_a" get secret db-password -o jsonpath='{.data.password}'
    assert_eq "$(base64 -d <<<"$OUT" 2>/dev/null || echo "$OUT")" "s3cr3t-$MARK" "node-a's kubeconfig can read the Secret of its pod"
    run kc --kubeconfig "$kubeconfig_b" get secret db-password
    assert_fails "node-b's kubeconfig cannot"
    assert_contains "$OUT" 'secrets "db-password" is forbidden: User "system:node:node-b"' "the refusal is Forbidden, for system:node:node-b"
    run kc --kubeconfig "$kubeconfig_b" get pod db-client -o jsonpath='{.spec.nodeName}'
    assert_contains "$OUT" "forbidden" "node-b cannot read node-a's pod either"
    kc delete pod db-client --wait=false >/dev/null
}

# ---------------------------------------------------------------- 11. graceful deletion

test_deletion() {
    apply_quiet <<YAML
apiVersion: v1
kind: Pod
metadata: {name: doomed}
spec:
  nodeName: node-a
  terminationGracePeriodSeconds: 2
  containers: [{name: doomed, image: "$IMAGE", command: ["sleep", "97${MARK}"]}]
YAML
    wait_pod_running doomed 60 || true
    local uid dir start
    uid="$(pod_field doomed '{.metadata.uid}')"
    dir="$D/agent/node-a/pods/$uid"
    [[ -n "$uid" && -d "$dir" ]] && pass "the running pod has its directory $dir" || fail "no pod directory '$dir'"
    start=$(date +%s.%N)
    run kc delete pod doomed --timeout=30s
    local took
    took="$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
    assert_contains "$OUT" 'pod "doomed" deleted' "kubectl delete of a running pod (terminationGracePeriodSeconds 2) completes"
    # Under the 30 s a pod gets by default: its own 2 s grace period was the one applied.
    if awk -v t="$took" 'BEGIN { exit !(t < 25) }'; then pass "within its grace period, not the default 30 s (${took} s)"; else fail "deletion took ${took} s"; fi
    run kc get pod doomed
    assert_contains "$OUT" 'pods "doomed" not found' "the pod is gone from the API"
    removed() { [[ ! -e "$dir" ]]; }
    wait_until 15 removed && pass "its directory under $D/agent/node-a/pods is removed" || fail "$dir is still there: $(ls -la "$dir" 2>&1)"
    [[ -z "$(pgrep -f "^sleep 97${MARK}\$" || true)" ]] && pass "its process is gone from the host" || fail "its process is still running"
}

# ---------------------------------------------------------------- shutdown

test_shutdown() {
    local name
    for name in node-a node-b; do
        [[ -n "${AGENT_PID[$name]:-}" ]] || { fail "agent $name was not running at the end"; continue; }
        stop_agent "$name"
        assert_eq "$STOP_RC" "0" "SIGTERM stops agent $name, exit code 0"
        run node_processes "$name"
        assert_eq "$OUT" "" "no process is left in $name's cgroups"
        run node_pod_cgroups "$name"
        assert_eq "$OUT" "" "no pod cgroup is left under palisade/$name"
        [[ -n "$(node_processes "$name")$(node_pod_cgroups "$name")" ]] && scrub_node "$name"
    done
    [[ -z "$(pgrep -f "^sleep 98${MARK}\$" || true)" ]] && pass "the Deployment's containers are gone from the host" \
        || fail "containers still running: $(pgrep -af "sleep 98${MARK}")"
    run leftover_mounts
    assert_eq "$OUT" "" "no mount of a pod is left in the host's mount table"
    assert_graceful_stop "then SIGTERM stops the server, exit code 0"
}


test_join
test_logs
test_confinement
test_pid_namespace
test_limits
test_deployment
test_node_isolation
test_deletion
test_shutdown
finish
