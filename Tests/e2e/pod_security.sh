#!/usr/bin/env bash
# End-to-end Pod Security admission with the real kubectl: the cluster defaults of
# policies/pod-security.yaml (enforce baseline, warn and audit restricted, kube-system
# exempt), namespace labels at every level and version, warnings printed by kubectl, bad
# labels refused, tightening a namespace, and a malformed configuration stopping the server.
# Every fixture of Tests/PalisadeAdmissionTests/Fixtures/pod-security is sent with
# `kubectl apply --dry-run=server` into a namespace labelled with each level:version the
# fixture names, and must be refused or admitted exactly as its header says.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

e2e_init
cd "$REPO_ROOT" # the server's default --policies is relative: policies/pod-security.yaml is read from here
start_server "$E2E_TMP/data" "$(free_port)"
echo "server on 127.0.0.1:$SERVER_PORT, data in $SERVER_DATA"
FIXTURES="$REPO_ROOT/Tests/PalisadeAdmissionTests/Fixtures/pod-security"
MANIFESTS="$E2E_TMP/manifests"
mkdir -p "$MANIFESTS"

# pod_manifest NAME SECURITY_CONTEXT_JSON — a one-container pod manifest file; prints its path.
pod_manifest() {
    local file="$MANIFESTS/$1.json"
    printf '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s"},"spec":{"containers":[{"name":"app","image":"nginx:1.27","securityContext":%s}]}}\n' \
        "$1" "$2" >"$file"
    echo "$file"
}

# ------------------------------------------------------------ cluster defaults
run kc run web --image=nginx:1.27 --restart=Never
assert_ok "an ordinary pod is admitted in an unlabelled namespace"
assert_contains "$OUT" 'Warning: would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "web" must set securityContext.allowPrivilegeEscalation=false)' \
    "kubectl prints the restricted warning of the cluster default"

PRIVILEGED="$(pod_manifest root '{"privileged":true}')"
run kc apply -f "$PRIVILEGED"
assert_fails "a privileged pod is refused under the default baseline enforcement"
assert_contains "$OUT" 'pods "root" is forbidden: violates PodSecurity "baseline:latest": privileged (container "app" must not set securityContext.privileged=true)' \
    "the refusal carries Kubernetes' message"
run kc get pod root
assert_fails "the refused pod was not stored"
run kc apply -n kube-system -f "$PRIVILEGED"
assert_ok "kube-system is exempt"
assert_not_contains "$OUT" "Warning" "an exempt namespace gets no warning"

# ------------------------------------------------------------ namespace labels
kc create namespace team >/dev/null
run kc label namespace team pod-security.kubernetes.io/enforce=strict
assert_fails "an unknown level is refused on the namespace"
assert_contains "$OUT" 'metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted' \
    "the refusal names the label and the allowed levels"
run kc label namespace team pod-security.kubernetes.io/enforce-version=1.30
assert_contains "$OUT" 'Invalid value: "1.30": must be "latest" or "v1.x"' "an unknown version is refused on the namespace"

kc run -n team web --image=nginx:1.27 --restart=Never >/dev/null 2>&1
run kc label namespace team pod-security.kubernetes.io/enforce=restricted
assert_ok "tightening a namespace with violating pods succeeds"
assert_contains "$OUT" 'Warning: existing pods in namespace "team" violate the new PodSecurity enforce level "restricted:latest"' \
    "kubectl prints the existing-pods warning"
assert_contains "$OUT" "Warning: web: allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile" \
    "the warning names the pod and its reasons"
run kc label pod -n team web tier=frontend
assert_ok "a violating pod's labels can still change"
run kc run -n team web2 --image=nginx:1.27 --restart=Never
assert_fails "a new violating pod is refused in the tightened namespace"
run kc create deployment -n team web --image=nginx:1.27
assert_ok "a violating Deployment is admitted (its pods are judged when created)"
assert_contains "$OUT" 'Warning: would violate PodSecurity "restricted:latest"' "the Deployment's template is warned about"

# ------------------------------------------------------------ every fixture, at every policy it names
# namespace_for LEVEL:VERSION — a namespace enforcing that policy (created on first use).
namespace_for() {
    local policy="$1" ns
    ns="pss-${policy%%:*}-$(tr '.' '-' <<<"${policy#*:}")"
    if ! kc get namespace "$ns" >/dev/null 2>&1; then
        kc create namespace "$ns" >/dev/null
        kc label namespace "$ns" "pod-security.kubernetes.io/enforce=${policy%%:*}" \
            "pod-security.kubernetes.io/enforce-version=${policy#*:}" >/dev/null
    fi
    echo "$ns"
}

header() { sed -n "s/^# $1: //p" "$2"; }

# reported TEXT REASON — the refusal TEXT lists REASON among its reasons.
reported() { [[ "$1" == *"\": $2 ("* || "$1" == *"), $2 ("* || "$1" == *"\": $2" || "$1" == *", $2" ]]; }

# At `deny` policies the fixture's check must refuse the pod; at `allow` policies that check
# must not be among the reasons (other checks may refuse); at `clean` policies it is admitted.
# procMount and procMount_restricted word their refusals identically, so a message cannot
# say which of them spoke: for those, `allow` is left to the unit tests, which see check IDs.
fixtures=0
for file in "$FIXTURES"/*/*.yaml; do
    name="${file#"$FIXTURES"/}"
    reason="$(header reason "$file")"
    ambiguous=""
    [[ "$name" != procMount* ]] || ambiguous=yes
    problems=""
    for kind in deny allow clean; do
        IFS=', ' read -r -a policies <<<"$(header "$kind" "$file")"
        for policy in "${policies[@]}"; do
            [[ -n "$policy" ]] || continue
            run kc apply --dry-run=server -n "$(namespace_for "$policy")" -f "$file"
            case "$kind" in
            deny) [[ $RC -ne 0 && "$OUT" == *"violates PodSecurity \"$policy\": "* ]] && reported "$OUT" "$reason" ;;
            allow) [[ $RC -eq 0 ]] || { [[ -n "$reason" && "$OUT" == *"violates PodSecurity"* ]] && { [[ -n "$ambiguous" ]] || ! reported "$OUT" "$reason"; }; } ;;
            clean) [[ $RC -eq 0 ]] ;;
            esac || problems+="
  $kind $policy (rc $RC): $OUT"
        done
    done
    fixtures=$((fixtures + 1))
    if [[ -z "$problems" ]]; then
        pass "fixture $name: as its header says at $(sed -n 's/^# \(deny\|allow\|clean\): //p' "$file" | paste -sd ' ')"
    else
        fail "fixture $name:$problems"
    fi
done
assert_eq "$([[ $fixtures -ge 60 ]] && echo yes)" "yes" "all $fixtures fixtures were sent"
stop_server

# ------------------------------------------------------------ the same judgement offline, for CI
run "$PALISADE_BIN" policy check -f "$FIXTURES/privileged" --level baseline --version v1.0
assert_eq "$RC" "1" "policy check exits 1 when an object violates the level"
assert_contains "$OUT" "privileged/fail-init-and-ephemeral.yaml:5: Pod app: violates PodSecurity \"baseline:v1.0\": privileged (containers \"init\", \"debugger\" must not set securityContext.privileged=true)" \
    "policy check names file, line, object and the server's reasons"
run "$PALISADE_BIN" policy check -f examples/web-deployment.yaml --level baseline
assert_ok "policy check exits 0 when every object passes"
run "$PALISADE_BIN" policy check -f examples/web-deployment.yaml
assert_contains "$OUT" 'Deployment web: violates PodSecurity "restricted:latest"' "workload templates are judged offline too"
printf 'apiVersion: v1\nkind: Pod\n---\napiVersion: v1\nmetadata: [\n' >"$E2E_TMP/broken.yaml"
run "$PALISADE_BIN" policy check -f "$E2E_TMP/broken.yaml"
assert_eq "$RC" "2" "policy check exits 2 on a file it cannot parse"
assert_contains "$OUT" "$E2E_TMP/broken.yaml:" "the parse error names the file"

# ------------------------------------------------------------ a malformed configuration stops the server
BAD="$E2E_TMP/pod-security.yaml"
printf 'apiVersion: pod-security.admission.config.k8s.io/v1\nkind: PodSecurityConfiguration\ndefaults:\n  enforce: baseline\n  warn: strictest\n' >"$BAD"
run "$PALISADE_BIN" server --data-dir "$E2E_TMP/data" --listen "127.0.0.1:$(free_port)" --pod-security-config "$BAD"
assert_fails "a malformed PodSecurityConfiguration stops the server"
assert_contains "$OUT" "$BAD:5: defaults.warn: must be one of privileged, baseline, restricted" "the refusal names the file, line and field"

finish
