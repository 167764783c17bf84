#!/usr/bin/env bash
# End-to-end LimitRanger and ResourceQuota with the real kubectl: a LimitRange's defaults
# land on new pods, a pod over its bounds is refused with Kubernetes' message, a
# contradictory LimitRange is refused naming the field; a quota refuses the create that
# would pass it, counts exactly under parallel kubectl creates, and frees what is deleted.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

e2e_init
cd "$REPO_ROOT"
start_server "$E2E_TMP/data" "$(free_port)"
echo "server on 127.0.0.1:$SERVER_PORT, data in $SERVER_DATA"

kc create namespace shop >/dev/null
cat >"$E2E_TMP/limits.yaml" <<'YAML'
apiVersion: v1
kind: LimitRange
metadata: {name: limits, namespace: shop}
spec:
  limits:
  - type: Container
    default: {cpu: 500m, memory: 256Mi}
    defaultRequest: {cpu: 100m, memory: 128Mi}
    max: {memory: 1Gi}
YAML
run kc apply -f "$E2E_TMP/limits.yaml"
assert_ok "a LimitRange is created"

run kc run -n shop web --image=nginx:1.27 --restart=Never
assert_ok "a pod without resources is admitted"
run kc get pod -n shop web -o 'jsonpath={.spec.containers[0].resources.requests.cpu}/{.spec.containers[0].resources.limits.memory}'
assert_eq "$OUT" "100m/256Mi" "the LimitRange's defaults were stored on the pod"

run kc run -n shop big --image=nginx:1.27 --restart=Never --overrides='{"spec":{"containers":[{"name":"big","image":"nginx:1.27","resources":{"limits":{"memory":"2Gi"}}}]}}'
assert_fails "a pod over the maximum is refused"
assert_contains "$OUT" 'pods "big" is forbidden: maximum memory usage per Container is 1Gi, but limit is 2Gi' "the refusal is in Kubernetes' words"

sed -i 's/max: {memory: 1Gi}/max: {memory: 1Gi}\n    min: {memory: 2Gi}/' "$E2E_TMP/limits.yaml"
run kc apply -f "$E2E_TMP/limits.yaml"
assert_fails "a LimitRange whose minimum exceeds its maximum is refused"
assert_contains "$OUT" 'spec.limits[0].min[memory]: Invalid value: "2Gi": min value 2Gi is greater than max value 1Gi' "the refusal names the field"

# ------------------------------------------------------------ ResourceQuota
run kc create quota pods -n shop --hard=pods=2
assert_ok "kubectl create quota"
run kc run -n shop second --image=nginx:1.27 --restart=Never
assert_ok "a pod within the quota is admitted"
run kc run -n shop third --image=nginx:1.27 --restart=Never
assert_fails "the pod past the quota is refused"
assert_contains "$OUT" 'pods "third" is forbidden: exceeded quota: pods, requested: pods=1, used: pods=2, limited: pods=2' \
    "the refusal says what was requested, used and limited"
run kc get quota -n shop pods -o 'jsonpath={.status.used.pods}/{.status.hard.pods}'
assert_eq "$OUT" "2/2" "the quota's status shows its usage"

kc create quota objects -n shop --hard=count/configmaps=3 >/dev/null
creators=()
for i in $(seq 1 12); do
    kc create configmap -n shop "cm-$i" --from-literal=k=v >/dev/null 2>&1 &
    creators+=($!)
done
wait "${creators[@]}" || true
run kc get configmaps -n shop -o name
assert_eq "$(grep -c '^configmap/cm-' <<<"$OUT")" "3" "12 parallel creates against count/configmaps=3 stored exactly 3"

kc delete pod -n shop second --wait=false >/dev/null
wait_until 10 bash -c "[[ \$(kubectl get quota -n shop pods -o 'jsonpath={.status.used.pods}') == 1 ]]" && RC=0 || RC=$?
assert_eq "$RC" "0" "a deleted pod's share is freed within seconds"
run kc run -n shop third --image=nginx:1.27 --restart=Never
assert_ok "the freed share admits a new pod"

finish
